package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code stats} shows each bridge's queue, labelled as a bridge (ADR 0020): what the remote
 * has not acknowledged yet, with when its oldest message arrived. Method: a real broker with a
 * bridge to a port where nothing listens, so the bridge never links and queues every message on
 * its out topic; stats runs once the broker has stopped.
 */
class BridgeStatsIT {
    @TempDir
    Path dir;

    @Test
    void statsShowsTheBridgesQueues() throws Exception {
        int nowhere;
        try (ServerSocket free = new ServerSocket(0)) {
            nowhere = free.getLocalPort();
        }
        Instant before = Instant.now().minusSeconds(1);
        try (LiveBroker broker = LiveBroker.start(
                dir,
                Map.of(
                        "bridge.central.address", "127.0.0.1:" + nowhere,
                        "bridge.central.topic.1", "plant/# out 1",
                        "bridge.central.restart_timeout_initial_millis", "60000",
                        "bridge.central.restart_timeout_max_millis", "60000"))) {
            MqttClient sensor = broker.connect("sensor", true, 0, null);
            for (int i = 0; i < 4; i++) {
                LiveBroker.publish(sensor, "plant/line1/temperature", "t" + i, 1, false, null);
            }
            LiveBroker.publish(sensor, "other/topic", "not bridged", 1, false, null);
        }

        ToolRun stats = ToolRun.run("stats", "--data-dir", dir);

        assertEquals(ExitCode.OK, stats.exitCode(), stats.toString());
        String out = stats.out();
        assertTrue(out.contains("bridges: 1 ("), out);
        // Topic plus payload: 4 x (23 + 2).
        Matcher row = Pattern.compile("\n  central\\s+unlinked\\s+4\\s+100\\s+(\\S+)\n")
                .matcher(out);
        assertTrue(row.find(), out);
        Instant oldest = Instant.parse(row.group(1));
        assertTrue(!oldest.isBefore(before) && !oldest.isAfter(Instant.now()), "oldest received at " + oldest);
    }
}
