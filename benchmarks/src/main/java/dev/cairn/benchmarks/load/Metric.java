package dev.cairn.benchmarks.load;

/**
 * The figures a run can report. Each has a JSON key, a column label and whether a larger value
 * is better, which the side-by-side runner needs to read its ratios.
 */
enum Metric {
    DELIVERED_PER_SECOND("delivered_msgs_per_s", "delivered msgs/s", Direction.HIGHER_IS_BETTER),
    PUBLISHED_PER_SECOND("published_msgs_per_s", "published msgs/s", Direction.HIGHER_IS_BETTER),
    LATENCY_P50_MICROS("latency_p50_us", "p50 µs", Direction.LOWER_IS_BETTER),
    LATENCY_P90_MICROS("latency_p90_us", "p90 µs", Direction.LOWER_IS_BETTER),
    LATENCY_P99_MICROS("latency_p99_us", "p99 µs", Direction.LOWER_IS_BETTER),
    LATENCY_P999_MICROS("latency_p999_us", "p99.9 µs", Direction.LOWER_IS_BETTER),
    LATENCY_MAX_MICROS("latency_max_us", "max µs", Direction.LOWER_IS_BETTER),
    LOST("lost", "lost", Direction.LOWER_IS_BETTER),
    ACKNOWLEDGED("acknowledged", "acknowledged", Direction.HIGHER_IS_BETTER),
    UNFORWARDED_AT_KILL("unforwarded_at_kill", "queued at kill", Direction.LOWER_IS_BETTER),
    DUPLICATES("duplicates", "dup", Direction.LOWER_IS_BETTER),
    OUT_OF_ORDER("out_of_order", "out-of-order", Direction.LOWER_IS_BETTER),
    BROKER_CPU_SECONDS("broker_cpu_s", "broker CPU s", Direction.LOWER_IS_BETTER),
    BROKER_CPU_SECONDS_PER_MILLION("broker_cpu_s_per_million", "CPU s/M msgs", Direction.LOWER_IS_BETTER),
    BROKER_CPU_UTILISATION("broker_cpu_utilisation", "broker CPU (cores)", Direction.LOWER_IS_BETTER),
    BROKER_PEAK_RSS_KIB("broker_peak_rss_kib", "peak RSS KiB", Direction.LOWER_IS_BETTER),
    BROKER_HWM_KIB("broker_vmhwm_kib", "VmHWM KiB", Direction.LOWER_IS_BETTER),
    BACKLOG_MESSAGES("backlog_msgs", "backlog msgs", Direction.HIGHER_IS_BETTER),
    DRAIN_SECONDS("drain_s", "drain s", Direction.LOWER_IS_BETTER),
    DRAIN_PER_SECOND("drain_msgs_per_s", "drain msgs/s", Direction.HIGHER_IS_BETTER),
    CONNECTIONS("connections", "connections", Direction.HIGHER_IS_BETTER),
    CONNECT_PER_SECOND("connects_per_s", "connects/s", Direction.HIGHER_IS_BETTER),
    BROKER_CPU_MILLIS_PER_CONNECT("broker_cpu_ms_per_connect", "CPU ms/connect", Direction.LOWER_IS_BETTER),
    RSS_PER_CONNECTION_BYTES("rss_per_connection_bytes", "RSS B/conn", Direction.LOWER_IS_BETTER);

    enum Direction {
        HIGHER_IS_BETTER,
        LOWER_IS_BETTER
    }

    private final String jsonKey;
    private final String label;
    private final Direction direction;

    Metric(String jsonKey, String label, Direction direction) {
        this.jsonKey = jsonKey;
        this.label = label;
        this.direction = direction;
    }

    String jsonKey() {
        return jsonKey;
    }

    String label() {
        return label;
    }

    Direction direction() {
        return direction;
    }
}
