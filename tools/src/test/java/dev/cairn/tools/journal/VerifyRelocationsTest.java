package dev.cairn.tools.journal;

import static dev.cairn.tools.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.TempStore;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.ToolRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: verify checks relocated messages both ways: every queue entry in the index reads its
 * message where the journal's last {@code MessageRelocated} naming it put it (else where it was
 * stored), and every ref of a relocation names an entry the {@code MessageStored} at its position
 * queued, carrying that message. Refs to entries acknowledged since are fine. Method: journals
 * and indexes written turn by turn through the real storage ({@link TempStore}), one consistent,
 * one whose index applied a different relocation than the journal holds, one whose relocation
 * refs name the wrong entries; then {@code verify}.
 */
class VerifyRelocationsTest {
    private static final long T = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private long opened;
    private long a;
    private long b;

    @Test
    void aConsistentRelocatedJournalVerifies() {
        try (TempStore store = TempStore.open(dir)) {
            storeMessages(store);
            store.commit(List.of(new DeliveryAcknowledged("s2", a, 0))); // Gone before the relocation.
            // The relocation names the acknowledged entry too: applying it skips that one.
            store.commit(List.of(new MessageRelocated(
                    List.of(new QueueRef("s1", a, 0), new QueueRef("s1", a, 1), new QueueRef("s2", a, 0)),
                    copyOf("a"))));
            // A copy of the copy for one of the entries, later.
            store.commit(List.of(new MessageRelocated(List.of(new QueueRef("s1", a, 0)), copyOf("a"))));
            store.commit(List.of(new DeliveryAcknowledged("s1", a, 1))); // Gone after it.
        }

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("message_relocated 2"), run.out());
        assertTrue(run.out().contains("2 queue entries"), run.out());
        assertTrue(run.out().contains("OK: no problems found"), run.out());
    }

    @Test
    void anIndexEntryThatDoesNotReadWhereTheJournalRelocatedItIsReported() {
        long relocatedAt;
        try (TempStore store = TempStore.open(dir)) {
            storeMessages(store);
            // The journal relocates a's entry of s1; the index is told b's entry moved instead.
            MessageRelocated inJournal = new MessageRelocated(List.of(new QueueRef("s1", a, 0)), copyOf("a"));
            MessageRelocated applied = new MessageRelocated(List.of(new QueueRef("s1", b, 0)), copyOf("b"));
            relocatedAt = store.appendAndSync(List.of(inJournal)).get(0).position();
            store.store().index().apply(List.of(new PositionedRecord(relocatedAt, applied)));
        }

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertFails(
                run,
                "PROBLEM at position " + b + ": the queue entry of 's1' at position " + b
                        + ", copy 0 reads its message at " + relocatedAt
                        + ", but no MessageRelocated names it: its message is at " + b + "; run rebuild-index",
                "PROBLEM at position " + a + ": the queue entry of 's1' at position " + a
                        + ", copy 0 reads its message at " + a
                        + ", but the last MessageRelocated naming it is at " + relocatedAt);
    }

    @Test
    void relocationRefsThatNameTheWrongEntryAreReported() {
        long wrongMessage;
        long noSuchEntry;
        long notAMessage;
        try (TempStore store = TempStore.open(dir)) {
            storeMessages(store);
            // The copy of a names b's entry; index and journal agree, so only the ref is wrong.
            wrongMessage = store.commit(List.of(new MessageRelocated(List.of(new QueueRef("s1", b, 0)), copyOf("a"))))
                    .get(0)
                    .position();
            // a queued no copy 2 for s1, and no entry at all for s3.
            noSuchEntry = store.commit(List.of(new MessageRelocated(
                            List.of(new QueueRef("s1", a, 2), new QueueRef("s3", a, 0)), copyOf("a"))))
                    .get(0)
                    .position();
            // The session's SessionOpened is no message.
            notAMessage = store.commit(
                            List.of(new MessageRelocated(List.of(new QueueRef("s1", opened, 0)), copyOf("a"))))
                    .get(0)
                    .position();
        }

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertFails(
                run,
                "PROBLEM at position " + wrongMessage + ": MessageRelocated at " + wrongMessage
                        + " names the queue entry of 's1' at position " + b
                        + ", copy 0, but its message is not the one stored at " + b + " (topic 'b')",
                "PROBLEM at position " + noSuchEntry + ": MessageRelocated names the queue entry of"
                        + " 's1' at position " + a + ", copy 2, but the MessageStored at " + a
                        + " queued no such entry (its recipients: 's1' copy 0, 's1' copy 1, 's2' copy 0)",
                "names the queue entry of 's3' at position " + a + ", copy 0, but the MessageStored",
                "PROBLEM at position " + notAMessage + ": MessageRelocated names the queue entry of"
                        + " 's1' at position " + opened + ", copy 0, but position " + opened
                        + " holds a SESSION_OPENED record, not a MessageStored");
    }

    /** Verify failed with exactly these problems (each a part of its line). */
    private static void assertFails(ToolRun run, String... problems) {
        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        for (String problem : problems) {
            assertTrue(run.out().contains(problem), () -> "expected: " + problem + "\n" + run);
        }
        assertTrue(run.out().contains("FAILED: " + problems.length + " problem(s) found"), run.out());
    }

    /** Sessions s1 and s2; message a queued for s1 twice (copies 0 and 1) and s2, b for s1. */
    private void storeMessages(TempStore store) {
        List<PositionedRecord> written = store.commit(List.of(
                new SessionOpened("s1", false, 3600, 5, T, null),
                new SessionOpened("s2", false, 3600, 5, T, null),
                message(
                        "a",
                        List.of(
                                new Recipient("s1", 1, false, new int[0], 0),
                                new Recipient("s1", 1, false, new int[0], 1),
                                new Recipient("s2", 1, false, new int[0], 0))),
                message("b", List.of(new Recipient("s1", 1, false, new int[0], 0)))));
        opened = written.get(0).position();
        a = written.get(2).position();
        b = written.get(3).position();
    }

    /** A relocated copy: the message as stored, without recipients. */
    private static MessageStored copyOf(String topic) {
        return message(topic, List.of());
    }
}
