package dev.cairn.broker.delivery;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Finds the broker's oldest waiting journaled message without looking at every session: the
 * queues that have (or lately had) one carry a mark in a set ordered by a journal position, and
 * the oldest message is the first waiting entry of the first marked queue.
 *
 * <p>Why positions: a queue keeps its journaled deliveries in key order {@code (position, copy)},
 * the journal is appended in the order messages arrive, and a queue entry keeps its key when
 * retention relocates its message. So a queue's first waiting journaled entry is its oldest, and
 * the queue with the smallest such position holds the oldest of all. Its receive time is then one
 * read ({@link Backlog#oldestQueuedAtMillis}, what the admin API shows per session).
 *
 * <p>A mark's position is a lower bound of its queue's first waiting position, never more: a queue
 * is marked when it gains a journaled delivery and has no mark, and its head only moves on (to
 * later positions) as deliveries are sent, expire or are purged, so the mark is not updated on
 * that path, which is every message's. {@link #oldest} fixes marks lazily from the front: a
 * queue with nothing waiting loses its mark, one whose head moved on gets its mark moved, until
 * the first mark is exact. The work per call is bounded by the queues that received or sent
 * since the previous call; a queue with nothing waiting costs nothing until it is marked again.
 * A session that ends clears its queue, which drops the mark at once.
 *
 * <p>Not counted: QoS 0 copies and deliveries of sessions that do not journal (memory only, sent
 * at once or dropped on disconnect); they have no receive time to show. A queue whose first
 * waiting entry is in its backlog and not known since a read back finds it with one read when
 * its mark comes first; if the index has not applied that entry yet (it arrived this turn), the
 * mark stays a lower bound until the next call.
 *
 * <p>Core thread only.
 */
public final class OldestQueued {
    private final TreeSet<Mark> marks =
            new TreeSet<>(Comparator.comparingLong((Mark m) -> m.position).thenComparingLong(m -> m.serial));
    private long serials;
    private OutboundQueue lastQueue;
    private long lastPosition = -1;
    private long lastAtMillis = -1;

    /** A marked queue and the lower bound of its first waiting journaled position. */
    static final class Mark {
        private long position;
        private final long serial;
        private final OutboundQueue queue;

        private Mark(long position, long serial, OutboundQueue queue) {
            this.position = position;
            this.serial = serial;
            this.queue = queue;
        }
    }

    /** {@code queue}, unmarked, now has a journaled delivery waiting at {@code position} or later. */
    Mark mark(OutboundQueue queue, long position) {
        Mark m = new Mark(position, serials++, queue);
        marks.add(m);
        return m;
    }

    void unmark(Mark m) {
        marks.remove(m);
    }

    /** Queues marked now, for tests: those with a journaled delivery waiting, and some that sent theirs. */
    public int marked() {
        return marks.size();
    }

    /**
     * The queue whose first waiting journaled delivery is the oldest of all, or null when no
     * journaled delivery waits; drops and moves the marks it finds out of date on the way.
     */
    public OutboundQueue oldestQueue() {
        while (!marks.isEmpty()) {
            Mark first = marks.first();
            long head = first.queue.firstWaitingPosition();
            if (head < 0) {
                marks.pollFirst();
                first.queue.unmarked();
                continue;
            }
            if (head != first.position) {
                marks.pollFirst();
                first.position = head;
                marks.add(first);
                continue;
            }
            return first.queue;
        }
        return null;
    }

    /**
     * When the oldest waiting journaled message was received (wall-clock milliseconds), or -1
     * when none waits or the index has not applied it yet (it arrived this turn). One read when
     * the oldest changed since the previous call, none otherwise.
     */
    public long oldestQueuedAtMillis() {
        OutboundQueue q = oldestQueue();
        if (q == null) {
            lastQueue = null;
            return -1;
        }
        long position = q.firstWaitingPosition();
        if (q == lastQueue && position == lastPosition) {
            return lastAtMillis;
        }
        long at = q.oldestQueuedAtMillis();
        if (at >= 0) {
            lastQueue = q;
            lastPosition = position;
            lastAtMillis = at;
        } else {
            lastQueue = null;
        }
        return at;
    }
}
