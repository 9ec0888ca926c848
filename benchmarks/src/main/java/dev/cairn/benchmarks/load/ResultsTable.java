package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side results: every run's {@link RunResult} by case and broker, summarised as
 * medians over rounds with each broker's ratio to the first (the baseline, mosquitto).
 *
 * <p>Thread safety: used by the runner's one thread.
 */
final class ResultsTable {
    /** The columns every summary row shows besides the headline. */
    private static final Metric[] DETAIL = {
        Metric.LATENCY_P50_MICROS,
        Metric.LATENCY_P99_MICROS,
        Metric.BROKER_CPU_SECONDS_PER_MILLION,
        Metric.BROKER_CPU_MILLIS_PER_CONNECT,
        Metric.BROKER_PEAK_RSS_KIB,
    };

    private final List<BenchmarkCase> cases;
    private final List<String> brokers;
    private final Map<String, List<RunResult>> runs = new LinkedHashMap<>();

    ResultsTable(List<BenchmarkCase> cases, List<String> brokers) {
        this.cases = cases;
        this.brokers = brokers;
    }

    void add(BenchmarkCase benchmarkCase, String broker, RunResult result) {
        runs.computeIfAbsent(key(benchmarkCase.name(), broker), k -> new ArrayList<>())
                .add(result);
    }

    /** The median of a metric over the successful runs of a case on a broker; NaN if none. */
    double median(String caseName, String broker, Metric metric) {
        List<Double> values = new ArrayList<>();
        for (RunResult result : runs.getOrDefault(key(caseName, broker), List.of())) {
            if (result.succeeded()) {
                values.add(result.metric(metric));
            }
        }
        return Stats.median(values);
    }

    /** Markdown: one row per case and broker. */
    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| case | broker | ok runs | headline (median) | vs ").append(brokers.get(0));
        for (Metric metric : DETAIL) {
            out.append(" | ").append(metric.label());
        }
        out.append(" | lost / dup / reordered (all runs) |\n|---|---|---|---|---");
        out.append("|---".repeat(DETAIL.length)).append("|---|\n");
        List<String> failures = new ArrayList<>();
        for (BenchmarkCase c : cases) {
            for (String broker : brokers) {
                out.append(row(c, broker)).append('\n');
                String error = firstError(runs.getOrDefault(key(c.name(), broker), List.of()));
                if (error != null) {
                    failures.add("- " + c.name() + " on " + broker + ": " + error.replace('|', '/'));
                }
            }
        }
        if (!failures.isEmpty()) {
            out.append("\nFailed runs (first error of each row):\n\n")
                    .append(String.join("\n", failures))
                    .append('\n');
        }
        return out.toString();
    }

    private String row(BenchmarkCase c, String broker) {
        List<RunResult> results = runs.getOrDefault(key(c.name(), broker), List.of());
        long ok = results.stream().filter(RunResult::succeeded).count();
        double headline = median(c.name(), broker, c.headline());
        double ratio = Stats.ratio(headline, median(c.name(), brokers.get(0), c.headline()));
        StringBuilder row = new StringBuilder();
        row.append("| ")
                .append(c.name())
                .append(" | ")
                .append(broker)
                .append(" | ")
                .append(ok)
                .append('/')
                .append(results.size())
                .append(" | ");
        row.append(
                ok == 0
                        ? "failed"
                        : RunResult.format(round(headline)) + " " + c.headline().label());
        row.append(" | ").append(Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f×", ratio));
        for (Metric metric : DETAIL) {
            row.append(" | ").append(RunResult.format(round(median(c.name(), broker, metric))));
        }
        if (ok == 0) {
            return row.append(" | - |").toString();
        }
        row.append(" | ")
                .append(sum(results, Metric.LOST))
                .append(" / ")
                .append(sum(results, Metric.DUPLICATES))
                .append(" / ")
                .append(sum(results, Metric.OUT_OF_ORDER))
                .append(" |");
        return row.toString();
    }

    /** Values over 100 lose their decimals in the table; small ones (CPU s/M) keep them. */
    private static double round(double value) {
        return Math.abs(value) >= 100 ? Math.rint(value) : value;
    }

    private static String sum(List<RunResult> results, Metric metric) {
        long total = 0;
        for (RunResult result : results) {
            Double value = result.metric(metric);
            total += value == null ? 0 : value.longValue();
        }
        return Long.toString(total);
    }

    private static String firstError(List<RunResult> results) {
        for (RunResult result : results) {
            if (!result.succeeded()) {
                return result.error();
            }
        }
        return null;
    }

    private static String key(String caseName, String broker) {
        return caseName + "\u0000" + broker;
    }
}
