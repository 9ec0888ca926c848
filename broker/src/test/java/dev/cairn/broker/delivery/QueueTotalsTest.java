package dev.cairn.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.QoS;
import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Goal: the running totals of {@link QueueTotals} and the marks of {@link OldestQueued} always
 * equal a count from scratch of every queue. Method: 30 queues on one totals object, each over a
 * disk stand-in that keeps journaled entries until they are finished (as the index does), get
 * thousands of random operations (offers of journaled and QoS 0 deliveries, pumps with the
 * connection writable or not and small windows, acknowledgements, disconnects and reconnects,
 * purges, a session's end); after every few, the totals are updated and compared with the sums,
 * the largest queue and the oldest waiting journaled entry counted over every queue.
 */
class QueueTotalsTest {
    private static final int QUEUES = 30;

    /** Journaled entries of one queue by key {@code position * 1000 + copy}, with whether each is in flight. */
    private static final class Disk implements Backlog, DeliveryLog {
        final TreeMap<Long, Delivery> entries = new TreeMap<>();
        final TreeMap<Long, Boolean> inflight = new TreeMap<>();
        /** Entries at later positions are not applied yet: reads do not see them. */
        long appliedUpTo = Long.MAX_VALUE;

        @Override
        public List<Delivery> read(long afterPosition, int afterCopy, int maxEntries) {
            List<Delivery> out = new ArrayList<>();
            for (Map.Entry<Long, Delivery> e :
                    entries.tailMap(afterPosition * 1000 + afterCopy, false).entrySet()) {
                if (out.size() == maxEntries || e.getValue().position() > appliedUpTo) {
                    break;
                }
                if (!inflight.containsKey(e.getKey())) {
                    Delivery d = e.getValue();
                    out.add(new Delivery(d.message(), d.qos(), d.retain(), null, true, d.copy()));
                }
            }
            return out;
        }

        /** The receive time is the position here: positions grow as messages arrive. */
        @Override
        public long oldestQueuedAtMillis() {
            long first = firstWaiting();
            return first > appliedUpTo ? -1 : first;
        }

        long firstWaiting() {
            for (Long key : entries.keySet()) {
                if (!inflight.containsKey(key)) {
                    return key / 1000;
                }
            }
            return -1;
        }

        @Override
        public void sent(Delivery d) {
            inflight.put(key(d), true);
        }

        @Override
        public void released(Delivery d) {}

        @Override
        public void finished(Delivery d) {
            entries.remove(key(d));
            inflight.remove(key(d));
        }

        static long key(Delivery d) {
            return d.position() * 1000 + d.copy();
        }
    }

    /** A connection that takes what the window allows while writable and records the packet ids sent. */
    private static final class Sink implements DeliverySink {
        boolean writable = true;
        final List<Integer> awaitingAck = new ArrayList<>();

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public boolean sendPublish(Delivery d, boolean dup) {
            if (d.qos() != QoS.AT_MOST_ONCE && !dup) {
                awaitingAck.add(d.packetId());
            }
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {}
    }

    /**
     * A queue whose memory emptied while the rest of its backlog was not applied yet knows only a
     * lower bound of its first waiting position; once applied, the oldest is found by reading it,
     * not by trusting the bound (which would put this queue first).
     */
    @Test
    void aBacklogHeadKnownOnlyAsALowerBoundIsReadBeforeItDecidesTheOldest() {
        QueueTotals totals = new QueueTotals();
        Disk diskA = new Disk();
        Disk diskB = new Disk();
        OutboundQueue a = new OutboundQueue(new QueueLimits(10, 1_000, 1), diskA, diskA, totals);
        OutboundQueue b = new OutboundQueue(new QueueLimits(10, 1_000, 1), diskB, diskB, totals);
        a.offer(journaled(diskA, 1), true);
        a.offer(journaled(diskA, 5), true);
        b.offer(journaled(diskB, 3), false);
        diskA.appliedUpTo = 1;
        Sink sink = new Sink();
        // Act: position 1 is sent; the read back of the backlog finds nothing applied after it.
        assertEquals(OutboundQueue.PumpResult.AWAITING_INDEX, a.pump(sink, 10, 0));
        diskA.appliedUpTo = Long.MAX_VALUE;
        // Assert: a waits from position 5, b from 3.
        assertEquals(3, totals.oldest().oldestQueuedAtMillis());
        assertEquals(b, totals.oldest().oldestQueue());
    }

    private static Delivery journaled(Disk disk, long position) {
        Message m = new Message(
                "t", QoS.AT_LEAST_ONCE, false, new byte[1], Properties.EMPTY, "pub", Message.NEVER_EXPIRES, position);
        Delivery d = new Delivery(m, QoS.AT_LEAST_ONCE, false, null, true, 0);
        disk.entries.put(Disk.key(d), d);
        return d;
    }

    @Test
    void runningTotalsAndTheOldestEqualACountOfEveryQueueAfterRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            randomRun(seed);
        }
    }

    private void randomRun(long seed) {
        Random random = new Random(seed);
        QueueTotals totals = new QueueTotals();
        QueueLimits limits = new QueueLimits(40, 4_000, 5);
        OutboundQueue[] queues = new OutboundQueue[QUEUES];
        Disk[] disks = new Disk[QUEUES];
        Sink[] sinks = new Sink[QUEUES];
        boolean[] connected = new boolean[QUEUES];
        for (int i = 0; i < QUEUES; i++) {
            disks[i] = new Disk();
            queues[i] = new OutboundQueue(limits, disks[i], disks[i], totals);
            sinks[i] = new Sink();
        }
        long position = 1;
        for (int step = 0; step < 3_000; step++) {
            int i = random.nextInt(QUEUES);
            OutboundQueue q = queues[i];
            int op = random.nextInt(100);
            if (op < 45) {
                boolean journaled = !connected[i] || random.nextInt(4) > 0;
                Message m = new Message(
                        "t/" + random.nextInt(3),
                        journaled ? QoS.AT_LEAST_ONCE : QoS.AT_MOST_ONCE,
                        false,
                        new byte[random.nextInt(50)],
                        Properties.EMPTY,
                        "pub",
                        Message.NEVER_EXPIRES,
                        journaled ? position++ : Message.NOT_JOURNALED);
                Delivery d = new Delivery(m, m.qos(), false, null, journaled, 0);
                if (journaled) {
                    disks[i].entries.put(Disk.key(d), d);
                }
                if (!q.offer(d, connected[i]) && journaled) {
                    disks[i].entries.remove(Disk.key(d));
                }
            } else if (op < 65) {
                if (connected[i]) {
                    sinks[i].writable = random.nextInt(5) > 0;
                    q.pump(sinks[i], 1 + random.nextInt(3), 0);
                    sinks[i].writable = true;
                }
            } else if (op < 80) {
                if (!sinks[i].awaitingAck.isEmpty()) {
                    int id = sinks[i].awaitingAck.remove(random.nextInt(sinks[i].awaitingAck.size()));
                    q.onPubAck(id);
                }
            } else if (op < 88) {
                if (connected[i]) {
                    q.disconnected();
                    sinks[i].awaitingAck.clear();
                    connected[i] = false;
                } else {
                    connected[i] = true;
                    sinks[i] = new Sink();
                    q.resendInflight(sinks[i], 3);
                    q.pump(sinks[i], 3, 0);
                }
            } else if (op < 94) {
                // A purge of everything queued so far, in steps of at most 3 (as the admin API's).
                q.startPurge(Long.MAX_VALUE);
                while (q.purging()) {
                    q.purgeStep(3);
                }
            } else if (op < 96) {
                // The session ends: its entries leave the index with it.
                q.clear();
                disks[i].entries.clear();
                disks[i].inflight.clear();
                sinks[i] = new Sink();
                connected[i] = false;
            }
            if (step % 7 == 0) {
                assertCounted(totals, queues, disks, "seed " + seed + " step " + step);
            }
        }
        assertCounted(totals, queues, disks, "seed " + seed + " at the end");
    }

    private static void assertCounted(QueueTotals totals, OutboundQueue[] queues, Disk[] disks, String when) {
        totals.update();
        long messages = 0;
        long bytes = 0;
        long largest = 0;
        long largestBytes = 0;
        long oldest = -1;
        for (int i = 0; i < queues.length; i++) {
            messages += queues[i].queuedCount();
            bytes += queues[i].queuedBytes();
            largest = Math.max(largest, queues[i].queuedCount());
            largestBytes = Math.max(largestBytes, queues[i].queuedBytes());
            long first = disks[i].firstWaiting();
            if (first >= 0 && (oldest < 0 || first < oldest)) {
                oldest = first;
            }
        }
        assertEquals(messages, totals.messages(), "messages, " + when);
        assertEquals(bytes, totals.bytes(), "bytes, " + when);
        assertEquals(largest, totals.largestMessages(), "largest queue, " + when);
        assertEquals(largestBytes, totals.largestBytes(), "largest queue in bytes, " + when);
        assertEquals(oldest, totals.oldest().oldestQueuedAtMillis(), "oldest waiting entry, " + when);
        assertTrue(totals.oldest().marked() <= queues.length, "at most one mark a queue, " + when);
    }
}
