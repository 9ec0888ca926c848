package dev.cairn.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.QoS;
import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Goal: the outbound queue keeps order, honours the window, re-sends in order with ids kept. */
class OutboundQueueTest {
    /** Records what the queue sends, with switchable writability and a size cut-off. */
    private static final class RecordingSink implements DeliverySink {
        final List<String> sent = new ArrayList<>();
        boolean writable = true;
        int payloadBytesMax = Integer.MAX_VALUE;

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public boolean sendPublish(Delivery d, boolean dup) {
            if (d.message().payload().length > payloadBytesMax) {
                return false;
            }
            sent.add((dup ? "DUP " : "") + d.message().topic() + "#" + d.packetId());
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            sent.add("PUBREL#" + packetId);
        }
    }

    private static Delivery delivery(String topic, QoS qos) {
        return delivery(topic, qos, 1);
    }

    private static Delivery delivery(String topic, QoS qos, int payloadBytes) {
        Message m =
                new Message(topic, qos, false, new byte[payloadBytes], Properties.EMPTY, "pub", Message.NEVER_EXPIRES);
        return new Delivery(m, qos, false, null);
    }

    @Test
    void windowBoundsInflightAndAckReleasesTheNext() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        for (int i = 0; i < 5; i++) {
            q.offer(delivery("t" + i, QoS.AT_LEAST_ONCE), true);
        }
        q.pump(sink, 2, 0);
        assertEquals(List.of("t0#1", "t1#2"), sink.sent);
        assertEquals(2, q.inflightCount());
        assertNotNull(q.onPubAck(1));
        q.pump(sink, 2, 0);
        assertEquals(List.of("t0#1", "t1#2", "t2#3"), sink.sent);
        assertNull(q.onPubAck(1), "a second PUBACK for the same id completes nothing");
    }

    @Test
    void qos0IsNotCountedAgainstTheWindow() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        q.offer(delivery("a", QoS.AT_LEAST_ONCE), true);
        q.offer(delivery("b", QoS.AT_MOST_ONCE), true);
        q.pump(sink, 1, 0);
        assertEquals(List.of("a#1", "b#0"), sink.sent);
    }

    @Test
    void unwritableConnectionKeepsMessagesQueued() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        sink.writable = false;
        q.offer(delivery("a", QoS.AT_LEAST_ONCE), true);
        q.pump(sink, 10, 0);
        assertTrue(sink.sent.isEmpty());
        assertEquals(1, q.queuedCount());
    }

    @Test
    void aMessageThatWouldPassTheByteLimitIsRefusedCountingTopicUtf8PlusPayload() {
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, 20, 10), DeliveryLog.NONE, null);
        assertEquals(2 + 8, delivery("ü", QoS.AT_LEAST_ONCE, 8).message().queuedBytes(), "ü is 2 bytes in UTF-8");
        assertTrue(q.offer(delivery("ü", QoS.AT_LEAST_ONCE, 8), true));
        assertTrue(q.offer(delivery("ab", QoS.AT_LEAST_ONCE, 8), true), "exactly at the limit is allowed");
        assertEquals(20, q.queuedBytes());
        assertTrue(q.fits(1, 0, false, true));
        assertFalse(q.fits(1, 1, false, true));

        assertFalse(q.offer(delivery("c", QoS.AT_LEAST_ONCE, 0), true));
        assertEquals(1, q.droppedCount());
        assertEquals(2, q.queuedCount());
    }

    @Test
    void queuedBytesFollowTheMessagesThroughMemoryBacklogSendAndDisconnect() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, 1000, 2), DeliveryLog.NONE, disk);
        RecordingSink sink = new RecordingSink();
        for (int i = 1; i <= 4; i++) {
            assertTrue(q.offer(disk.journaled(i, "m" + i), true)); // "mN" plus a 1-byte payload: 3 bytes
        }
        assertEquals(2, q.inMemoryCount());
        assertEquals(4 * 3, q.queuedBytes(), "memory and backlog together");

        q.pump(sink, 1, 0);
        assertEquals(3 * 3, q.queuedBytes(), "a sent message no longer waits");
        q.disconnected();
        assertEquals(3 * 3, q.queuedBytes(), "disconnecting moves waiting bytes to the backlog, it drops none");
        q.clear();
        assertEquals(0, q.queuedBytes());

        q.restoreBacklog(5, 123, 0, 0);
        assertEquals(123, q.queuedBytes());
        assertFalse(q.fits(1, 1000 - 123 + 1, true, false));
        assertTrue(q.fits(1, 1000 - 123, true, false));
    }

    @Test
    void memoryRoomIsWhatANonJournaledDeliveryNeeds() {
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, 1000, 2), DeliveryLog.NONE, null);
        assertTrue(q.fits(1, 1, false, true));
        assertFalse(q.fits(1, 1, false, false), "a disconnected session keeps nothing in memory");
        q.offer(delivery("a", QoS.AT_LEAST_ONCE), true);
        q.offer(delivery("b", QoS.AT_LEAST_ONCE), true);
        assertFalse(q.fits(1, 1, false, true));
        assertTrue(q.queuedCount() < 100 && q.queuedBytes() < 1000, "the message and byte limits are not reached");
        assertFalse(q.offer(delivery("c", QoS.AT_LEAST_ONCE), true), "so offer refuses it for want of memory");
    }

    @Test
    void fullQueueRefusesAndCounts() {
        OutboundQueue q = new OutboundQueue(2);
        assertTrue(q.offer(delivery("a", QoS.AT_LEAST_ONCE), true));
        assertTrue(q.offer(delivery("b", QoS.AT_LEAST_ONCE), true));
        assertFalse(q.offer(delivery("c", QoS.AT_LEAST_ONCE), true));
        assertEquals(1, q.droppedCount());
        assertEquals(2, q.queuedCount());
    }

    @Test
    void resendKeepsOrderAndPacketIdsAndSendsPubRelForReceivedQos2() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        q.offer(delivery("one", QoS.EXACTLY_ONCE), true);
        q.offer(delivery("two", QoS.AT_LEAST_ONCE), true);
        q.pump(sink, 10, 0);
        assertNotNull(q.onPubRec(1, false));
        sink.sent.clear();
        q.resendInflight(sink, 65_535);
        assertEquals(List.of("PUBREL#1", "DUP two#2"), sink.sent);
        assertNotNull(q.onPubComp(1));
        assertEquals(1, q.inflightCount());
    }

    @Test
    void pubRecWithErrorReasonEndsTheFlow() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        q.offer(delivery("x", QoS.EXACTLY_ONCE), true);
        q.pump(sink, 10, 0);
        assertNotNull(q.onPubRec(1, true));
        assertEquals(0, q.inflightCount());
    }

    @Test
    void tooLargeDeliveryIsDiscardedAndFreesItsSlot() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        sink.payloadBytesMax = 10;
        q.offer(delivery("big", QoS.AT_LEAST_ONCE, 100), true);
        q.offer(delivery("small", QoS.AT_LEAST_ONCE, 5), true);
        q.pump(sink, 1, 0);
        assertEquals(List.of("small#2"), sink.sent);
        assertEquals(1, q.inflightCount());
    }

    @Test
    void expiredMessagesAreDroppedUnsent() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        Message m = new Message("e", QoS.AT_LEAST_ONCE, false, new byte[1], Properties.EMPTY, "pub", 1_000L);
        q.offer(new Delivery(m, QoS.AT_LEAST_ONCE, false, null), true);
        q.pump(sink, 10, 2_000L);
        assertTrue(sink.sent.isEmpty());
        assertEquals(0, q.queuedCount());
    }

    @Test
    void packetIdsWrapAndSkipIdsInUse() {
        OutboundQueue q = new OutboundQueue(70_000);
        RecordingSink sink = new RecordingSink();
        q.offer(delivery("held", QoS.AT_LEAST_ONCE), true);
        q.pump(sink, 65_535, 0); // "held" keeps id 1 in flight.
        for (int i = 0; i < 65_534; i++) {
            q.offer(delivery("t", QoS.AT_LEAST_ONCE), true);
            q.pump(sink, 65_535, 0);
            assertNotNull(q.onPubAck(i + 2));
        }
        q.offer(delivery("wrapped", QoS.AT_LEAST_ONCE), true);
        q.pump(sink, 65_535, 0);
        assertEquals("wrapped#2", sink.sent.get(sink.sent.size() - 1), "id 1 is in use, so the wrap skips it");
    }
    /**
     * A disk stand-in: journaled deliveries by queue key (position, copy), read back after a key.
     * Keys are {@code position * 1000 + copy} (copies stay below 1000 here).
     */
    private static final class ListBacklog implements Backlog {
        final java.util.TreeMap<Long, Delivery> entries = new java.util.TreeMap<>();
        long appliedUpTo = Long.MAX_VALUE;

        Delivery journaled(long position, String topic) {
            return journaled(position, 0, topic);
        }

        Delivery journaled(long position, int copy, String topic) {
            Message m = new Message(
                    topic,
                    QoS.AT_LEAST_ONCE,
                    false,
                    new byte[1],
                    Properties.EMPTY,
                    "pub",
                    Message.NEVER_EXPIRES,
                    position);
            Delivery d = new Delivery(m, QoS.AT_LEAST_ONCE, false, null, true, copy);
            entries.put(position * 1000 + copy, d);
            return d;
        }

        @Override
        public List<Delivery> read(long afterPosition, int afterCopy, int maxEntries) {
            List<Delivery> out = new ArrayList<>();
            for (Delivery d :
                    entries.tailMap(afterPosition * 1000 + afterCopy, false).values()) {
                if (out.size() == maxEntries || d.position() > appliedUpTo) {
                    break;
                }
                Message m = d.message();
                out.add(new Delivery(m, d.qos(), d.retain(), null, true, d.copy()));
            }
            return out;
        }
    }

    /**
     * Two copies of one message (a shared group's pick besides the session's own subscription)
     * are two queue entries: when memory takes the first and the second spills, the read back
     * starts after (position, copy 0) and so finds copy 1, and a disconnect reads both back.
     */
    @Test
    void secondCopyOfAMessageSpillsAndIsReadBackAfterTheFirst() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 1), DeliveryLog.NONE, disk);
        RecordingSink sink = new RecordingSink();
        assertTrue(q.offer(disk.journaled(7, 0, "m7"), true));
        assertTrue(q.offer(disk.journaled(7, 1, "m7"), true));
        assertEquals(1, q.inMemoryCount());
        assertEquals(1, q.backlogCount());
        q.pump(sink, 10, 0);
        assertEquals(List.of("m7#1", "m7#2"), sink.sent, "both copies sent, in copy order");

        ListBacklog disk2 = new ListBacklog();
        OutboundQueue q2 = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 10), DeliveryLog.NONE, disk2);
        assertTrue(q2.offer(disk2.journaled(9, 0, "m9"), true));
        assertTrue(q2.offer(disk2.journaled(9, 1, "m9"), true));
        q2.disconnected();
        assertEquals(2, q2.backlogCount());
        RecordingSink sink2 = new RecordingSink();
        q2.pump(sink2, 10, 0);
        assertEquals(List.of("m9#1", "m9#2"), sink2.sent, "a disconnect reads back from copy 0");
    }

    @Test
    void connectedSessionSpillsBeyondMemoryAndReadsBackInOrder() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 2), DeliveryLog.NONE, disk);
        RecordingSink sink = new RecordingSink();
        for (int i = 1; i <= 5; i++) {
            assertTrue(q.offer(disk.journaled(i * 10L, "m" + i), true));
        }
        assertEquals(2, q.inMemoryCount(), "memory holds only memoryMax");
        assertEquals(3, q.backlogCount());
        q.pump(sink, 100, 0);
        assertEquals(List.of("m1#1", "m2#2", "m3#3", "m4#4", "m5#5"), sink.sent);
    }

    @Test
    void disconnectedSessionKeepsNothingInMemory() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 10), DeliveryLog.NONE, disk);
        assertTrue(q.offer(disk.journaled(1, "a"), false));
        assertFalse(q.offer(delivery("qos0", QoS.AT_MOST_ONCE), false), "a non-journaled delivery cannot spill");
        assertEquals(0, q.inMemoryCount());
        assertEquals(1, q.backlogCount());
    }

    @Test
    void disconnectMovesWaitingMessagesBackToDiskAndReconnectResumesInOrder() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 10), DeliveryLog.NONE, disk);
        RecordingSink sink = new RecordingSink();
        for (int i = 1; i <= 4; i++) {
            q.offer(disk.journaled(i, "m" + i), true);
        }
        q.pump(sink, 1, 0); // m1 in flight, m2..m4 waiting in memory
        q.disconnected();
        assertEquals(0, q.inMemoryCount());
        assertEquals(3, q.backlogCount());
        disk.entries.remove(1L); // in flight: the real backlog skips it
        sink.sent.clear();
        q.resendInflight(sink, 65_535);
        assertNotNull(q.onPubAck(1));
        q.pump(sink, 10, 0);
        assertEquals(List.of("DUP m1#1", "m2#2", "m3#3", "m4#4"), sink.sent);
    }

    @Test
    void backlogNotYetInTheIndexReportsAwaitingIndex() {
        ListBacklog disk = new ListBacklog();
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 1), DeliveryLog.NONE, disk);
        RecordingSink sink = new RecordingSink();
        q.offer(disk.journaled(1, "a"), true);
        q.offer(disk.journaled(2, "b"), true);
        disk.appliedUpTo = 1;
        assertEquals(OutboundQueue.PumpResult.AWAITING_INDEX, q.pump(sink, 10, 0));
        assertEquals(List.of("a#1"), sink.sent);
        disk.appliedUpTo = 2;
        assertEquals(OutboundQueue.PumpResult.IDLE, q.pump(sink, 10, 0));
        assertEquals(List.of("a#1", "b#2"), sink.sent);
    }

    @Test
    void journaledDeliveriesReportSentReleasedAndFinished() {
        ListBacklog disk = new ListBacklog();
        List<String> log = new ArrayList<>();
        DeliveryLog recording = new DeliveryLog() {
            @Override
            public void sent(Delivery d) {
                log.add("sent " + d.position() + "#" + d.packetId());
            }

            @Override
            public void released(Delivery d) {
                log.add("released " + d.position());
            }

            @Override
            public void finished(Delivery d) {
                log.add("finished " + d.position());
            }
        };
        OutboundQueue q = new OutboundQueue(new QueueLimits(100, Long.MAX_VALUE, 10), recording, disk);
        RecordingSink sink = new RecordingSink();
        Message m = new Message(
                "x", QoS.EXACTLY_ONCE, false, new byte[1], Properties.EMPTY, "pub", Message.NEVER_EXPIRES, 7);
        q.offer(new Delivery(m, QoS.EXACTLY_ONCE, false, null, true), true);
        q.pump(sink, 10, 0);
        q.onPubRec(1, false);
        q.onPubComp(1);
        assertEquals(List.of("sent 7#1", "released 7", "finished 7"), log);
    }

    @Test
    void resendAfterReconnectRespectsTheNewReceiveMaximum() {
        OutboundQueue q = new OutboundQueue(100);
        RecordingSink sink = new RecordingSink();
        for (int i = 1; i <= 4; i++) {
            q.offer(delivery("m" + i, QoS.AT_LEAST_ONCE), true);
        }
        q.pump(sink, 10, 0); // four in flight on the old connection
        sink.sent.clear();
        q.resendInflight(sink, 2); // the client came back with Receive Maximum 2 (section 4.9)
        assertEquals(List.of("DUP m1#1", "DUP m2#2"), sink.sent);
        q.pump(sink, 2, 0);
        assertEquals(2, sink.sent.size(), "no more until an acknowledgement opens the window");
        assertNotNull(q.onPubAck(1));
        q.pump(sink, 2, 0);
        assertEquals(List.of("DUP m1#1", "DUP m2#2", "DUP m3#3"), sink.sent);
        assertNotNull(q.onPubAck(2));
        assertNotNull(q.onPubAck(3));
        q.pump(sink, 2, 0);
        assertEquals(List.of("DUP m1#1", "DUP m2#2", "DUP m3#3", "DUP m4#4"), sink.sent);
    }
}
