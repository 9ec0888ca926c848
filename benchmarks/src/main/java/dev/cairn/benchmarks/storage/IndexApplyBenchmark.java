package dev.cairn.benchmarks.storage;

import dev.cairn.storage.index.RocksIndexStore;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What it costs to keep the RocksDB index in step with the journal. After every sync the core
 * loop hands the turn's records to {@code RocksIndexStore.apply}, which turns them into one
 * atomic write batch (with {@code appliedPosition}); this runs on the core thread, so its cost
 * per record comes straight out of the broker's message rate.
 *
 * <p>One operation is one {@code apply} of a batch in the steady state of QoS 1 traffic to
 * persistent sessions: N messages stored for one recipient each, the N matching
 * {@code DeliverySent}, and the {@code DeliveryAcknowledged} of the previous batch's N messages,
 * so 3N records and a queue depth that stays at N. Acknowledgements therefore read committed
 * entries from RocksDB, as they do in the broker. Records per second are 3N times the score.
 * Building the record list is inside the measurement; it is a few small objects per record,
 * small next to the encoding and the RocksDB write. Recipients rotate over 16 client ids.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            ChronicleJvmFlags.OPEN_REFLECT,
            ChronicleJvmFlags.EXPORT_NIO,
            ChronicleJvmFlags.EXPORT_REF,
            ChronicleJvmFlags.NO_ANALYTICS,
            ChronicleJvmFlags.NO_ANNOUNCER,
            ChronicleJvmFlags.NO_DISK_MONITOR,
            ChronicleJvmFlags.QUIET_LOG
        })
@State(Scope.Thread)
public class IndexApplyBenchmark {
    private static final int CLIENT_COUNT = 16;

    /** N: messages per batch (the batch holds 3N records). */
    @Param({"1", "100", "1000"})
    public int messagesPerBatch;

    private final String[] clientIds = new String[CLIENT_COUNT];
    private final byte[] payload = new byte[JournalAppendBenchmark.PAYLOAD_BYTES];
    private ScratchDirectory directory;
    private RocksIndexStore index;
    private long nextPosition;
    /** Positions of the previous batch's messages, acknowledged by the next batch. */
    private long[] unacknowledged;

    private int unacknowledgedCount;

    @Setup(Level.Trial)
    public void open() {
        for (int i = 0; i < CLIENT_COUNT; i++) {
            clientIds[i] = "subscriber-" + i;
        }
        directory = ScratchDirectory.create("cairn-jmh-index-");
        index = RocksIndexStore.open(directory.path().resolve("index"));
        nextPosition = 1;
        unacknowledged = new long[messagesPerBatch];
        unacknowledgedCount = 0;
    }

    @TearDown(Level.Trial)
    public void close() {
        index.close();
        directory.close();
    }

    @Benchmark
    public long apply() {
        List<PositionedRecord> batch = new ArrayList<>(3 * messagesPerBatch);
        for (int i = 0; i < unacknowledgedCount; i++) {
            batch.add(new PositionedRecord(
                    nextPosition++, new DeliveryAcknowledged(clientFor(unacknowledged[i]), unacknowledged[i])));
        }
        for (int i = 0; i < messagesPerBatch; i++) {
            long stored = nextPosition++;
            String clientId = clientFor(stored);
            batch.add(new PositionedRecord(
                    stored,
                    new MessageStored(
                            "publisher-1",
                            "site/3/line/7/sensor/42/temp",
                            1,
                            false,
                            new byte[0],
                            payload,
                            1_764_000_000_000L,
                            -1L,
                            List.of(new Recipient(clientId, 1, false, new int[0])))));
            batch.add(new PositionedRecord(nextPosition++, new DeliverySent(clientId, stored, 1 + (i & 0x7FFF))));
            unacknowledged[i] = stored;
        }
        unacknowledgedCount = messagesPerBatch;
        index.apply(batch);
        return index.appliedPosition();
    }

    private String clientFor(long position) {
        return clientIds[(int) (position % CLIENT_COUNT)];
    }
}
