package dev.cairn.broker.it;

import static dev.cairn.broker.testing.ReloadFiles.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code log_level} changes on SIGHUP for the loggers that already exist, and the broker
 * keeps its connections. Method: a child broker started with {@code --config} at {@code info};
 * the file says {@code debug}, SIGHUP: a CONNECT now writes the core's DEBUG line. The file says
 * {@code warn} (and changes {@code topic_alias_max}, which takes a restart, so that a WARN marks
 * the end of the level's change): a refused CONNECT no longer writes its INFO line. The client
 * connected first still gets PINGRESP. Each CONNACK arrives after the line of its CONNECT was
 * written (the core logs, then sends), so reading the log after the CONNACK is no race.
 */
class LogLevelReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void sighupChangesTheLogLevelOfRunningLoggersAndKeepsTheConnections() throws Exception {
        Path conf = dir.resolve("cairn.conf");
        replace(conf, "log_level = info\n");
        try (ChildBroker broker = ChildBroker.startWithConfig(dir.resolve("data"), dir, conf, Map.of());
                RawMqttClient live = connect(broker, "live", ReasonCode.SUCCESS)) {
            assertFalse(broker.log().contains("client live connected"), "no DEBUG line at info:\n" + broker.log());

            replace(conf, "log_level = debug\n");
            broker.hangUp();
            broker.awaitLog("reload: log_level is debug (before: info)", 1, WAIT);
            broker.awaitLog("reload done", 1, WAIT);
            connect(broker, "second", ReasonCode.SUCCESS).close();
            assertTrue(
                    broker.log().contains("client second connected on listener default"),
                    "the core's logger, made at start, logs DEBUG now:\n" + broker.log());
            connect(broker, "$bridge/one", ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)
                    .close();
            assertTrue(broker.log().contains("(client id '$bridge/one')"), "the refusal's INFO line:\n" + broker.log());

            replace(conf, "log_level = warn\ntopic_alias_max = 10\n");
            broker.hangUp();
            broker.awaitLog("reload: topic_alias_max changed in " + conf, 1, WAIT);
            assertTrue(
                    broker.log().contains("reload: log_level is warn (before: debug)"),
                    "the change is logged while INFO still shows:\n" + broker.log());
            connect(broker, "$bridge/two", ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)
                    .close();
            connect(broker, "third", ReasonCode.SUCCESS).close();
            String log = broker.log();
            assertFalse(log.contains("'$bridge/two'"), "no INFO line at warn:\n" + log);
            assertFalse(log.contains("client third connected"), "no DEBUG line at warn:\n" + log);

            live.send(new Packet.PingReq());
            live.receive(Packet.PingResp.class);
            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
            assertEquals(0, broker.stop(), "a clean stop after the reloads:\n" + broker.log());
        }
    }

    private static RawMqttClient connect(ChildBroker broker, String clientId, ReasonCode expected) throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        client.send(new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 60, null, null, null, Properties.EMPTY));
        assertEquals(expected, client.receive(Packet.ConnAck.class).reason(), "CONNACK of " + clientId);
        return client;
    }
}
