package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs named {@link BenchmarkCase}s against mosquitto and Cairn in turn (A B A B over the rounds,
 * each broker freshly started on a fresh data directory for every run), then prints medians and
 * ratios, writes them into docs/benchmarks.md between the results markers and draws SVG charts.
 * A broker that fails to start or serve gives a failed row; the runner carries on.
 *
 * <pre>
 * SideBySide [--cases a,b,...] [--rounds 3] [--brokers mosquitto,cairn-fsync,cairn-process,cairn-fsync-openssl]
 *            [--cairn-jar broker/target/cairn-broker.jar] [--cairn-launcher broker/bin/cairn]
 *            [--doc docs/benchmarks.md]
 *            [--charts docs/benchmarks] [--work-dir DIR]
 *            [--scrape-metrics-seconds N] [--offline-sessions N] [-- load generator flags for every case]
 * </pre>
 *
 * <p>{@code --scrape-metrics-seconds N} adds, after each Cairn broker, the same broker named
 * {@code <name>+scraped}, whose {@code /metrics} a {@link MetricsScraper} reads every N seconds
 * throughout the load run; each Cairn run's JSON line gets the scrape count, errors and slowest
 * scrape, and the broker's own measure of its figures' copies. {@code --offline-sessions N}
 * creates N offline persistent sessions with a queued message in every broker before each run
 * ({@link OfflineSessions}).
 *
 * <p>Thread safety: single-threaded; each run owns its own event loops.
 */
public final class SideBySide {
    static final String START_MARKER = "<!-- results:start -->";
    static final String END_MARKER = "<!-- results:end -->";

    private SideBySide() {}

    /** The runner's own settings; {@code generatorFlags} are passed to every case's run. */
    record Settings(
            List<BenchmarkCase> cases,
            int rounds,
            List<BrokerUnderTest> brokers,
            Path doc,
            Path charts,
            Path workDir,
            List<String> generatorFlags,
            String commandLine,
            int scrapeMetricsSeconds,
            int offlineSessions) {}

