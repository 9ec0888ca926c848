package dev.cairn.broker.measure;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of observed values in fixed buckets, for a latency or a size. One thread records
 * ({@link #record}); any thread reads ({@link #read}). Recording costs one volatile read and one
 * ordered store per field and no allocation: the writer is the only one to change the counts, so
 * it needs no compare-and-set, and a reader may see one recording half done (its bucket counted,
 * its sum not yet), which the next read corrects.
 */
public final class Histogram {
    private final long[] upperBounds;
    /** One slot per bound, then the overflow bucket, then the sum of the values. */
    private final AtomicLongArray slots;

    /** {@code upperBounds}: increasing, inclusive upper bounds of the buckets, in the values' unit. */
    public Histogram(long... upperBounds) {
        for (int i = 1; i < upperBounds.length; i++) {
            if (upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.slots = new AtomicLongArray(upperBounds.length + 2);
    }

    /** One value; the recording thread only. */
    public void record(long value) {
        int i = Arrays.binarySearch(upperBounds, value);
        int bucket = i >= 0 ? i : -i - 1;
        slots.lazySet(bucket, slots.get(bucket) + 1);
        int sum = upperBounds.length + 1;
        slots.lazySet(sum, slots.get(sum) + value);
    }

    /** The counts as of now; any thread. */
    public Counts read() {
        long[] buckets = new long[upperBounds.length + 1];
        long count = 0;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = slots.get(i);
            count += buckets[i];
        }
        return new Counts(upperBounds.clone(), buckets, count, slots.get(upperBounds.length + 1));
    }

    /**
     * @param upperBounds the buckets' inclusive upper bounds
     * @param buckets how many values fell into each bucket (not cumulative); one more than the
     *     bounds: the last counts the values above the highest bound
     * @param count all values recorded
     * @param sum the sum of the values recorded
     */
    public record Counts(long[] upperBounds, long[] buckets, long count, long sum) {
        /** What was recorded after {@code earlier}, a reading of the same histogram. */
        public Counts since(Counts earlier) {
            long[] diff = new long[buckets.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = buckets[i] - earlier.buckets[i];
            }
            return new Counts(upperBounds, diff, count - earlier.count, sum - earlier.sum);
        }

        /**
         * The upper bound of the bucket that holds the {@code quantile} (0 to 1) of the values: at
         * least that share of them is at or below it. 0 when nothing was recorded; {@link
         * Long#MAX_VALUE} when the quantile lies above the highest bound.
         */
        public long quantileUpperBound(double quantile) {
            if (count <= 0) {
                return 0;
            }
            long needed = (long) Math.ceil(quantile * count);
            long seen = 0;
            for (int i = 0; i < upperBounds.length; i++) {
                seen += buckets[i];
                if (seen >= needed) {
                    return upperBounds[i];
                }
            }
            return Long.MAX_VALUE;
        }
    }
}
