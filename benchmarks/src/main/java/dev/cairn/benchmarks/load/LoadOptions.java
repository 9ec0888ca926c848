package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a load-generator run is told, parsed from {@code --name value} arguments. Counts
 * left at 0 take the scenario's default (see {@link #publishersFor}); limits are checked here so
 * a run never starts with settings it cannot honour.
 */
record LoadOptions(String host, int port, Scenario scenario, int publishers, int subscribers, QoS qos,
                   ProtocolVersion protocol, int payloadBytes, int window, int durationSeconds,
                   int warmupSeconds, Pacing pacing, long brokerPid, int ioThreads, int backlogMessages,
                   int connections, int connectRate, int holdSeconds, int drainSeconds, String label) {

    static final String USAGE = String.join("\n",
            "LoadGenerator --port N [--host 127.0.0.1] [--scenario pairwise|fan-in|fan-out|shared|backlog|connections]",
            "  [--publishers N] [--subscribers N] [--qos 0|1|2] [--protocol 3|5] [--payload-bytes B]",
            "  [--window N] [--duration-seconds S] [--warmup-seconds S]",
            "  [--closed-loop-outstanding N | --rate msgs-per-second] [--broker-pid P] [--io-threads N]",
            "  [--backlog-messages K] [--connections N] [--connect-rate per-second] [--hold-seconds S]",
            "  [--drain-seconds S] [--label text]");

    static final int PAYLOAD_MAX_BYTES = 1024 * 1024;
    static final int DEFAULT_WINDOW = 16;

    static LoadOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'\n" + USAGE);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        Args a = new Args(values);
        int window = a.intValue("window", DEFAULT_WINDOW, 1, 65_535);
        Pacing pacing = a.has("rate")
                ? Pacing.openLoop(a.doubleValue("rate"))
                : Pacing.closedLoop(a.intValue("closed-loop-outstanding", 4 * window, 1, 10_000_000));
        if (a.has("rate") && a.has("closed-loop-outstanding")) {
            throw new IllegalArgumentException("--rate and --closed-loop-outstanding exclude each other");
        }
        LoadOptions options = new LoadOptions(
                a.string("host", "127.0.0.1"), a.intValue("port", -1, 1, 65_535),
                Scenario.fromCliName(a.string("scenario", "pairwise")),
                a.intValue("publishers", 0, 1, 100_000), a.intValue("subscribers", 0, 1, 100_000),
                QoS.fromValue(a.intValue("qos", 1, 0, 2)), protocol(a.string("protocol", "5")),
                a.intValue("payload-bytes", 100, MessageStamp.SIZE_BYTES, PAYLOAD_MAX_BYTES), window,
                a.intValue("duration-seconds", 10, 1, 86_400), a.intValue("warmup-seconds", 3, 0, 3_600),
                pacing, a.intValue("broker-pid", 0, 1, Integer.MAX_VALUE), a.intValue("io-threads", 1, 1, 64),
                a.intValue("backlog-messages", 100_000, 1, 100_000_000), a.intValue("connections", 1_000, 1, 1_000_000),
                a.intValue("connect-rate", 1_000, 1, 1_000_000), a.intValue("hold-seconds", 5, 0, 3_600),
                a.intValue("drain-seconds", 10, 1, 3_600), a.string("label", ""));
        a.rejectUnused();
        return options.withScenarioDefaults();
    }

    /** Fills counts left at 0 and rejects counts the scenario's shape fixes to another value. */
    LoadOptions withScenarioDefaults() {
        int p = publishersFor(scenario, publishers);
        int s = subscribersFor(scenario, subscribers, p);
        if (scenario == Scenario.BACKLOG && qos == QoS.AT_MOST_ONCE) {
            throw new IllegalArgumentException("backlog needs --qos 1 or 2: brokers need not queue QoS 0 for offline sessions");
        }
        return new LoadOptions(host, port, scenario, p, s, qos, protocol, payloadBytes, window, durationSeconds,
                warmupSeconds, pacing, brokerPid, ioThreads, backlogMessages, connections, connectRate,
                holdSeconds, drainSeconds, label);
    }

    private static int publishersFor(Scenario scenario, int given) {
        switch (scenario) {
            case FAN_OUT:
            case BACKLOG:
                return fixed(scenario, "publishers", given, 1);
            case FAN_IN:
                return given == 0 ? 50 : given;
            default:
                return given == 0 ? 4 : given;
        }
    }

    private static int subscribersFor(Scenario scenario, int given, int publishers) {
        switch (scenario) {
            case FAN_IN:
                return fixed(scenario, "subscribers", given, 1);
            case BACKLOG:
                return given == 0 ? 1 : given; // N offline sessions, each queueing every message
            case PAIRWISE:
                return fixed(scenario, "subscribers", given, publishers);
            case FAN_OUT:
                return given == 0 ? 50 : given;
            default:
                return given == 0 ? 4 : given;
        }
    }

    private static int fixed(Scenario scenario, String what, int given, int required) {
        if (given != 0 && given != required) {
            throw new IllegalArgumentException(scenario.cliName() + " needs " + required + " " + what + ", got " + given);
        }
        return required;
    }

    private static ProtocolVersion protocol(String text) {
        switch (text) {
            case "3":
            case "4":
            case "3.1.1":
            case "311":
                return ProtocolVersion.MQTT_3_1_1;
            case "5":
            case "5.0":
                return ProtocolVersion.MQTT_5;
            default:
                throw new IllegalArgumentException("--protocol must be 3 (3.1.1) or 5, got " + text);
        }
    }

    /** The settings as reported beside the results. */
    Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("scenario", scenario.cliName());
        if (!label.isEmpty()) {
            d.put("label", label);
        }
        d.put("protocol", protocol == ProtocolVersion.MQTT_5 ? "5" : "3.1.1");
        if (scenario != Scenario.CONNECTIONS) {
            d.put("qos", Integer.toString(qos.value()));
            d.put("publishers", Integer.toString(publishers));
            d.put("subscribers", Integer.toString(subscribers));
            d.put("payload_bytes", Integer.toString(payloadBytes));
            d.put("window", Integer.toString(window));
        }
        if (scenario != Scenario.CONNECTIONS && scenario != Scenario.BACKLOG) {
            d.put("pacing", pacing.describe());
            d.put("duration_s", Integer.toString(durationSeconds));
            d.put("warmup_s", Integer.toString(warmupSeconds));
        }
        return d;
    }

    /** Typed access to the parsed {@code --name value} pairs, remembering which were read. */
    private static final class Args {
        private final Map<String, String> values;
        private final List<String> used = new ArrayList<>();

        Args(Map<String, String> values) {
            this.values = values;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String string(String name, String fallback) {
            used.add(name);
            return values.getOrDefault(name, fallback);
        }

        /** A fallback outside [min, max] means "required" (-1) or "unset" (0). */
        int intValue(String name, int fallback, int min, int max) {
            used.add(name);
            String text = values.get(name);
            if (text == null) {
                if (fallback < 0) {
                    throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
                }
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, got " + text);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be in [" + min + ", " + max + "], got " + text);
            }
            return (int) value;
        }

        double doubleValue(String name) {
            used.add(name);
            try {
                return Double.parseDouble(values.get(name));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, got " + values.get(name));
            }
        }

        void rejectUnused() {
            for (String name : values.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
                }
            }
        }
    }
}
