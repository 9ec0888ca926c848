package dev.cairn.benchmarks.load;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one load-generator run: the settings it ran with, the metrics it measured, and
 * an error when the run failed (then the metrics are whatever was measured before it).
 */
record RunResult(Map<String, String> settings, Map<Metric, Double> metrics, String error) {
    RunResult {
        settings = Map.copyOf(settings);
        metrics = metrics.isEmpty() ? new EnumMap<>(Metric.class) : new EnumMap<>(metrics);
    }

    static RunResult failed(Map<String, String> settings, String error) {
        return new RunResult(settings, new EnumMap<>(Metric.class), error);
    }

    boolean succeeded() {
        return error == null;
    }

    Double metric(Metric metric) {
        return metrics.get(metric);
    }

    /** A human-readable block: one line of settings, then one metric per line. */
    String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(settingsLine()).append('\n');
        for (Map.Entry<Metric, Double> entry : metrics.entrySet()) {
            out.append(String.format(Locale.ROOT, "  %-22s %s%n", entry.getKey().label(), format(entry.getValue())));
        }
        if (error != null) {
            out.append("  FAILED: ").append(error).append('\n');
        }
        return out.toString();
    }

    /** One JSON object on one line: settings first, then metrics, then {@code error} if any. */
    String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        new java.util.TreeMap<>(settings).forEach(fields::put);
        metrics.forEach((metric, value) -> fields.put(metric.jsonKey(), value));
        if (error != null) {
            fields.put("error", error);
        }
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(Json.quote(field.getKey())).append(':');
            Object value = field.getValue();
            out.append(value instanceof Double ? Json.number((Double) value) : Json.quote(String.valueOf(value)));
        }
        return out.append('}').toString();
    }

    private String settingsLine() {
        StringBuilder line = new StringBuilder();
        new java.util.TreeMap<>(settings)
                .forEach((k, v) -> line.append(line.length() == 0 ? "" : " ")
                        .append(k)
                        .append('=')
                        .append(v));
        return line.toString();
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%,.3f" : "%,.1f", value);
    }
}
