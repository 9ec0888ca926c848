package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.DataDirectoryInUseException;
import dev.cairn.storage.OfflineLock;
import java.nio.file.Path;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the read-only commands work on the data directory of a running broker without disturbing
 * it. Method: a real broker journals a persistent subscriber's session and five QoS 1 messages
 * queued for it while it is offline; the commands run while the broker still holds the lock.
 */
class LiveBrokerToolsIT {
    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsWorkWhileTheBrokerRuns() throws Exception {
        try (LiveBroker broker = LiveBroker.start(dir)) {
            MqttClient dashboard = broker.connect("dashboard", true, 3600, new LiveBroker.Inbox());
            dashboard.subscribe(new MqttSubscription[] {new MqttSubscription("plant/#", 1)}, null);
            dashboard.disconnect();
            MqttClient sensor = broker.connect("sensor", true, 0, null);
            for (int i = 0; i < 5; i++) {
                LiveBroker.publish(sensor, "plant/line1/temperature", "t" + i, 1, false, null);
            }
            assertThrows(
                    DataDirectoryInUseException.class, () -> OfflineLock.acquire(dir), "the broker holds the lock");

            ToolRun dump = ToolRun.run("dump", "--data-dir", dir, "--type", "MESSAGE_STORED", "--payload", "utf8");

            assertEquals(ExitCode.OK, dump.exitCode(), dump.toString());
            assertTrue(dump.out().contains("5 of "), dump.out());
            assertTrue(dump.out().contains("data=\"t4\"") && dump.out().contains("to=[dashboard(qos1)]"), dump.out());

            ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
            assertEquals(ExitCode.OK, verify.exitCode(), verify.toString());
        }
    }
}
