package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * clients deliver QoS 1 over it without loss, and storm it with TLS handshakes. Method: the real
 * brokers as child processes, the real load generator, short runs.
 */
class WireLoadIT {
    @TempDir
    static Path dir;

    private static BenchPki pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = BenchPki.create(dir.resolve("pki"));
    }

    private static BrokerUnderTest broker(String name) {
        if (name.equals("mosquitto")) {
            assumeTrue(Files.isExecutable(BrokerUnderTest.MOSQUITTO), "mosquitto is not installed");
            return BrokerUnderTest.mosquitto();
        }
        assertTrue(
                Files.isRegularFile(CairnLauncherIT.JAR),
                CairnLauncherIT.JAR + " is missing: the broker jar is built by `mvn verify`");
        return BrokerUnderTest.cairn(CairnLauncherIT.LAUNCHER, CairnLauncherIT.JAR, "process");
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
            assertEquals(0.0, result.metric(Metric.LOST), result.toTable());
            assertEquals(0.0, result.metric(Metric.DUPLICATES), result.toTable());
            assertEquals(0.0, result.metric(Metric.OUT_OF_ORDER), result.toTable());
        }
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

    /** One case on a fresh broker, as the side-by-side runner runs it; {@code overrides} win over the case. */
    private static RunResult run(String name, BenchmarkCase benchmarkCase, List<String> overrides) throws Exception {
        BrokerUnderTest broker = broker(name);
        BrokerUnderTest.Running running = broker.start(
                Files.createTempDirectory(dir, benchmarkCase.name() + "-" + name), benchmarkCase.wire(), pki);
        try {
            List<String> args =
                    new ArrayList<>(List.of(benchmarkCase.arguments(List.of(), running.port(), running.pid(), pki)));
            args.addAll(overrides);
            return LoadGenerator.run(LoadOptions.parse(args.toArray(new String[0])));
        } finally {
            running.stop();
        }
    }
}
