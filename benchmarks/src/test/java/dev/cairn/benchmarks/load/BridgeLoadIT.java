package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the side-by-side runner's bridge cases work end to end on both edges: mosquitto with its
 * own bridge and Cairn with {@code bridge.remote.*} each forward the generator's QoS 1 messages to
 * a remote mosquitto, where the only subscribers are (so every delivery is a forwarded message);
 * Cairn loses nothing, neither streaming nor when it is killed with SIGKILL mid-run and
 * restarted. Method: {@link BridgeRun} as the runner calls it, real broker processes, short runs.
 * Mosquitto's loss at the kill is reported by the runner, not asserted: it is what the benchmark
 * measures.
 */
class BridgeLoadIT {
    private static final List<String> BRIEF = List.of("--duration-seconds", "2", "--warmup-seconds", "1");

    @TempDir
    static Path dir;

    /** One run of a bridge case with {@code name} as the edge; checks that it succeeded and forwarded. */
    private static RunResult runForwarding(String caseName, String name) throws Exception {
        assumeTrue(Files.isExecutable(BrokerUnderTest.MOSQUITTO), "mosquitto is not installed (it is the remote)");
        RunResult result = BridgeRun.run(
                BenchmarkCase.named(caseName),
                WireLoadIT.broker(name, "fsync"),
                Files.createTempDirectory(dir, caseName + "-" + name),
                BRIEF);
        assertTrue(result.succeeded(), name + ": " + result.error());
        assertTrue(result.metric(Metric.DELIVERED_PER_SECOND) > 0, "nothing was forwarded: " + result.toTable());
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "cairn"})
    void theEdgeForwardsEveryQos1MessageToTheRemoteOnceAndInOrder(String name) throws Exception {
        RunResult result = runForwarding("bridge-qos1", name);

        assertEquals("another broker (a bridge's remote)", result.settings().get("subscribers_on"));
        WireLoadIT.assertEverythingOnceAndInOrder(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "cairn"})
    void afterKill9OfTheEdgeTheRunReportsWhatItAcknowledgedAndCairnLosesNoneOfIt(String name) throws Exception {
        RunResult result = runForwarding("bridge-kill-qos1", name);

        assertTrue(result.metric(Metric.ACKNOWLEDGED) > 0, result.toTable());
        assertTrue(
                result.metric(Metric.LOST) <= result.metric(Metric.UNFORWARDED_AT_KILL),
                "lost only what was not forwarded at the kill: " + result.toTable());
        if (name.equals("cairn")) {
            // The promise: acknowledged means on disk, and the bridge forwards it after the restart.
            assertEquals(0.0, result.metric(Metric.LOST), result.toTable());
        }
    }
}
