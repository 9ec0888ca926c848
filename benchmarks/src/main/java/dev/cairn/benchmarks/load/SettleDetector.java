package dev.cairn.benchmarks.load;

import java.util.ArrayDeque;

/**
 * Decides when a freshly started broker's resident memory has stopped growing, so a per-connection
 * memory figure measures the connections and not the broker's own start-up. A JVM keeps growing
 * for a second or two after it starts listening (the JIT compiles, classes load, the heap's first
 * regions are touched): measured 52-65 MB at the moment the port accepted and about 107 MB two
 * seconds later, which a 10,000-connection case used to count as 4-5 KB per connection.
 *
 * <p>Settled means: over the last {@code windowSamples} samples, the highest and lowest RSS differ
 * by at most {@code toleranceKiB}. Feed samples in time order. Not thread-safe.
 */
final class SettleDetector {
    private final int windowSamples;
    private final long toleranceKiB;
    private final ArrayDeque<Long> window = new ArrayDeque<>();

    SettleDetector(int windowSamples, long toleranceKiB) {
        if (windowSamples < 2) {
            throw new IllegalArgumentException("a window needs at least 2 samples, got " + windowSamples);
        }
        this.windowSamples = windowSamples;
        this.toleranceKiB = toleranceKiB;
    }

    /** Takes the next RSS sample; returns whether the window is full and flat. */
    boolean offer(long rssKiB) {
        window.addLast(rssKiB);
        if (window.size() > windowSamples) {
            window.removeFirst();
        }
        if (window.size() < windowSamples) {
            return false;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long v : window) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min <= toleranceKiB;
    }
}
