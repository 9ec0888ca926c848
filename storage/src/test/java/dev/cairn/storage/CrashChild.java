package dev.cairn.storage;

import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.Recipient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link KillNineIT}: opens a store with fsync durability and appends batches
 * forever, syncing after each and printing {@code synced <sequence> <position>} for every record of
 * the batch only after {@code sync()} returned. It never exits on its own; the parent kills it.
 */
public final class CrashChild {
    static final int BATCH_RECORDS = 20;

    private CrashChild() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        try (Store store = Store.open(StoreConfig.defaults(Path.of(args[0])))) {
            out.println("ready");
            out.flush();
            long[] positions = new long[BATCH_RECORDS];
            for (long sequence = 0; ; sequence += BATCH_RECORDS) {
                for (int i = 0; i < BATCH_RECORDS; i++) {
                    positions[i] = store.journal().append(record(sequence + i));
                }
                store.journal().sync();
                for (int i = 0; i < BATCH_RECORDS; i++) {
                    out.println("synced " + (sequence + i) + " " + positions[i]);
                }
                out.flush();
            }
        }
    }

    static MessageStored record(long sequence) {
        byte[] payload =
                ("payload-" + sequence + "-" + "x".repeat((int) (sequence % 97))).getBytes(StandardCharsets.UTF_8);
        return new MessageStored(
                "crash-child",
                "crash/" + sequence,
                1,
                false,
                new byte[0],
                payload,
                sequence,
                -1,
                List.of(new Recipient("subscriber", 1, false, new int[0])));
    }
}
