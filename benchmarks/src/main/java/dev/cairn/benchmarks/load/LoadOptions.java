package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.config.VersionProvider;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything a load-generator run is told, parsed by picocli from {@code --name value} arguments
 * ({@link Arguments}). Counts left at 0 take the scenario's default (see {@link #publishersFor});
 * limits are checked here so a run never starts with settings it cannot honour, and every error
 * names the option.
 */
record LoadOptions(
        String host,
        int port,
        int subscriberPort,
        Scenario scenario,
        int publishers,
        int subscribers,
        QoS qos,
        ProtocolVersion protocol,
        int payloadBytes,
        int window,
        int durationSeconds,
        int warmupSeconds,
        Pacing pacing,
        long brokerPid,
        int ioThreads,
        int backlogMessages,
        int connections,
        int connectRate,
        int holdSeconds,
        int drainSeconds,
        String label,
        Wire.Kind transport,
        Path caFile,
        String webSocketPath,
        String username,
        String password) {

    static final int PAYLOAD_MAX_BYTES = 1024 * 1024;
    static final int DEFAULT_WINDOW = 16;

    /** Parses {@code args} for a run; a bad argument (or --help, --version) is an {@link IllegalArgumentException}. */
    static LoadOptions parse(String[] args) {
        LoadOptions options = parse(args, new PrintWriter(Writer.nullWriter()));
        if (options == null) {
            throw new IllegalArgumentException("--help and --version are for the command line, not a run");
        }
        return options;
    }

    /**
     * Parses a command line: the options, or {@code null} when it asked for {@code --help} or
     * {@code --version}, whose text went to {@code out}. A bad argument is an
     * {@link IllegalArgumentException} whose message names the option.
     */
    static LoadOptions parse(String[] args, PrintWriter out) {
        Arguments arguments = new Arguments();
        CommandLine cli = new CommandLine(arguments).setOverwrittenOptionsAllowed(true); // later flags win
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + Arguments.HINT);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            out.flush();
            return null;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            out.flush();
            return null;
        }
        return arguments.toOptions();
    }

    /** Fills counts left at 0 and rejects counts the scenario's shape fixes to another value. */
    LoadOptions withScenarioDefaults() {
        int p = publishersFor(scenario, publishers);
        int s = subscribersFor(scenario, subscribers, p);
        if (scenario == Scenario.BACKLOG && qos == QoS.AT_MOST_ONCE) {
            throw new IllegalArgumentException(
                    "backlog needs --qos 1 or 2: brokers need not queue QoS 0 for offline sessions");
        }
        return new LoadOptions(
                host,
                port,
                subscriberPort,
                scenario,
                p,
                s,
                qos,
                protocol,
                payloadBytes,
                window,
                durationSeconds,
                warmupSeconds,
                pacing,
                brokerPid,
                ioThreads,
                backlogMessages,
                connections,
                connectRate,
                holdSeconds,
                drainSeconds,
                label,
                transport,
                caFile,
                webSocketPath,
                username,
                password);
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
            throw new IllegalArgumentException(
                    scenario.cliName() + " needs " + required + " " + what + ", got " + given);
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
        d.put("wire", transport.cliName());
        if (subscriberPort != port) {
            d.put("subscribers_on", "another broker (a bridge's remote)");
        }
        if (username != null) {
            d.put("login", password == null ? "user name" : "user name and password");
        }
        if (!connectionScenario()) {
            d.put("qos", Integer.toString(qos.value()));
            d.put("publishers", Integer.toString(publishers));
            d.put("subscribers", Integer.toString(subscribers));
            d.put("payload_bytes", Integer.toString(payloadBytes));
            d.put("window", Integer.toString(window));
        }
        if (!connectionScenario() && scenario != Scenario.BACKLOG) {
            d.put("pacing", pacing.describe());
            d.put("duration_s", Integer.toString(durationSeconds));
            d.put("warmup_s", Integer.toString(warmupSeconds));
        }
        return d;
    }

    /** Whether the scenario opens connections and publishes nothing. */
    private boolean connectionScenario() {
        return scenario == Scenario.CONNECTIONS || scenario == Scenario.CONNECT_STORM;
    }

    /** {@code settings} with this run's {@code --username} and {@code --password}, which every CONNECT carries. */
    ClientSettings login(ClientSettings settings) {
        return settings.withLogin(username, password);
    }

    /** The wire every connection of the run speaks, with its TLS trust and WebSocket path. */
    Wire wire() {
        return Wire.of(transport, caFile, webSocketPath, PAYLOAD_MAX_BYTES + 1024);
    }

    /**
     * The command line as picocli sees it. Whole numbers may carry {@code _} separators
     * ({@code 1_000_000}); a count left out is 0, "the scenario's default".
     */
    @Command(
            name = "LoadGenerator",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            separator = " ",
            sortOptions = false,
            sortSynopsis = false,
            usageHelpAutoWidth = true,
            description = {
                "Drives an MQTT broker over TCP, TLS or WebSockets with one scenario and reports throughput, latency,"
                        + " losses and duplicates, and (given --broker-pid) the broker's CPU and memory: a table, then one"
                        + " JSON line."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {" 0:the run completed", " 1:the run failed (the JSON has an error)", " 2:bad arguments"},
            footer = {"", "docs/benchmarks.md describes the scenarios and what each figure means."})
    static final class Arguments {
        static final String HINT = "LoadGenerator --help describes every option.";

        @Option(
                names = "--host",
                paramLabel = "ADDR",
                defaultValue = "127.0.0.1",
                description = "The broker's address (default ${DEFAULT-VALUE}).")
        String host;

        @Option(
                names = "--port",
                paramLabel = "N",
                required = true,
                converter = WholeNumber.class,
                description = "The broker's port (required). Never 1883 on shared machines: probe a free port.")
        Long port;

        @Option(
                names = "--subscriber-port",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "Where the subscribers connect, when not to --port: a bridge's remote broker, so what"
                        + " they receive is what the broker on --port forwarded (default: --port).")
        Long subscriberPort;

        @Option(
                names = "--scenario",
                paramLabel = "NAME",
                defaultValue = "pairwise",
                description = "pairwise, fan-in, fan-out, shared, backlog, connections or connect-storm (default"
                        + " ${DEFAULT-VALUE}).")
        String scenario;

        @Option(
                names = "--publishers",
                paramLabel = "N",
                converter = WholeNumber.class,
                description =
                        "Publishers (default per scenario; a scenario whose shape fixes the count rejects another).")
        Long publishers;

        @Option(
                names = "--subscribers",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "Subscribers (default per scenario, as --publishers).")
        Long subscribers;

        @Option(
                names = "--qos",
                paramLabel = "0|1|2",
                converter = WholeNumber.class,
                description = "QoS of every PUBLISH and SUBSCRIBE (default 1).")
        Long qos;

        @Option(
                names = "--protocol",
                paramLabel = "3|5",
                defaultValue = "5",
                description = "MQTT 3.1.1 (3) or 5 (default ${DEFAULT-VALUE}).")
        String protocol;

        @Option(
                names = "--payload-bytes",
                paramLabel = "B",
                converter = WholeNumber.class,
                description = "Payload size, at least the stamp's " + MessageStamp.SIZE_BYTES + " bytes (default 100).")
        Long payloadBytes;

        @Option(
                names = "--window",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "Most unacknowledged QoS>0 PUBLISHes per publisher; lowered to the broker's Receive"
                        + " Maximum in MQTT 5 (default " + DEFAULT_WINDOW + ").")
        Long window;

        @Option(
                names = "--closed-loop-outstanding",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "Closed loop: a publisher pauses while this many of its messages are undelivered"
                        + " (default 4 x window).")
        Long closedLoopOutstanding;

        @Option(
                names = "--rate",
                paramLabel = "msgs-per-second",
                description = "Open loop instead: total messages per second over all publishers.")
        Double rate;

        @Option(
                names = "--duration-seconds",
                paramLabel = "S",
                converter = WholeNumber.class,
                description = "Measured window, after the warm-up (default 10).")
        Long durationSeconds;

        @Option(
                names = "--warmup-seconds",
                paramLabel = "S",
                converter = WholeNumber.class,
                description = "Warm-up before the measured window (default 3).")
        Long warmupSeconds;

        @Option(
                names = "--drain-seconds",
                paramLabel = "S",
                converter = WholeNumber.class,
                description = "After publishing stops, how long to wait for messages in flight (default 10).")
        Long drainSeconds;

        @Option(
                names = "--broker-pid",
                paramLabel = "P",
                converter = WholeNumber.class,
                description = "The broker's process id, for its CPU and memory.")
        Long brokerPid;

        @Option(
                names = "--io-threads",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "Netty event loops for all connections (default 1).")
        Long ioThreads;

        @Option(
                names = "--backlog-messages",
                paramLabel = "K",
                converter = WholeNumber.class,
                description = "backlog scenario: messages queued while the session is offline (default 100000).")
        Long backlogMessages;

        @Option(
                names = "--connections",
                paramLabel = "N",
                converter = WholeNumber.class,
                description = "connections and connect-storm scenarios: connections to open (default 1000).")
        Long connections;

        @Option(
                names = "--connect-rate",
                paramLabel = "per-second",
                converter = WholeNumber.class,
                description = "connections scenario: connections opened per second (default 1000).")
        Long connectRate;

        @Option(
                names = "--hold-seconds",
                paramLabel = "S",
                converter = WholeNumber.class,
                description = "connections scenario: how long they are held (default 5).")
        Long holdSeconds;

        @Option(
                names = "--transport",
                paramLabel = "tcp|tls|ws|wss",
                defaultValue = "tcp",
                description = "What every connection speaks below MQTT: TCP, TLS, MQTT over WebSockets, or that over"
                        + " TLS (default ${DEFAULT-VALUE}).")
        String transport;

        @Option(
                names = "--ca-file",
                paramLabel = "PEM",
                description = "tls and wss: the CA the broker's certificate must chain to (required for them).")
        Path caFile;

        @Option(
                names = "--ws-path",
                paramLabel = "PATH",
                defaultValue = "/mqtt",
                description = "ws and wss: the HTTP path of the upgrade (default ${DEFAULT-VALUE}).")
        String webSocketPath;

        @Option(
                names = "--username",
                paramLabel = "NAME",
                description = "The User Name every CONNECT carries (default none: anonymous).")
        String username;

        @Option(
                names = "--password",
                paramLabel = "TEXT",
                description = "The Password every CONNECT carries, with --username (default none).")
        String password;

        @Option(names = "--label", paramLabel = "text", defaultValue = "", description = "Copied into the report.")
        String label;

        LoadOptions toOptions() {
            if (rate != null && closedLoopOutstanding != null) {
                throw new IllegalArgumentException("--rate and --closed-loop-outstanding exclude each other");
            }
            int window = range("--window", this.window, DEFAULT_WINDOW, 1, 65_535);
            Pacing pacing;
            if (rate != null) {
                if (!(rate > 0)) {
                    throw new IllegalArgumentException("--rate must be positive, got " + rate);
                }
                pacing = Pacing.openLoop(rate);
            } else {
                pacing = Pacing.closedLoop(
                        range("--closed-loop-outstanding", closedLoopOutstanding, 4 * window, 1, 10_000_000));
            }
            Wire.Kind kind = Wire.Kind.fromCliName(transport);
            if (kind.tls() && caFile == null) {
                throw new IllegalArgumentException("--transport " + kind.cliName() + " needs --ca-file");
            }
            if (caFile != null && !kind.tls()) {
                throw new IllegalArgumentException("--ca-file applies only to --transport tls and wss");
            }
            if (!webSocketPath.startsWith("/")) {
                throw new IllegalArgumentException("--ws-path must start with '/', got '" + webSocketPath + "'");
            }
            if (password != null && username == null) {
                // 3.1.1 forbids a Password without a User Name [MQTT-3.1.2-22]; we keep that for both versions.
                throw new IllegalArgumentException("--password needs --username");
            }
            if (username != null && username.isEmpty()) {
                throw new IllegalArgumentException("--username must not be empty");
            }
            int brokerPort = range("--port", port, 0, 1, 65_535);
            LoadOptions options = new LoadOptions(
                    host,
                    brokerPort,
                    range("--subscriber-port", subscriberPort, brokerPort, 1, 65_535),
                    scenario(scenario),
                    range("--publishers", publishers, 0, 1, 100_000),
                    range("--subscribers", subscribers, 0, 1, 100_000),
                    QoS.fromValue(range("--qos", qos, 1, 0, 2)),
                    protocol(protocol),
                    range("--payload-bytes", payloadBytes, 100, MessageStamp.SIZE_BYTES, PAYLOAD_MAX_BYTES),
                    window,
                    range("--duration-seconds", durationSeconds, 10, 1, 86_400),
                    range("--warmup-seconds", warmupSeconds, 3, 0, 3_600),
                    pacing,
                    range("--broker-pid", brokerPid, 0, 1, Integer.MAX_VALUE),
                    range("--io-threads", ioThreads, 1, 1, 64),
                    range("--backlog-messages", backlogMessages, 100_000, 1, 100_000_000),
                    range("--connections", connections, 1_000, 1, 1_000_000),
                    range("--connect-rate", connectRate, 1_000, 1, 1_000_000),
                    range("--hold-seconds", holdSeconds, 5, 0, 3_600),
                    range("--drain-seconds", drainSeconds, 10, 1, 3_600),
                    label,
                    kind,
                    caFile,
                    webSocketPath,
                    username,
                    password);
            return options.withScenarioDefaults();
        }

        /** {@code value}, or {@code fallback} when the option was not given (0 for a count means "unset"). */
        private static int range(String option, Long value, int fallback, long min, long max) {
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
            }
            return (int) value.longValue();
        }

        private static Scenario scenario(String name) {
            try {
                return Scenario.fromCliName(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scenario: " + e.getMessage());
            }
        }
    }

    /** A whole number, {@code _} separators allowed. */
    static final class WholeNumber implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                return Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("must be a whole number, got '" + text + "'");
            }
        }
    }
}
