package dev.cairn.broker.codec;

import static dev.cairn.broker.codec.ProtocolVersion.MQTT_3_1;
import static dev.cairn.broker.codec.ProtocolVersion.MQTT_3_1_1;
import static dev.cairn.broker.codec.ProtocolVersion.MQTT_5;
import static dev.cairn.broker.codec.Role.CLIENT;
import static dev.cairn.broker.codec.Role.SERVER;
import static dev.cairn.broker.codec.SamplePackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every packet type, in every version that has it, survives encode then decode unchanged,
 * and encodedSize predicts the encoded length exactly. Method: encode, check the size, decode
 * with the role that receives the packet, compare structurally, and re-encode to compare bytes.
 */
class RoundTripTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void packetSurvivesEncodeThenDecode(String name, ProtocolVersion version, Role receiver, Packet packet) {
        // Arrange / act
        byte[] encoded = Wire.encode(packet, version);
        Object decoded = Wire.decode(receiver, encoded, packet.type() == PacketType.CONNECT ? null : version);

        // Assert
        assertEquals(encoded.length, PacketEncoder.encodedSize(packet, version), "encodedSize");
        Packet decodedPacket = assertInstanceOf(Packet.class, decoded, () -> "got " + decoded);
        assertEquals(Wire.describe(packet), Wire.describe(decodedPacket));
        assertArrayEquals(encoded, Wire.encode(decodedPacket, version), "re-encoded bytes");
    }

    static Stream<Arguments> packets() {
        List<Arguments> rows = new ArrayList<>();
        for (ProtocolVersion version : List.of(MQTT_3_1_1, MQTT_5)) {
            rows.addAll(packetsFor(version));
        }
        rows.add(row(
                "3.1 CONNECT with will and credentials",
                MQTT_3_1,
                SERVER,
                SamplePackets.connect(MQTT_3_1, Properties.EMPTY, Properties.EMPTY)));
        rows.add(row("3.1 minimal CONNECT", MQTT_3_1, SERVER, SamplePackets.minimalConnect(MQTT_3_1)));
        rows.add(row("3.1 CONNACK", MQTT_3_1, CLIENT, new Packet.ConnAck(false, ReasonCode.SUCCESS, Properties.EMPTY)));
        rows.addAll(v5Only());
        return rows.stream();
    }

    private static List<Arguments> packetsFor(ProtocolVersion v) {
        boolean v5 = v.isV5();
        String p = v5 ? "5.0 " : "3.1.1 ";
        Properties reason = v5 ? SamplePackets.reasonProperties() : Properties.EMPTY;
        ReasonCode refused = v5 ? ReasonCode.BAD_AUTHENTICATION_METHOD : ReasonCode.NOT_AUTHORIZED;
        ReasonCode ackError = v5 ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SUCCESS;
        ReasonCode subFailure = v5 ? ReasonCode.TOPIC_FILTER_INVALID : ReasonCode.UNSPECIFIED_ERROR;
        List<ReasonCode> unsubReasons =
                v5 ? List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED) : List.of();
        return List.of(
                row(
                        p + "CONNECT with will and credentials",
                        v,
                        SERVER,
                        SamplePackets.connect(
                                v,
                                v5 ? SamplePackets.connectProperties() : Properties.EMPTY,
                                v5 ? SamplePackets.willProperties() : Properties.EMPTY)),
                row(p + "minimal CONNECT", v, SERVER, SamplePackets.minimalConnect(v)),
                row(
                        p + "CONNACK accepted",
                        v,
                        CLIENT,
                        new Packet.ConnAck(
                                true, ReasonCode.SUCCESS, v5 ? SamplePackets.connAckProperties() : Properties.EMPTY)),
                row(p + "CONNACK refused", v, CLIENT, new Packet.ConnAck(false, refused, Properties.EMPTY)),
                row(
                        p + "PUBLISH QoS 0",
                        v,
                        SERVER,
                        new Packet.Publish("a/b", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, bytes("hello"))),
                row(
                        p + "PUBLISH QoS 1 retained, client to server",
                        v,
                        SERVER,
                        new Packet.Publish(
                                "a/ü",
                                QoS.AT_LEAST_ONCE,
                                true,
                                false,
                                1,
                                v5 ? SamplePackets.publishProperties() : Properties.EMPTY,
                                new byte[0])),
                row(
                        p + "PUBLISH QoS 2 dup, server to client",
                        v,
                        CLIENT,
                        new Packet.Publish(
                                "x",
                                QoS.EXACTLY_ONCE,
                                false,
                                true,
                                65535,
                                v5 ? SamplePackets.serverPublishProperties() : Properties.EMPTY,
                                new byte[300])),
                row(p + "PUBACK", v, SERVER, new Packet.PubAck(1, ReasonCode.SUCCESS, Properties.EMPTY)),
                row(p + "PUBACK with reason and properties", v, CLIENT, new Packet.PubAck(2, ackError, reason)),
                row(p + "PUBREC", v, CLIENT, new Packet.PubRec(3, ackError, reason)),
                row(p + "PUBREL", v, SERVER, new Packet.PubRel(4, ReasonCode.SUCCESS, reason)),
                row(p + "PUBCOMP", v, CLIENT, new Packet.PubComp(5, ReasonCode.SUCCESS, Properties.EMPTY)),
                row(
                        p + "SUBSCRIBE",
                        v,
                        SERVER,
                        SamplePackets.subscribe(
                                v,
                                v5
                                        ? Properties.builder()
                                                .addSubscriptionIdentifier(16_384)
                                                .addUserProperty("u", "1")
                                                .build()
                                        : Properties.EMPTY)),
                row(
                        p + "SUBACK",
                        v,
                        CLIENT,
                        new Packet.SubAck(
                                7,
                                List.of(
                                        ReasonCode.GRANTED_QOS_0,
                                        ReasonCode.GRANTED_QOS_1,
                                        ReasonCode.GRANTED_QOS_2,
                                        subFailure),
                                reason)),
                row(
                        p + "UNSUBSCRIBE",
                        v,
                        SERVER,
                        new Packet.Unsubscribe(
                                8,
                                List.of("a/+", "b/#"),
                                v5
                                        ? Properties.builder()
                                                .addUserProperty("u", "2")
                                                .build()
                                        : Properties.EMPTY)),
                row(p + "UNSUBACK", v, CLIENT, new Packet.UnsubAck(8, unsubReasons, reason)),
                row(p + "PINGREQ", v, SERVER, new Packet.PingReq()),
                row(p + "PINGRESP", v, CLIENT, new Packet.PingResp()),
                row(
                        p + "DISCONNECT",
                        v,
                        SERVER,
                        new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY)));
    }

    private static List<Arguments> v5Only() {
        Properties sessionExpiry = SamplePackets.reasonProperties().toBuilder()
                .sessionExpiryIntervalSeconds(0L)
                .build();
        return List.of(
                row(
                        "5.0 PUBLISH with empty topic and topic alias",
                        MQTT_5,
                        SERVER,
                        new Packet.Publish(
                                "",
                                QoS.AT_MOST_ONCE,
                                false,
                                false,
                                0,
                                Properties.builder().topicAlias(65535).build(),
                                bytes("x"))),
                row(
                        "5.0 PUBACK reason without properties",
                        MQTT_5,
                        CLIENT,
                        new Packet.PubAck(9, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY)),
                row(
                        "5.0 PUBREL packet identifier not found",
                        MQTT_5,
                        SERVER,
                        new Packet.PubRel(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY)),
                row(
                        "5.0 DISCONNECT with will, from client",
                        MQTT_5,
                        SERVER,
                        new Packet.Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, sessionExpiry)),
                row(
                        "5.0 DISCONNECT from server with reference",
                        MQTT_5,
                        CLIENT,
                        new Packet.Disconnect(
                                ReasonCode.USE_ANOTHER_SERVER,
                                Properties.builder().serverReference("b:1883").build())),
                row(
                        "5.0 DISCONNECT reason only",
                        MQTT_5,
                        CLIENT,
                        new Packet.Disconnect(ReasonCode.SESSION_TAKEN_OVER, Properties.EMPTY)),
                row(
                        "5.0 AUTH continue",
                        MQTT_5,
                        SERVER,
                        new Packet.Auth(ReasonCode.CONTINUE_AUTHENTICATION, SamplePackets.authProperties())),
                row(
                        "5.0 AUTH re-authenticate with method only",
                        MQTT_5,
                        CLIENT,
                        new Packet.Auth(
                                ReasonCode.RE_AUTHENTICATE,
                                Properties.builder()
                                        .authenticationMethod("PLAIN")
                                        .build())),
                row(
                        "5.0 AUTH success short form",
                        MQTT_5,
                        CLIENT,
                        new Packet.Auth(ReasonCode.SUCCESS, Properties.EMPTY)));
    }

    private static Arguments row(String name, ProtocolVersion version, Role receiver, Packet packet) {
        return Arguments.of(name, version, receiver, packet);
    }
}
