package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: a broker opens a journal that any older Cairn wrote and restores what it held. Method:
 * the broker starts on each format version's clean golden journal (no index: recovery rebuilds it
 * by replaying every record), on a wall clock set to just after the golden's last record so the
 * "dashboard" session has not expired, and the dashboard reconnects: it must get exactly the
 * messages still queued for it, in order, at QoS 1 (the first was acknowledged in the journal).
 */
class GoldenRecoveryIT {
    /** 2026-01-01T00:00:20Z, ten seconds after the golden workload's last record. */
    private static final long AFTER_THE_WORKLOAD_MILLIS = 1_767_225_620_000L;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void theBrokerRecoversTheQueueOfEveryFormatVersionsGolden(int version) throws Exception {
        GoldenJournals.unpack(GoldenJournals.clean(version), dir);
        ManualClock atGoldenTime = new ManualClock(); // Set back once, before the broker starts.
        atGoldenTime.advanceWallClock(Duration.ofMillis(AFTER_THE_WORKLOAD_MILLIS - System.currentTimeMillis()));
        TestBroker broker = TestBroker.start(Map.of("data_dir", dir.toString()), atGoldenTime);
        try (RawMqttClient dashboard = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            dashboard.send(new Packet.Connect(
                    ProtocolVersion.MQTT_5,
                    "dashboard",
                    false,
                    60,
                    null,
                    null,
                    null,
                    Properties.builder().sessionExpiryIntervalSeconds(3600L).build()));
            Packet.ConnAck ack = dashboard.receive(Packet.ConnAck.class);
            assertEquals(ReasonCode.SUCCESS, ack.reason());
            assertTrue(ack.sessionPresent(), "the golden's session is restored");
            for (String expected :
                    List.of("reading 1", "reading 2", "reading 9", "reading 10", "reading 11", "reading 12")) {
                Packet.Publish p = dashboard.receive(Packet.Publish.class);
                assertEquals(expected, new String(p.payload(), StandardCharsets.UTF_8), "in queue order");
                assertEquals(QoS.AT_LEAST_ONCE, p.qos());
                dashboard.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            }
            assertNoMorePublishes(dashboard);
        } finally {
            broker.close();
        }
    }

    /** A PINGREQ's PINGRESP comes back after anything the broker had queued to send before it. */
    private static void assertNoMorePublishes(RawMqttClient client) throws IOException {
        client.send(new Packet.PingReq());
        Packet next = client.receive();
        assertTrue(next instanceof Packet.PingResp, "nothing more queued, got " + next);
    }
}
