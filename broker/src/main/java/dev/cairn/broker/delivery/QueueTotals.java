package dev.cairn.broker.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The figures of all the broker's queues (messages and bytes waiting in total, the largest queue
 * by each) kept as running totals, so reading them does not look at every session: each queue
 * that changes puts itself once on a list (a flag check on every later change), and
 * {@link #update} settles the list: it adds each listed queue's change since it was last counted
 * and moves it in two multisets of queue sizes (sorted maps from a size to how many queues have
 * it; empty queues are not in them), whose last key is the largest queue. An update costs
 * O(k log d) for k queues changed since the previous one and d distinct sizes, however many
 * sessions there are; a change costs nothing more than the flag.
 *
 * <p>Also holds the {@link OldestQueued} marks the same queues keep. Core thread only.
 */
public final class QueueTotals {
    private final OldestQueued oldest = new OldestQueued();
    private final List<OutboundQueue> changed = new ArrayList<>();
    private final TreeMap<Long, Integer> bySize = new TreeMap<>();
    private final TreeMap<Long, Integer> byBytes = new TreeMap<>();
    private long messages;
    private long bytes;

    /** The marks that find the oldest waiting message. */
    public OldestQueued oldest() {
        return oldest;
    }

    /** {@code queue} changed and was not on the list since the last update. */
    void changed(OutboundQueue queue) {
        changed.add(queue);
    }

    /** Counts the changes of the queues listed since the last call. */
    public void update() {
        for (OutboundQueue q : changed) {
            long m = q.queuedCount();
            long b = q.queuedBytes();
            messages += m - q.countedMessages;
            bytes += b - q.countedBytes;
            move(bySize, q.countedMessages, m);
            move(byBytes, q.countedBytes, b);
            q.counted(m, b);
        }
        changed.clear();
    }

    private static void move(TreeMap<Long, Integer> sizes, long from, long to) {
        if (from == to) {
            return;
        }
        if (from > 0) {
            sizes.compute(from, (k, n) -> n == 1 ? null : n - 1);
        }
        if (to > 0) {
            sizes.merge(to, 1, Integer::sum);
        }
    }

    /** Messages waiting in all queues, as of the last {@link #update}. */
    public long messages() {
        return messages;
    }

    /** Their bytes ({@link Message#queuedBytes}), as of the last {@link #update}. */
    public long bytes() {
        return bytes;
    }

    /** The messages waiting in the queue that has the most, as of the last {@link #update}. */
    public long largestMessages() {
        return bySize.isEmpty() ? 0 : bySize.lastKey();
    }

    /** The bytes waiting in the queue that has the most bytes, as of the last {@link #update}. */
    public long largestBytes() {
        return byBytes.isEmpty() ? 0 : byBytes.lastKey();
    }
}
