package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real mosquitto on a free port. */
class MosquittoLoadIT {
    @TempDir
    static Path dataDir;

    private static BrokerUnderTest.Running mosquitto;

    @BeforeAll
    static void startMosquitto() throws IOException {
        assumeTrue(Files.isExecutable(BrokerUnderTest.MOSQUITTO), "mosquitto is not installed");
        mosquitto = BrokerUnderTest.mosquitto().start(dataDir);
    }

    @AfterAll
    static void stopMosquitto() {
        if (mosquitto != null) {
            mosquitto.stop();
        }
    }

    @Test
    void pairwiseQos1DeliversEverythingOnceAndInOrder() {
        RunResult result = run("--scenario", "pairwise", "--publishers", "2", "--qos", "1", "--protocol", "5");

        assertTrue(result.succeeded(), result.error());
        assertTrue(result.metric(Metric.DELIVERED_PER_SECOND) > 0, result.toTable());
        assertEquals(0.0, result.metric(Metric.LOST), result.toTable());
        assertEquals(0.0, result.metric(Metric.DUPLICATES), result.toTable());
        assertEquals(0.0, result.metric(Metric.OUT_OF_ORDER), result.toTable());
        assertTrue(result.metric(Metric.BROKER_CPU_SECONDS_PER_MILLION) > 0, result.toTable());
        assertTrue(result.metric(Metric.LATENCY_P99_MICROS) > 0, result.toTable());
    }

    @Test
    void pairwiseQos2Over311CompletesTheFourWayFlow() {
        RunResult result = run("--scenario", "pairwise", "--publishers", "2", "--qos", "2", "--protocol", "3");

        assertTrue(result.succeeded(), result.error());
        assertTrue(result.metric(Metric.DELIVERED_PER_SECOND) > 0, result.toTable());
        assertEquals(0.0, result.metric(Metric.LOST) + result.metric(Metric.DUPLICATES), result.toTable());
    }

    @Test
    void backlogDrainsEveryQueuedMessage() {
        RunResult result = run("--scenario", "backlog", "--qos", "1", "--backlog-messages", "2000");

        assertTrue(result.succeeded(), result.error());
        assertEquals(0.0, result.metric(Metric.LOST), result.toTable());
        assertTrue(result.metric(Metric.DRAIN_PER_SECOND) > 0, result.toTable());
    }

    private static RunResult run(String... scenarioFlags) {
        String[] common = {
            "--port",
            Integer.toString(mosquitto.port()),
            "--broker-pid",
            Long.toString(mosquitto.pid()),
            "--duration-seconds",
            "2",
            "--warmup-seconds",
            "1"
        };
        String[] args = new String[common.length + scenarioFlags.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(scenarioFlags, 0, args, common.length, scenarioFlags.length);
        return LoadGenerator.run(LoadOptions.parse(args));
    }
}
