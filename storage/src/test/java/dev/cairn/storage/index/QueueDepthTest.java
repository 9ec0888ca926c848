package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Goal: a session's queue depth in the index is always the number of its entries and the sum of
 * their messages' bytes (topic UTF-8 plus payload), whatever the records do to the queue, so the
 * broker's per-session byte limit survives a restart. Method: records of messages of different
 * sizes applied to a real RocksDB index; after each step the stored depth is compared with the
 * expected sum.
 */
class QueueDepthTest extends IndexTestBase {
    @Test
    void aStoredMessageAddsItsTopicAndPayloadBytesToEveryRecipient() {
        apply(opened("a"), opened("b"));
        apply(message("t/ü", 10, "a", "b")); // "t/ü" is 4 bytes in UTF-8.
        apply(message("x", 100, "a"));

        assertEquals(new QueueDepth(2, 14 + 101), index.queueDepth("a"));
        assertEquals(new QueueDepth(1, 14), index.queueDepth("b"));
        assertEquals(
                List.of(14L, 101L),
                index.queueScan("a", -1, 10).stream()
                        .map(QueueEntry::messageBytes)
                        .toList());
    }

    @Test
    void anAcknowledgementSubtractsExactlyItsEntrysBytesAndSendsChangeNothing() {
        apply(opened("a"));
        long small = apply(message("s", 9, "a"));
        long large = apply(message("l", 999, "a"));
        apply(new DeliverySent("a", large, 1), new DeliveryReleased("a", large, 1));
        assertEquals(new QueueDepth(2, 10 + 1000), index.queueDepth("a"), "sent and released entries still count");

        apply(new DeliveryAcknowledged("a", large));
        assertEquals(new QueueDepth(1, 10), index.queueDepth("a"));
        apply(new DeliveryAcknowledged("a", large));
        assertEquals(new QueueDepth(1, 10), index.queueDepth("a"), "a repeated acknowledgement subtracts nothing");
        apply(new DeliveryAcknowledged("a", small));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("a"));
    }

    @Test
    void aRelocatedEntryKeepsItsSizeAndItsAcknowledgementStillSubtractsIt() {
        apply(opened("a"));
        long first = apply(message("t", 49, "a"));
        apply(message("t", 4, "a"));
        apply(new MessageRelocated(List.of(new QueueRef("a", first)), message("t", 49)));
        assertEquals(new QueueDepth(2, 50 + 5), index.queueDepth("a"));

        apply(new DeliveryAcknowledged("a", first));
        assertEquals(new QueueDepth(1, 5), index.queueDepth("a"));
    }

    @Test
    void sessionExpiryAndCleanStartClearTheDepthOfThatSessionOnly() {
        apply(opened("a"), opened("ab"));
        apply(message("t", 9, "a", "ab"));
        apply(new SessionExpired("a", 5));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("a"));
        assertEquals(new QueueDepth(1, 10), index.queueDepth("ab"));

        apply(new SessionOpened("ab", true, 60, 5, 6, null));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("ab"));
        apply(message("t", 1, "ab"));
        assertEquals(new QueueDepth(1, 2), index.queueDepth("ab"), "counting starts again from nothing");
    }

    @Test
    void aRecipientNamedTwiceAndABatchAppliedTwiceCountOnce() {
        List<PositionedRecord> batch = positioned(opened("a"), message("t", 9, "a", "a"));
        index.apply(batch);
        index.apply(batch);
        assertEquals(new QueueDepth(1, 10), index.queueDepth("a"));
    }

    @Test
    void anIndexWithoutSizesIsRefusedForApplyUntilUpgradedThenCountsWhatTheJournalSays() throws Exception {
        apply(opened("a"), opened("b"));
        long first = apply(message("t", 19, "a", "b"));
        long second = apply(message("tt", 298, "a"));
        long relocated = apply(new MessageRelocated(List.of(new QueueRef("a", first)), message("t", 19)));
        apply(new DeliverySent("a", first, 3));
        index.close();
        OldIndexFormats.rewriteAs(dir.resolve("index"), 2);
        Map<Long, Long> journalSizes = new HashMap<>(Map.of(first, 20L, second, 300L, relocated, 20L));
        List<Long> read = new ArrayList<>();

        index = RocksIndexStore.open(dir.resolve("index"));
        assertTrue(index.needsUpgrade());
        assertThrows(IndexFormatException.class, () -> apply(message("t", 0, "a")));
        index.upgrade(position -> {
            read.add(position);
            return journalSizes.get(position);
        });

        assertEquals(new QueueDepth(2, 20 + 300), index.queueDepth("a"));
        assertEquals(new QueueDepth(1, 20), index.queueDepth("b"));
        assertEquals(List.of(relocated, second, first), read, "in key order, each entry's message where it reads it");
        QueueEntry sent = index.queueScan("a", -1, 1).get(0);
        assertEquals(new QueueEntry(first, 1, DeliveryState.SENT, 3, false, new int[0], 20, relocated), sent);
        index.close();
        index = RocksIndexStore.open(dir.resolve("index"));
        assertTrue(!index.needsUpgrade(), "the upgrade is stored");
        apply(new DeliveryAcknowledged("a", second));
        assertEquals(new QueueDepth(1, 20), index.queueDepth("a"));
    }

    /** A QoS 1 message on {@code topic} with a payload of {@code payloadBytes} bytes. */
    private static MessageStored message(String topic, int payloadBytes, String... recipients) {
        List<Recipient> list = recipients(recipients);
        byte[] payload = "p".repeat(payloadBytes).getBytes(StandardCharsets.UTF_8);
        return new MessageStored("pub", topic, 1, false, new byte[0], payload, 1, -1, list);
    }
}
