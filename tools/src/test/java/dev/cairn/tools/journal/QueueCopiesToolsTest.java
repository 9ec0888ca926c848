package dev.cairn.tools.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.TempStore;
import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.ToolRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the tools read a journal in which a session holds two deliveries of one message (its
 * non-shared subscription and a shared group's pick, format version 3): dump shows each copy and
 * the relocation that serves both, verify finds the index consistent, and rebuild-index makes one
 * queue entry per copy. Method: a real store writes the records, then the commands run in-process.
 */
class QueueCopiesToolsTest {
    @TempDir
    Path dir;

    private static MessageStored twoCopies(String payload) {
        return new MessageStored(
                "pub",
                "x/y",
                2,
                false,
                new byte[0],
                payload.getBytes(StandardCharsets.UTF_8),
                1_767_225_600_000L,
                -1,
                List.of(
                        new Recipient("both", 1, false, new int[] {1}, 0),
                        new Recipient("both", 2, false, new int[] {2}, 1)));
    }

    /** Returns {first message, second message, relocation} positions. */
    private long[] write() {
        try (TempStore store = TempStore.open(dir)) {
            store.commit(List.of(new SessionOpened("both", false, 3600, 5, 1_767_225_600_000L, null)));
            long first = store.commit(List.of(twoCopies("one"))).get(0).position();
            store.commit(List.of(new DeliverySent("both", first, 7, 1), new DeliveryAcknowledged("both", first, 1)));
            long second = store.commit(List.of(twoCopies("two"))).get(0).position();
            MessageStored copy = new MessageStored(
                    "pub",
                    "x/y",
                    2,
                    false,
                    new byte[0],
                    "two".getBytes(StandardCharsets.UTF_8),
                    1_767_225_600_000L,
                    -1,
                    List.of());
            long relocated = store.commit(List.of(new MessageRelocated(
                            List.of(new QueueRef("both", second, 0), new QueueRef("both", second, 1)), copy)))
                    .get(0)
                    .position();
            return new long[] {first, second, relocated};
        }
    }

    @Test
    void dumpShowsEachCopyAndTheRelocationThatServesThem() {
        long[] p = write();

        ToolRun table = ToolRun.run("dump", "--data-dir", dir);
        ToolRun json = ToolRun.run("dump", "--data-dir", dir, "--format", "json", "--type", "message_stored");

        assertEquals(ExitCode.OK, table.exitCode(), table.toString());
        assertTrue(table.out().contains("to=[both(qos1),both(qos2 copy=1)]"), table.out());
        assertTrue(table.out().contains("client=both of=" + p[0] + " copy=1 packetId=7"), table.out());
        assertTrue(table.out().contains("for=[both(of=" + p[1] + "),both(of=" + p[1] + " copy=1)]"), table.out());
        assertEquals(ExitCode.OK, json.exitCode(), json.toString());
        assertTrue(
                json.out().contains("\"client\":\"both\",\"qos\":2,\"retainAsPublished\":false,\"copy\":1"),
                json.out());
    }

    @Test
    void verifyAndRebuildIndexKeepOneEntryPerCopy() throws Exception {
        long[] p = write();
        ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, verify.exitCode(), verify.toString());

        GoldenJournals.deleteTree(dir.resolve("index"));
        ToolRun rebuild = ToolRun.run("rebuild-index", "--data-dir", dir);
        assertEquals(ExitCode.OK, rebuild.exitCode(), rebuild.toString());

        List<QueueEntry> entries = new ArrayList<>();
        try (IndexReader index = IndexReader.openReadOnly(dir.resolve("index"))) {
            index.forEachQueueEntry((clientId, e) -> entries.add(e));
            assertEquals(3, index.queueDepths().get("both").messages());
        }
        assertEquals(
                List.of(p[0], p[1], p[1]),
                entries.stream().map(QueueEntry::position).toList());
        assertEquals(List.of(0, 0, 1), entries.stream().map(QueueEntry::copy).toList(), "copy 1 of the first is acked");
        assertEquals(List.of(1, 1, 2), entries.stream().map(QueueEntry::qos).toList());
        assertEquals(
                List.of(p[0], p[2], p[2]),
                entries.stream().map(QueueEntry::payloadPosition).toList());
        ToolRun again = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, again.exitCode(), again.toString());
    }
}
