package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.SessionExpired;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the index knows the oldest journal position any queue still reads (what retention must
 * keep), and a relocation moves an entry's message without moving the entry: same key, order,
 * state and packet id. Method: records applied at chosen positions to a real RocksDB index.
 */
class PayloadRefsTest extends IndexTestBase {
    @Test
    void theOldestQueuedPositionIsTheSmallestMessageAnyQueueStillReads() {
        assertEquals(-1, index.oldestQueuedPosition());
        apply(opened("a"), opened("b"));
        long first = apply(message("a", "b"));
        long second = apply(message("a"));
        assertEquals(first, index.oldestQueuedPosition());

        apply(new DeliveryAcknowledged("a", first));
        assertEquals(first, index.oldestQueuedPosition(), "b still reads it");
        apply(new DeliveryAcknowledged("b", first));
        assertEquals(second, index.oldestQueuedPosition());
        apply(new DeliveryAcknowledged("a", second));
        assertEquals(-1, index.oldestQueuedPosition());
    }

    @Test
    void aRelocationRepointsEachNamedEntryAndKeepsItsKeyStateAndPacketId() {
        apply(opened("a"), opened("b"));
        long first = apply(message("a", "b"));
        long second = apply(message("a"));
        apply(new DeliverySent("a", first, 7));
        long newer = apply(message("a"));

        long copy = apply(new MessageRelocated(
                List.of(new QueueRef("a", first), new QueueRef("a", second)),
                SampleRecords.message("pub", "t", 1, List.of())));

        List<QueueEntry> queue = index.queueScan("a", -1, 10);
        assertEquals(
                List.of(first, second, newer),
                queue.stream().map(QueueEntry::position).toList(),
                "order kept");
        assertEquals(
                List.of(copy, copy, newer),
                queue.stream().map(QueueEntry::payloadPosition).toList());
        assertEquals(DeliveryState.SENT, queue.get(0).state());
        assertEquals(7, queue.get(0).packetId());
        assertEquals(first, index.oldestQueuedPosition(), "b's entry still reads the original");
        assertEquals(List.of(new PayloadRef(first, "b", first)), index.payloadRefsBefore(second + 1, 10));
        assertEquals(3, index.queueDepth("a").messages());

        apply(new DeliveryAcknowledged("b", first));
        assertEquals(newer, index.oldestQueuedPosition());
        apply(new DeliveryAcknowledged("a", first), new DeliveryAcknowledged("a", second));
        assertEquals(newer, index.oldestQueuedPosition(), "the copy is no longer read");
        assertEquals(1, index.queueDepth("a").messages());
    }

    @Test
    void aRelocationOfAnEntryAcknowledgedMeanwhileChangesNothing() {
        apply(opened("a"));
        long first = apply(message("a"));
        apply(new DeliveryAcknowledged("a", first));
        apply(new MessageRelocated(List.of(new QueueRef("a", first)), SampleRecords.message("p", "t", 1, List.of())));
        assertEquals(List.of(), index.queueScan("a", -1, 10));
        assertEquals(-1, index.oldestQueuedPosition());
    }

    @Test
    void payloadRefsBeforeListsLiveEntriesInJournalOrderUpToTheLimit() {
        apply(opened("a"), opened("b"));
        long first = apply(message("b", "a"));
        long second = apply(message("a"));
        long third = apply(message("b"));
        assertEquals(
                List.of(
                        new PayloadRef(first, "a", first),
                        new PayloadRef(first, "b", first),
                        new PayloadRef(second, "a", second)),
                index.payloadRefsBefore(third, 10));
        assertEquals(List.of(new PayloadRef(first, "a", first)), index.payloadRefsBefore(third, 1));
        assertEquals(List.of(), index.payloadRefsBefore(first, 10));
    }

    @Test
    void aRemovedSessionsReferencesAreSkippedAndPruned() {
        apply(opened("a"), opened("b"));
        apply(message("a"), message("a"));
        long kept = apply(message("b"));
        apply(new SessionExpired("a", 5));
        assertEquals(List.of(new PayloadRef(kept, "b", kept)), index.payloadRefsBefore(kept + 1, 10));
        assertEquals(kept, index.oldestQueuedPosition());
        assertEquals(kept, index.oldestQueuedPosition(), "same answer once pruned");
    }

    @Test
    void anIndexOfFormat1GainsItsPayloadRefsOnOpen() throws Exception {
        apply(opened("a"), opened("b"));
        long first = apply(message("a", "b"));
        long second = apply(message("b"));
        index.close();
        OldIndexFormats.rewriteAs(dir.resolve("index"), 1);

        index = RocksIndexStore.open(dir.resolve("index"));
        index.upgrade(position -> 13); // Format 1 had no sizes either (see QueueDepthTest).

        assertEquals(first, index.oldestQueuedPosition());
        assertEquals(
                List.of(
                        new PayloadRef(first, "a", first),
                        new PayloadRef(first, "b", first),
                        new PayloadRef(second, "b", second)),
                index.payloadRefsBefore(second + 1, 10));
    }

    private static MessageStored message(String... recipients) {
        List<Recipient> list = recipients(recipients);
        return SampleRecords.message("pub", "t", 1, list);
    }
}
