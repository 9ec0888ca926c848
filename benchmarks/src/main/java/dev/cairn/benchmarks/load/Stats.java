package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The summary arithmetic of the side-by-side runner: medians over rounds and Cairn/peer ratios. */
final class Stats {
    private Stats() {}

    /** The median of the finite values, or NaN when there are none; an even count averages the middle two. */
    static double median(List<Double> values) {
        List<Double> finite = new ArrayList<>();
        for (Double value : values) {
            if (value != null && !value.isNaN() && !value.isInfinite()) {
                finite.add(value);
            }
        }
        if (finite.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(finite);
        int middle = finite.size() / 2;
        return finite.size() % 2 == 1 ? finite.get(middle) : (finite.get(middle - 1) + finite.get(middle)) / 2;
    }

    /** {@code candidate / baseline}, or NaN when either is missing or the baseline is 0. */
    static double ratio(double candidate, double baseline) {
        if (Double.isNaN(candidate) || Double.isNaN(baseline) || baseline == 0) {
            return Double.NaN;
        }
        return candidate / baseline;
    }
}
