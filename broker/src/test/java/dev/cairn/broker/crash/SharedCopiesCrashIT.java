package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Packets;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: an offline persistent session subscribed to {@code x/y} (QoS 1, identifier 1) and to
 * {@code $share/g/x/y} (QoS 2, identifier 2) keeps both copies of every acknowledged message over
 * kill -9 (MQTT 5.0 section 4.8.2), each with its own QoS and identifier [MQTT-3.3.4-3]. Method: a
 * broker child, raw MQTT 5 clients; after the PUBACKs the child gets SIGKILL; optionally the index
 * is deleted too, so recovery rebuilds every queue entry by replaying the journal's records.
 */
class SharedCopiesCrashIT {
    private static final int MESSAGES = 20;
    private static final Packet.Connect BOTH = new Packet.Connect(
            ProtocolVersion.MQTT_5,
            "both",
            false,
            60,
            null,
            null,
            null,
            Properties.builder().sessionExpiryIntervalSeconds(3600L).build());

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @ParameterizedTest(name = "index deleted after the kill: {0}")
    @ValueSource(booleans = {false, true})
    void bothCopiesOfEveryAcknowledgedMessageSurviveKill9(boolean deleteIndex) throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> settings = Map.of("durability", "fsync");
        try (ChildBroker first = ChildBroker.start(data, tmp, settings)) {
            try (RawMqttClient sub = connected(first, BOTH)) {
                subscribe(sub, 1, 1, "x/y", QoS.AT_LEAST_ONCE);
                subscribe(sub, 2, 2, "$share/g/x/y", QoS.EXACTLY_ONCE);
            }
            try (RawMqttClient pub = connected(
                    first,
                    new Packet.Connect(ProtocolVersion.MQTT_5, "pub", true, 60, null, null, null, Properties.EMPTY))) {
                for (int i = 1; i <= MESSAGES; i++) {
                    pub.send(new Packet.Publish(
                            "x/y",
                            QoS.AT_LEAST_ONCE,
                            false,
                            false,
                            i,
                            Properties.EMPTY,
                            ("m" + i).getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 1; i <= MESSAGES; i++) {
                    assertEquals(
                            ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
                }
                first.kill9();
            }
        }
        if (deleteIndex) {
            deleteTree(data.resolve("index"));
        }
        try (ChildBroker second = ChildBroker.start(data, tmp, settings);
                RawMqttClient back = connected(second, BOTH)) {
            if (deleteIndex) {
                assertTrue(
                        second.replayedRecords() > MESSAGES, "the index was rebuilt from the journal: " + second.log());
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 2 * MESSAGES; i++) {
                Packet.Publish p = back.receive(Packet.Publish.class);
                // The message was published at QoS 1, so the shared copy is QoS min(1, 2) = 1 too;
                // the identifiers tell the copies apart.
                assertEquals(QoS.AT_LEAST_ONCE, p.qos());
                assertEquals(1, p.properties().subscriptionIdentifiers().size(), p.toString());
                received.add(new String(p.payload(), StandardCharsets.UTF_8) + "/"
                        + p.properties().subscriptionIdentifiers().get(0));
                back.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                expected.add("m" + i + "/1");
                expected.add("m" + i + "/2");
            }
            assertEquals(expected, received, "both copies of each message, in order, the non-shared one first");
        }
    }

    private static RawMqttClient connected(ChildBroker broker, Packet.Connect connect) throws IOException {
        RawMqttClient c = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        c.send(connect);
        assertEquals(ReasonCode.SUCCESS, c.receive(Packet.ConnAck.class).reason());
        return c;
    }

    private static void subscribe(RawMqttClient c, int packetId, int subscriptionId, String filter, QoS qos)
            throws IOException {
        c.send(Packets.subscribe5(
                packetId,
                subscriptionId,
                new Packet.Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE)));
        assertEquals(
                List.of(ReasonCode.granted(qos)), c.receive(Packet.SubAck.class).reasons(), filter);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