    static final String SCRAPED_SUFFIX = "+scraped";

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ResultsTable table = run(settings);
        String markdown = table.toMarkdown();
        System.out.println();
        System.out.println(markdown);
        if (settings.doc() != null) {
            writeDoc(settings, markdown);
            writeCharts(settings, table);
            System.out.println("wrote " + settings.doc() + " and charts in " + settings.charts());
        }
    }

    static ResultsTable run(Settings settings) throws IOException {
        List<String> brokerNames = new ArrayList<>();
        settings.brokers().forEach(b -> brokerNames.add(b.name()));
        ResultsTable table = new ResultsTable(settings.cases(), brokerNames);
        BenchPki pki = null;
        if (settings.cases().stream().anyMatch(c -> c.wire().tls())) {
            // Made for this run in its work directory; both brokers get the same files.
            pki = BenchPki.create(settings.workDir().resolve("pki"));
        }
        BenchAuth auth = null;
        if (settings.cases().stream().anyMatch(BenchmarkCase::authenticated)) {
            // Made for this run in its work directory; both brokers get the same files.
            auth = BenchAuth.create(settings.workDir().resolve("auth"));
        }
        for (BenchmarkCase benchmarkCase : settings.cases()) {
            for (int round = 1; round <= settings.rounds(); round++) {
                for (BrokerUnderTest broker : settings.brokers()) {
                    Path dataDir =
                            settings.workDir().resolve(benchmarkCase.name() + "-r" + round + "-" + broker.name());
                    RunResult result = runOnce(benchmarkCase, broker, dataDir, settings, pki, auth);
                    table.add(benchmarkCase, broker.name(), result);
                    System.out.printf(
                            "%s round %d %s: %s%n",
                            benchmarkCase.name(),
                            round,
                            broker.name(),
                            result.succeeded()
                                    ? RunResult.format(
                                                    result.metrics().getOrDefault(benchmarkCase.headline(), Double.NaN))
                                            + " " + benchmarkCase.headline().label()
                                    : "FAILED " + result.error());
                    System.out.println(result.toJson());
                }
            }
        }
        return table;
    }

    private static RunResult runOnce(
            BenchmarkCase benchmarkCase,
            BrokerUnderTest broker,
            Path dataDir,
            Settings runner,
            BenchPki pki,
            BenchAuth auth) {
        List<String> generatorFlags = runner.generatorFlags();
        if (benchmarkCase.bridge() != BenchmarkCase.Bridge.NONE) {
            return BridgeRun.run(benchmarkCase, broker, dataDir, generatorFlags);
        }
        BrokerUnderTest.Running running;
        BenchAuth caseAuth = benchmarkCase.authenticated() ? auth : null;
        Map<String, String> settings = Map.of("label", benchmarkCase.name(), "broker", broker.name());
        try {
            running = broker.start(dataDir, benchmarkCase.wire(), pki, caseAuth);
        } catch (IOException e) {
            return RunResult.failed(settings, "start failed: " + e.getMessage());
        }
        try {
            if (runner.offlineSessions() > 0) {
                OfflineSessions.create(running.port(), runner.offlineSessions());
            }
            MetricsScraper scraper = null;
            if (runner.scrapeMetricsSeconds() > 0 && broker.isCairn()) {
                scraper = MetricsScraper.forBrokerLog(dataDir.resolve("broker.log"), runner.scrapeMetricsSeconds());
                scraper.baseline();
                if (broker.name().endsWith(SCRAPED_SUFFIX)) {
                    scraper.start();
                }
            }
            LoadOptions options = LoadOptions.parse(
                    benchmarkCase.arguments(generatorFlags, running.port(), running.pid(), pki, caseAuth));
            RunResult result = LoadGenerator.run(options);
            if (scraper != null) {
                Map<String, String> seen = new java.util.HashMap<>(result.settings());
                seen.putAll(broker.name().endsWith(SCRAPED_SUFFIX) ? scraper.stop() : scraper.copyCostAfterRun());
                result = new RunResult(seen, result.metrics(), result.error());
            }
            if (!result.succeeded()) {
                return RunResult.failed(settings, result.error() + " [broker log: " + running.logTail() + "]");
            }
            return result;
        } catch (IOException e) {
            return RunResult.failed(settings, e.getMessage() + " [broker log: " + running.logTail() + "]");
        } finally {
            running.stop();
        }
    }

    static Settings parse(String[] args) {
        List<String> own = new ArrayList<>(Arrays.asList(args));
        List<String> generatorFlags = new ArrayList<>();
        int separator = own.indexOf("--");
        if (separator >= 0) {
            generatorFlags.addAll(own.subList(separator + 1, own.size()));
            own = new ArrayList<>(own.subList(0, separator));
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i + 1 < own.size(); i += 2) {
            values.put(own.get(i).replaceFirst("^--", ""), own.get(i + 1));
        }
        if (own.size() % 2 != 0) {
            throw new IllegalArgumentException("expected --name value pairs before --, got " + own);
        }
        List<BenchmarkCase> cases = new ArrayList<>();
        for (String name : values.getOrDefault("cases", String.join(",", BenchmarkCase.CATALOGUE.keySet()))
                .split(",")) {
            cases.add(BenchmarkCase.named(name.trim()));
        }
        Path cairnJar = Path.of(values.getOrDefault("cairn-jar", "broker/target/cairn-broker.jar"));
        Path cairnLauncher = Path.of(values.getOrDefault("cairn-launcher", "broker/bin/cairn"));
        List<BrokerUnderTest> brokers = new ArrayList<>();
        int scrapeSeconds = Integer.parseInt(values.getOrDefault("scrape-metrics-seconds", "0"));
        int offlineSessions = Integer.parseInt(values.getOrDefault("offline-sessions", "0"));
        for (String name :
                values.getOrDefault("brokers", "mosquitto,cairn-fsync").split(",")) {
            BrokerUnderTest broker = broker(name.trim(), cairnLauncher, cairnJar);
            brokers.add(broker);
            if (scrapeSeconds > 0 && broker.isCairn()) {
                brokers.add(broker.named(broker.name() + SCRAPED_SUFFIX));
            }
        }
        int rounds = Integer.parseInt(values.getOrDefault("rounds", "3"));
        Path doc = values.containsKey("doc") ? Path.of(values.get("doc")) : null;
        Path charts = Path.of(values.getOrDefault("charts", "docs/benchmarks"));
        Path workDir = values.containsKey("work-dir") ? Path.of(values.get("work-dir")) : tempDir();
        String commandLine = String.join(" ", args);
        return new Settings(
                cases,
                rounds,
                brokers,
                doc,
                charts,
                workDir,
                generatorFlags,
                commandLine,
                scrapeSeconds,
                offlineSessions);
    }

    private static BrokerUnderTest broker(String name, Path cairnLauncher, Path cairnJar) {
        if (name.equals("mosquitto")) {
            return BrokerUnderTest.mosquitto();
        }
        if (name.startsWith("cairn-")) {
            return BrokerUnderTest.cairn(cairnLauncher, cairnJar, name.substring("cairn-".length()));
        }
        throw new IllegalArgumentException(
                "unknown broker '" + name
                        + "': mosquitto, cairn-fsync or cairn-process (TLS cases: cairn-fsync-openssl for tls_provider=openssl)");
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("cairn-side-by-side");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory", e);
        }
    }

    /** Replaces what is between the markers, keeping the rest of the document. */
    static String replaceResults(String document, String results) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            return document + "\n" + START_MARKER + "\n" + results + END_MARKER + "\n";
        }
        return document.substring(0, start + START_MARKER.length()) + "\n" + results + document.substring(end);
    }

    private static void writeDoc(Settings settings, String markdown) throws IOException {
        String results = "Measured " + java.time.LocalDate.now() + " on:\n\n" + MachineDescription.describe() + "\n\n"
                + "Command: `benchmarks/run-side-by-side.sh " + settings.commandLine() + "`\n\n"
                + "Medians of " + settings.rounds() + " rounds per broker, brokers alternating A B A B.\n\n"
                + markdown + "\n"
                + "![throughput](benchmarks/throughput.svg)\n\n![p99 latency](benchmarks/latency-p99.svg)\n";
        if (settings.doc().getParent() != null) {
            Files.createDirectories(settings.doc().getParent());
        }
        String document = Files.exists(settings.doc()) ? Files.readString(settings.doc(), StandardCharsets.UTF_8) : "";
        Files.writeString(settings.doc(), replaceResults(document, results), StandardCharsets.UTF_8);
    }

    private static void writeCharts(Settings settings, ResultsTable table) throws IOException {
        Files.createDirectories(settings.charts());
        List<String> brokers = new ArrayList<>();
        settings.brokers().forEach(b -> brokers.add(b.name()));
        List<String> streaming = new ArrayList<>();
        for (BenchmarkCase c : settings.cases()) {
            if (c.headline() == Metric.DELIVERED_PER_SECOND || c.headline() == Metric.LATENCY_P99_MICROS) {
                streaming.add(c.name());
            }
        }
        Files.writeString(
                settings.charts().resolve("throughput.svg"),
                chart(
                        table,
                        "Delivered messages per second",
                        "msgs/s, median",
                        streaming,
                        brokers,
                        Metric.DELIVERED_PER_SECOND),
                StandardCharsets.UTF_8);
        Files.writeString(
                settings.charts().resolve("latency-p99.svg"),
                chart(
                        table,
                        "p99 publish-to-deliver latency",
                        "µs, median",
                        streaming,
                        brokers,
                        Metric.LATENCY_P99_MICROS),
                StandardCharsets.UTF_8);
    }

    private static String chart(
            ResultsTable table, String title, String unit, List<String> cases, List<String> brokers, Metric metric) {
        double[][] values = new double[cases.size()][brokers.size()];
        for (int c = 0; c < cases.size(); c++) {
            for (int b = 0; b < brokers.size(); b++) {
                values[c][b] = table.median(cases.get(c), brokers.get(b), metric);
            }
        }
        return SvgBarChart.render(title, unit, cases, brokers, values);
    }
}
