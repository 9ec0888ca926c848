package dev.cairn.tools.repair;

import static dev.cairn.tools.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.ToolRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the rewrite moves every ref of a relocated copy with the same map as the delivery records
 * (copy numbers kept), drops a ref whose message it does not keep (removed as damaged, or never in
 * the journal) without touching the copy's other refs, leaves out a copy with no ref left, and
 * says so; it never stops on such a ref. Method: a journal written record by record, one message's
 * record damaged, then {@code repair} run and the new journal read back.
 */
class RepairRelocationRefsTest {
    @TempDir
    Path dir;

    @Test
    void refsFollowTheirMessagesAndRefsToMessagesNotKeptAreDropped() throws Exception {
        // Arrange: messages a, b, c; b is damaged. The copy of a serves three entries (two copies
        // for one session), the copy of b only b's entry, the copy of c its entry and one naming a
        // position that holds no message.
        Path journalDir = dir.resolve("journal");
        MessageStored b = message("b", List.of(new Recipient("s1", 1, false, new int[0], 0)));
        long a;
        long bPosition;
        long c;
        long nowhere;
        try (ChronicleJournal journal =
                ChronicleJournal.open(journalDir, SyncPolicy.PROCESS, JournalRollCycle.HOURLY)) {
            a = journal.append(message(
                    "a",
                    List.of(
                            new Recipient("s1", 1, false, new int[0], 0),
                            new Recipient("s1", 1, false, new int[0], 1),
                            new Recipient("s2", 1, false, new int[0], 0))));
            bPosition = journal.append(b);
            c = journal.append(message("c", List.of(new Recipient("s1", 1, false, new int[0], 0))));
            nowhere = journal.append(new DeliverySent("s1", a, 7, 1)); // a position, but not a message's
            journal.append(new MessageRelocated(
                    List.of(new QueueRef("s1", a, 0), new QueueRef("s1", a, 1), new QueueRef("s2", a, 0)),
                    message("a", List.of())));
            journal.append(new MessageRelocated(List.of(new QueueRef("s1", bPosition, 0)), message("b", List.of())));
            journal.append(new MessageRelocated(
                    List.of(new QueueRef("s1", c, 0), new QueueRef("s1", nowhere, 0)), message("c", List.of())));
            journal.append(message("d", List.of())); // a good record after the damage: corruption, not a tear
            journal.sync();
        }
        JournalCorruptor.flipByte(journalDir, RecordCodec.encode(b), 20);

        // Act
        ToolRun repair = ToolRun.run("repair", "--data-dir", dir);

        // Assert
        assertEquals(ExitCode.OK, repair.exitCode(), repair.toString());
        List<JournalRecord> records = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journalDir);
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                records.add(RecordCodec.decode(d.bytes()));
                positions.add(d.position());
            }
        }
        assertEquals(6, records.size(), records.toString());
        assertEquals("a", topic(records.get(0)));
        assertEquals("c", topic(records.get(1)));
        long newA = positions.get(0);
        long newC = positions.get(1);
        assertEquals(new DeliverySent("s1", newA, 7, 1), records.get(2));
        MessageRelocated copyOfA = (MessageRelocated) records.get(3);
        assertEquals(
                List.of(new QueueRef("s1", newA, 0), new QueueRef("s1", newA, 1), new QueueRef("s2", newA, 0)),
                copyOfA.refs());
        assertEquals("a", copyOfA.message().topic());
        MessageRelocated copyOfC = (MessageRelocated) records.get(4);
        assertEquals(List.of(new QueueRef("s1", newC, 0)), copyOfC.refs(), "the ref to a message kept stays");
        assertEquals("c", copyOfC.message().topic());
        assertEquals("d", topic(records.get(5)));
        // and the report names each ref dropped, with why, and counts them.
        assertTrue(
                repair.out()
                        .contains("relocation ref dropped: the queue entry of 's1' at position " + bPosition
                                + ", served by the relocated copy at position "),
                repair.out());
        assertTrue(repair.out().contains("its message is in a removed document"), repair.out());
        assertTrue(
                repair.out()
                        .contains("relocation ref dropped: the queue entry of 's1' at position " + nowhere
                                + ", served by the relocated copy at position "),
                repair.out());
        assertTrue(repair.out().contains("no MessageStored record at that position"), repair.out());
        assertTrue(
                repair.out()
                        .contains("relocated copies: 2 kept, their refs moved to the new positions; 2 refs to"
                                + " messages not kept dropped; 1 copies dropped as they served no remaining entry"),
                repair.out());
    }

    private static String topic(JournalRecord record) {
        return ((MessageStored) record).topic();
    }
}
