package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the TLS and WebSocket cases of the side-by-side runner work end to end on both brokers:
 * each starts with the listener the case needs (mosquitto from its generated configuration, Cairn
 * through its launcher), with certificates made by {@link BenchPki}, and the load generator's
 * clients deliver QoS 1 over it without loss, and storm it with TLS handshakes; and the
 * authenticated case, with the password and ACL files of {@link BenchAuth}, delivers as well while
 * each broker refuses a wrong password and an anonymous client. Method: the real
 * brokers as child processes, the real load generator, short runs.
 */
class WireLoadIT {
    @TempDir
    static Path dir;

    private static BenchPki pki;
    private static BenchAuth auth;

    @BeforeAll
    static void makeCertificatesAndLogin() throws Exception {
        pki = BenchPki.create(dir.resolve("pki"));
        auth = BenchAuth.create(dir.resolve("auth"));
    }

    private static BrokerUnderTest broker(String name) {
        return broker(name, "process");
    }

    /** mosquitto (skipped when not installed), or Cairn from the built jar with {@code cairnVariant} ({@code process}, {@code fsync}). */
    static BrokerUnderTest broker(String name, String cairnVariant) {
        if (name.equals("mosquitto")) {
            assumeTrue(Files.isExecutable(BrokerUnderTest.MOSQUITTO), "mosquitto is not installed");
            return BrokerUnderTest.mosquitto();
        }
        assertTrue(
                Files.isRegularFile(CairnLauncherIT.JAR),
                CairnLauncherIT.JAR + " is missing: the broker jar is built by `mvn verify`");
        return BrokerUnderTest.cairn(CairnLauncherIT.LAUNCHER, CairnLauncherIT.JAR, cairnVariant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "cairn"})
    void pairwiseQos1OverTlsAndWebSocketsDeliversEverythingOnceAndInOrder(String name) throws Exception {
        for (String caseName : List.of("tls-qos1", "ws-qos1")) {
            BenchmarkCase benchmarkCase = BenchmarkCase.named(caseName);
            RunResult result = run(name, benchmarkCase, List.of("--duration-seconds", "2", "--warmup-seconds", "1"));

            assertTrue(result.succeeded(), caseName + " on " + name + ": " + result.error());
            assertEquals(benchmarkCase.wire().cliName(), result.settings().get("wire"));
            assertTrue(result.metric(Metric.DELIVERED_PER_SECOND) > 0, result.toTable());
            assertEverythingOnceAndInOrder(result);
        }
    }

    /** 0 lost, 0 duplicates, 0 out of order over the whole run. */
    static void assertEverythingOnceAndInOrder(RunResult result) {
        assertEquals(0.0, result.metric(Metric.LOST), result.toTable());
        assertEquals(0.0, result.metric(Metric.DUPLICATES), result.toTable());
        assertEquals(0.0, result.metric(Metric.OUT_OF_ORDER), result.toTable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "cairn"})
    void aTlsConnectStormReportsHandshakesPerSecondAndBrokerCpuPerHandshake(String name) throws Exception {
        RunResult result = run(
                name,
                BenchmarkCase.named("tls-connect-storm"),
                List.of("--connections", "200", "--warmup-seconds", "1"));

        assertTrue(result.succeeded(), result.error());
        assertEquals(200.0, result.metric(Metric.CONNECTIONS), result.toTable());
        assertTrue(result.metric(Metric.CONNECT_PER_SECOND) > 0, result.toTable());
        assertTrue(result.metric(Metric.BROKER_CPU_MILLIS_PER_CONNECT) > 0, result.toTable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "cairn"})
    void theAuthenticatedCaseDeliversEverythingAndTheBrokerRefusesAWrongPasswordAndAnonymousClients(String name)
            throws Exception {
        BenchmarkCase benchmarkCase = BenchmarkCase.named("auth-qos1");
        List<String> brief = List.of("--duration-seconds", "2", "--warmup-seconds", "1");
        List<List<String>> overrides = List.of(
                brief,
                // The later flag wins: a wrong password. [MQTT-3.1.4-2] the server may refuse the CONNECT.
                concat(brief, List.of("--password", auth.password() + "x")),
                // An anonymous CONNECT: the same run's flags without --username and --password.
                List.of());
        List<RunResult> results = run(name, benchmarkCase, overrides, true);

        RunResult ok = results.get(0);
        assertTrue(ok.succeeded(), name + ": " + ok.error());
        assertEquals("user name and password", ok.settings().get("login"));
        assertTrue(ok.metric(Metric.DELIVERED_PER_SECOND) > 0, ok.toTable());
        assertEquals(0.0, ok.metric(Metric.LOST), ok.toTable());
        assertEquals(0.0, ok.metric(Metric.DUPLICATES), ok.toTable());
        assertEquals(0.0, ok.metric(Metric.OUT_OF_ORDER), ok.toTable());
        for (RunResult refused : results.subList(1, 3)) {
            assertFalse(refused.succeeded(), name + " let in a client it should refuse: " + refused.toTable());
            assertTrue(refused.error().contains("CONNACK refused"), refused.error());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One case on a fresh broker, as the side-by-side runner runs it; {@code overrides} win over the case. */
    private static RunResult run(String name, BenchmarkCase benchmarkCase, List<String> overrides) throws Exception {
        return run(name, benchmarkCase, List.of(overrides), false).get(0);
    }

    /**
     * Runs of one case on one fresh broker, one per entry of {@code overrides} (which win over the
     * case); with {@code anonymousWhenEmpty} an empty entry runs without the case's login, briefly.
     */
    private static List<RunResult> run(
            String name, BenchmarkCase benchmarkCase, List<List<String>> overrides, boolean anonymousWhenEmpty)
            throws Exception {
        BrokerUnderTest broker = broker(name);
        BenchAuth caseAuth = benchmarkCase.authenticated() ? auth : null;
        BrokerUnderTest.Running running = broker.start(
                Files.createTempDirectory(dir, benchmarkCase.name() + "-" + name), benchmarkCase.wire(), pki, caseAuth);
        try {
            List<RunResult> results = new ArrayList<>();
            for (List<String> override : overrides) {
                List<String> args = new ArrayList<>(
                        List.of(benchmarkCase.arguments(List.of(), running.port(), running.pid(), pki, caseAuth)));
                if (anonymousWhenEmpty && override.isEmpty()) {
                    int at = args.indexOf("--username");
                    args.subList(at, at + 2).clear();
                    at = args.indexOf("--password");
                    args.subList(at, at + 2).clear();
                    args.addAll(List.of("--duration-seconds", "1", "--warmup-seconds", "0"));
                }
                args.addAll(override);
                results.add(LoadGenerator.run(LoadOptions.parse(args.toArray(new String[0]))));
            }
            return results;
        } finally {
            running.stop();
        }
    }
}
