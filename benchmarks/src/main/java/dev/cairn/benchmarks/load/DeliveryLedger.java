package dev.cairn.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * Everything one receiving side saw: one subscriber, or all members of a shared-subscription
 * group (whose deliveries of one publisher's messages are split between them). It keeps a
 * {@link SequenceLedger} per publisher for the whole run and, between {@link #startMeasuring}
 * and {@link #stopMeasuring}, a latency histogram and a count of deliveries.
 *
 * <p>Thread safety: every method is synchronized. Only a shared group's members contend (they
 * may sit on different event loops); otherwise the lock is only ever taken by one thread.
 */
final class DeliveryLedger {
    /** Latencies above a minute are recorded as a minute: the run is broken anyway. */
    static final long LATENCY_MAX_MICROS = 60_000_000L;

    /** The measured window: latency histogram (µs) and the number of deliveries in it. */
    record Window(Histogram latencyMicros, long deliveredCount) {}

    /** Whole-run correctness counts summed over publishers. */
    record Totals(long distinct, long lost, long duplicates, long outOfOrder) {
        Totals plus(Totals other) {
            return new Totals(
                    distinct + other.distinct,
                    lost + other.lost,
                    duplicates + other.duplicates,
                    outOfOrder + other.outOfOrder);
        }

        static final Totals ZERO = new Totals(0, 0, 0, 0);
    }

    private final SequenceLedger[] perPublisher;
    private final Histogram latencyMicros = new Histogram(LATENCY_MAX_MICROS, 3);
    private boolean measuring;
    private long measuredCount;
    private long unstampedCount;

    DeliveryLedger(int publisherCount) {
        // Filled lazily: in pairwise runs each receiver hears from one publisher only.
        perPublisher = new SequenceLedger[publisherCount];
    }

    /** Records one arrival at {@code nowNanos}; returns null for a payload without a valid stamp. */
    synchronized SequenceLedger.Arrival record(MessageStamp stamp, long nowNanos) {
        if (stamp == null || stamp.publisherId() < 0 || stamp.publisherId() >= perPublisher.length) {
            unstampedCount++;
            return null;
        }
        SequenceLedger.Arrival arrival = ledger(stamp.publisherId()).record(stamp.sequence());
        if (measuring && arrival != SequenceLedger.Arrival.DUPLICATE) {
            long micros = Math.max(0, (nowNanos - stamp.sendNanos()) / 1_000);
            latencyMicros.recordValue(Math.min(micros, LATENCY_MAX_MICROS));
            measuredCount++;
        }
        return arrival;
    }

    synchronized void startMeasuring() {
        latencyMicros.reset();
        measuredCount = 0;
        measuring = true;
    }

    synchronized Window stopMeasuring() {
        measuring = false;
        return new Window(latencyMicros.copy(), measuredCount);
    }

    synchronized long distinctTotal() {
        long total = 0;
        for (SequenceLedger ledger : perPublisher) {
            total += ledger == null ? 0 : ledger.distinct();
        }
        return total;
    }

    synchronized long unstampedCount() {
        return unstampedCount;
    }

    /**
     * Sums the per-publisher counts, given how many messages each publisher sent; a publisher's
     * count is {@code -1} when this side was not meant to receive from it.
     */
    synchronized Totals totals(long[] sentByPublisher) {
        Totals totals = Totals.ZERO;
        for (int i = 0; i < perPublisher.length; i++) {
            if (sentByPublisher[i] < 0) {
                continue;
            }
            SequenceLedger ledger = ledger(i);
            totals = totals.plus(new Totals(
                    ledger.distinct(), ledger.lost(sentByPublisher[i]), ledger.duplicates(), ledger.outOfOrder()));
        }
        return totals;
    }

    private SequenceLedger ledger(int publisherId) {
        SequenceLedger ledger = perPublisher[publisherId];
        if (ledger == null) {
            ledger = new SequenceLedger();
            perPublisher[publisherId] = ledger;
        }
        return ledger;
    }
}
