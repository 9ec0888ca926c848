package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: one message can be queued more than once for one session (its non-shared subscriptions
 * and each shared group that picked it, MQTT 5.0 section 4.8.2), each copy its own entry with its
 * own QoS, identifiers, state, payload reference and depth, named by {@code (position, copy)}.
 */
class QueueCopiesTest extends IndexTestBase {
    /** Topic "t" and payload "payload of t". */
    private static final long MESSAGE_BYTES = 1 + 12;

    private static MessageStored twoCopiesFor(String clientId) {
        return SampleRecords.message(
                "pub",
                "t",
                2,
                List.of(
                        new Recipient(clientId, 1, false, new int[] {1}, 0),
                        new Recipient(clientId, 2, true, new int[] {2}, 1)));
    }

    private static QueueEntry entry(
            long position, int copy, int qos, DeliveryState state, int packetId, boolean rap, int id) {
        return new QueueEntry(position, qos, state, packetId, rap, new int[] {id}, MESSAGE_BYTES, position, copy);
    }

    @Test
    void eachCopyIsItsOwnEntryInKeyOrderAndEachRecordMovesOnlyItsOwn() {
        apply(opened("a"), opened("b"));
        long first = apply(twoCopiesFor("a"));
        long second = apply(SampleRecords.message("pub", "t", 1, recipients("a", "b")));

        QueueEntry copy0 = entry(first, 0, 1, DeliveryState.QUEUED, 0, false, 1);
        QueueEntry copy1 = entry(first, 1, 2, DeliveryState.QUEUED, 0, true, 2);
        QueueEntry next = new QueueEntry(second, 1, DeliveryState.QUEUED, 0, false, new int[0], MESSAGE_BYTES);
        assertEquals(List.of(copy0, copy1, next), index.queueScan("a", -1, 10));
        assertEquals(List.of(copy1, next), index.queueScan("a", first, 0, 10), "after (first, 0)");
        assertEquals(List.of(copy0, copy1, next), index.queueScan("a", first, -1, 10), "after (first, -1)");
        assertEquals(List.of(next), index.queueScan("a", first, Integer.MAX_VALUE, 10), "after every copy");
        assertEquals(List.of(next), index.queueScan("b", -1, 10), "b is not inside a's range");
        assertEquals(new QueueDepth(3, 3 * MESSAGE_BYTES), index.queueDepth("a"));

        apply(new DeliverySent("a", first, 8, 1), new DeliveryReleased("a", first, 8, 1));
        apply(new DeliverySent("a", first, 7, 0));
        assertEquals(
                List.of(
                        entry(first, 0, 1, DeliveryState.SENT, 7, false, 1),
                        entry(first, 1, 2, DeliveryState.RELEASED, 8, true, 2),
                        next),
                index.queueScan("a", -1, 10));

        apply(new DeliveryAcknowledged("a", first, 1));
        assertEquals(
                List.of(entry(first, 0, 1, DeliveryState.SENT, 7, false, 1), next),
                index.queueScan("a", -1, 10),
                "the ack of copy 1 removes copy 1 only");
        assertEquals(new QueueDepth(2, 2 * MESSAGE_BYTES), index.queueDepth("a"));
        assertEquals(first, index.oldestQueuedPosition(), "copy 0 still reads the message");

        apply(new DeliveryAcknowledged("a", first, 0));
        assertEquals(List.of(next), index.queueScan("a", -1, 10));
        assertEquals(second, index.oldestQueuedPosition());
    }

    @Test
    void aRelocationRepointsEachCopyItNames() {
        apply(opened("a"));
        long stored = apply(twoCopiesFor("a"));
        assertEquals(
                List.of(new PayloadRef(stored, "a", stored, 0), new PayloadRef(stored, "a", stored, 1)),
                index.payloadRefsBefore(stored + 1, 10));

        long relocated = apply(new MessageRelocated(
                List.of(new QueueRef("a", stored, 0), new QueueRef("a", stored, 1)),
                SampleRecords.message("pub", "t", 2, List.of())));

        assertEquals(
                List.of(relocated, relocated),
                index.queueScan("a", -1, 10).stream()
                        .map(QueueEntry::payloadPosition)
                        .toList());
        assertEquals(
                List.of(0, 1),
                index.queueScan("a", -1, 10).stream().map(QueueEntry::copy).toList());
        assertEquals(
                List.of(new PayloadRef(relocated, "a", stored, 0), new PayloadRef(relocated, "a", stored, 1)),
                index.payloadRefsBefore(relocated + 1, 10));
        apply(new DeliveryAcknowledged("a", stored, 0));
        assertEquals(relocated, index.oldestQueuedPosition(), "copy 1 still reads the relocated message");
        apply(new DeliveryAcknowledged("a", stored, 1));
        assertEquals(-1, index.oldestQueuedPosition());
        assertEquals(QueueDepth.EMPTY, index.queueDepth("a"));
    }

    @Test
    void anIndexOfFormat3OpensAsFormat4WithItsEntriesUnchanged() throws Exception {
        apply(opened("a"));
        long stored = apply(SampleRecords.message("pub", "t", 1, recipients("a")));
        List<QueueEntry> before = index.queueScan("a", -1, 10);
        index.close();
        OldIndexFormats.rewriteAs(indexDirectory(), 3);
        index = RocksIndexStore.open(indexDirectory());

        assertEquals(false, index.needsUpgrade());
        assertEquals(before, index.queueScan("a", -1, 10));
        assertEquals(stored, index.oldestQueuedPosition());
        index.close();
        try (IndexReader reader = IndexReader.openReadOnly(indexDirectory())) {
            assertEquals(5, reader.indexFormat(), "the new number is stored, so an older Cairn refuses the index");
        }
        index = RocksIndexStore.open(indexDirectory());
    }
}
