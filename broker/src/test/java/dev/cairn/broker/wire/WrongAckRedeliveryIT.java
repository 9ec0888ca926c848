package dev.cairn.broker.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An acknowledgement of the wrong type or stage ends the connection (the wire tables check the
 * bytes); here, that the message it named stays in flight for a persistent session: after the
 * reconnect it is sent again, with DUP set and its packet id [MQTT-4.4.0-1], and the right ack
 * then completes it.
 */
class WrongAckRedeliveryIT {
    private static final long SESSION_EXPIRY_SECONDS = 300;

    @ParameterizedTest(name = "{0} at QoS {1}: {2} closes, the message is re-sent on reconnect")
    @CsvSource({"MQTT_3_1_1, 1, PUBREC", "MQTT_3_1_1, 2, PUBACK", "MQTT_5, 1, PUBCOMP", "MQTT_5, 2, PUBCOMP"})
    void aWrongAckClosesAndLeavesTheMessageInFlight(ProtocolVersion version, int qos, String wrongAck)
            throws IOException, InterruptedException {
        try (TestBroker broker = TestBroker.start()) {
            wrongAckThenReconnect(broker, version, qos, wrongAck);
        }
    }

    private static void wrongAckThenReconnect(TestBroker broker, ProtocolVersion version, int qos, String wrongAck)
            throws IOException {
        String clientId = "wrong-ack-" + version + "-" + qos + "-" + wrongAck;
        String topic = "wrong/" + clientId;
        byte[] payload = "kept".getBytes(StandardCharsets.UTF_8);
        int packetId;
        try (RawMqttClient subscriber = connect(broker, version, clientId, false)) {
            subscriber.send(new Packet.Subscribe(
                    1,
                    List.of(new Packet.Subscription(
                            topic, QoS.fromValue(qos), false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    Properties.EMPTY));
            subscriber.receive(Packet.SubAck.class);
            publish(broker, topic, qos, payload);
            Packet.Publish first = subscriber.receive(Packet.Publish.class);
            packetId = first.packetId();
            // Act
            subscriber.send(wrongAck(wrongAck, packetId));
            // Assert: the connection ends (5.0: DISCONNECT 0x82 first).
            byte[] before = subscriber.awaitClose(WireHarness.ANSWER_TIMEOUT).toByteArray();
            String expected = version == ProtocolVersion.MQTT_5 ? "E0 01 82" : "";
            assertEquals(expected, Frames.hex(before), "bytes before the close");
        }
        try (RawMqttClient again = connect(broker, version, clientId, true)) {
            Packet.Publish resent = again.receive(Packet.Publish.class);
            assertTrue(resent.dup(), "a re-sent PUBLISH has DUP set [MQTT-3.3.1-1]");
            assertEquals(packetId, resent.packetId());
            assertEquals(QoS.fromValue(qos), resent.qos());
            assertArrayEquals(payload, resent.payload());
            // The right ack completes it: a PINGREQ answered with nothing else first shows no re-send is pending.
            if (qos == 1) {
                again.send(new Packet.PubAck(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
            } else {
                again.send(new Packet.PubRec(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
                assertEquals(packetId, again.receive(Packet.PubRel.class).packetId());
                again.send(new Packet.PubComp(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
            }
            again.send(new Packet.PingReq());
            again.receive(Packet.PingResp.class);
            again.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        }
    }

    private static Packet wrongAck(String type, int packetId) {
        switch (type) {
            case "PUBACK":
                return new Packet.PubAck(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
            case "PUBREC":
                return new Packet.PubRec(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
            case "PUBCOMP":
                return new Packet.PubComp(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
            default:
                throw new IllegalArgumentException(type);
        }
    }

    /** A persistent session: clean session 0 in 3.1.1, clean start 0 and an expiry in 5.0. */
    private static RawMqttClient connect(
            TestBroker broker, ProtocolVersion version, String clientId, boolean sessionPresent) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, version);
        Properties properties = version == ProtocolVersion.MQTT_5
                ? Properties.builder()
                        .sessionExpiryIntervalSeconds(SESSION_EXPIRY_SECONDS)
                        .build()
                : Properties.EMPTY;
        client.send(new Packet.Connect(version, clientId, false, 60, null, null, null, properties));
        Packet.ConnAck ack = client.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason());
        assertEquals(sessionPresent, ack.sessionPresent(), "Session Present");
        return client;
    }

    private static void publish(TestBroker broker, String topic, int qos, byte[] payload) throws IOException {
        try (RawMqttClient publisher = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            publisher.send(
                    new Packet.Connect(ProtocolVersion.MQTT_3_1_1, "", true, 60, null, null, null, Properties.EMPTY));
            publisher.receive(Packet.ConnAck.class);
            publisher.send(new Packet.Publish(topic, QoS.fromValue(qos), false, false, 7, Properties.EMPTY, payload));
            if (qos == 1) {
                publisher.receive(Packet.PubAck.class);
            } else {
                publisher.receive(Packet.PubRec.class);
                publisher.send(new Packet.PubRel(7, ReasonCode.SUCCESS, Properties.EMPTY));
                publisher.receive(Packet.PubComp.class);
            }
        }
    }
}
