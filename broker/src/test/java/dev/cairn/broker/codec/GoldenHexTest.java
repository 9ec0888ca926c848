package dev.cairn.broker.codec;

import static dev.cairn.broker.codec.ProtocolVersion.MQTT_3_1;
import static dev.cairn.broker.codec.ProtocolVersion.MQTT_3_1_1;
import static dev.cairn.broker.codec.ProtocolVersion.MQTT_5;
import static dev.cairn.broker.codec.SamplePackets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.Properties;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: the bytes on the wire are exactly those the specs describe, independent of our own
 * decoder. Method: packets whose encoding was written out by hand from the spec's field tables;
 * lossless ones are also decoded back, the 3.x down-mappings are checked in encoding only.
 */
class GoldenHexTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossless")
    void encodesToHandWrittenBytesAndDecodesBack(
            String name, ProtocolVersion version, Role receiver, Packet packet, String hex) {
        assertEquals(hex, Wire.hex(Wire.encode(packet, version)));
        assertEquals(Wire.hex(hex).length, PacketEncoder.encodedSize(packet, version));

        Object decoded = Wire.decode(receiver, Wire.hex(hex), packet.type() == PacketType.CONNECT ? null : version);
        assertEquals(Wire.describe(packet), Wire.describe(assertInstanceOf(Packet.class, decoded)));
    }

    static Stream<Arguments> lossless() {
        Properties publishProperties =
                Properties.builder().payloadFormatIndicator(1).topicAlias(5).build();
        Properties connectProperties = Properties.builder()
                .sessionExpiryIntervalSeconds(60L)
                .receiveMaximum(10)
                .build();
        Packet.Will will = new Packet.Will("w", bytes("x"), QoS.AT_LEAST_ONCE, true, Properties.EMPTY);
        return Stream.of(
                Arguments.of(
                        "3.1.1 CONNECT clean session keep alive 60 client id abc",
                        MQTT_3_1_1,
                        Role.SERVER,
                        new Packet.Connect(MQTT_3_1_1, "abc", true, 60, null, null, null, Properties.EMPTY),
                        "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 61 62 63"),
                Arguments.of(
                        "3.1 CONNECT uses MQIsdp level 3",
                        MQTT_3_1,
                        Role.SERVER,
                        new Packet.Connect(MQTT_3_1, "abc", true, 60, null, null, null, Properties.EMPTY),
                        "10 11 00 06 4D 51 49 73 64 70 03 02 00 3C 00 03 61 62 63"),
                Arguments.of(
                        "3.1.1 CONNECT every flag: user, password, will retain, will QoS 1, will, clean",
                        MQTT_3_1_1,
                        Role.SERVER,
                        new Packet.Connect(MQTT_3_1_1, "c", true, 10, "u", bytes("p"), will, Properties.EMPTY),
                        "10 19 00 04 4D 51 54 54 04 EE 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70"),
                Arguments.of(
                        "5.0 CONNECT session expiry 60 receive maximum 10",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Connect(MQTT_5, "abc", true, 60, null, null, null, connectProperties),
                        "10 18 00 04 4D 51 54 54 05 02 00 3C 08 11 00 00 00 3C 21 00 0A 00 03 61 62 63"),
                Arguments.of(
                        "5.0 PUBLISH QoS 1 id 10 payload format 1 topic alias 5",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Publish("a/b", QoS.AT_LEAST_ONCE, false, false, 10, publishProperties, bytes("hi")),
                        "32 0F 00 03 61 2F 62 00 0A 05 01 01 23 00 05 68 69"),
                Arguments.of(
                        "3.1.1 PUBLISH QoS 2 dup retain",
                        MQTT_3_1_1,
                        Role.CLIENT,
                        new Packet.Publish("t", QoS.EXACTLY_ONCE, true, true, 258, Properties.EMPTY, bytes("z")),
                        "3D 06 00 01 74 01 02 7A"),
                Arguments.of(
                        "5.0 PUBACK short form: success, no properties",
                        MQTT_5,
                        Role.CLIENT,
                        new Packet.PubAck(10, ReasonCode.SUCCESS, Properties.EMPTY),
                        "40 02 00 0A"),
                Arguments.of(
                        "5.0 PUBACK reason without properties",
                        MQTT_5,
                        Role.CLIENT,
                        new Packet.PubAck(10, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY),
                        "40 03 00 0A 10"),
                Arguments.of(
                        "3.1.1 PUBREL has flags 0010",
                        MQTT_3_1_1,
                        Role.SERVER,
                        new Packet.PubRel(1, ReasonCode.SUCCESS, Properties.EMPTY),
                        "62 02 00 01"),
                Arguments.of(
                        "3.1.1 CONNACK unacceptable protocol version",
                        MQTT_3_1_1,
                        Role.CLIENT,
                        new Packet.ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, Properties.EMPTY),
                        "20 02 00 01"),
                Arguments.of(
                        "5.0 CONNACK session present",
                        MQTT_5,
                        Role.CLIENT,
                        new Packet.ConnAck(true, ReasonCode.SUCCESS, Properties.EMPTY),
                        "20 03 01 00 00"),
                Arguments.of(
                        "5.0 SUBSCRIBE QoS 1 no local, retain as published, retain handling 2",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Subscribe(
                                1,
                                List.of(new Packet.Subscription(
                                        "a/#", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND)),
                                Properties.EMPTY),
                        "82 09 00 01 00 00 03 61 2F 23 2D"),
                Arguments.of(
                        "3.1.1 UNSUBSCRIBE has flags 0010",
                        MQTT_3_1_1,
                        Role.SERVER,
                        new Packet.Unsubscribe(2, List.of("a"), Properties.EMPTY),
                        "A2 05 00 02 00 01 61"),
                Arguments.of("3.1.1 PINGREQ", MQTT_3_1_1, Role.SERVER, new Packet.PingReq(), "C0 00"),
                Arguments.of("5.0 PINGRESP", MQTT_5, Role.CLIENT, new Packet.PingResp(), "D0 00"),
                Arguments.of(
                        "3.1.1 DISCONNECT",
                        MQTT_3_1_1,
                        Role.SERVER,
                        new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY),
                        "E0 00"),
                Arguments.of(
                        "5.0 DISCONNECT normal short form",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY),
                        "E0 00"),
                Arguments.of(
                        "5.0 DISCONNECT session taken over, no properties",
                        MQTT_5,
                        Role.CLIENT,
                        new Packet.Disconnect(ReasonCode.SESSION_TAKEN_OVER, Properties.EMPTY),
                        "E0 01 8E"),
                Arguments.of(
                        "5.0 AUTH success short form",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Auth(ReasonCode.SUCCESS, Properties.EMPTY),
                        "F0 00"),
                Arguments.of(
                        "5.0 AUTH continue with method ab",
                        MQTT_5,
                        Role.SERVER,
                        new Packet.Auth(
                                ReasonCode.CONTINUE_AUTHENTICATION,
                                Properties.builder().authenticationMethod("ab").build()),
                        "F0 07 18 05 15 00 02 61 62"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("downMapped")
    void mapsWhatMqtt3CannotCarry(String name, Packet packet, String hex) {
        assertEquals(hex, Wire.hex(Wire.encode(packet, MQTT_3_1_1)));
        assertEquals(Wire.hex(hex).length, PacketEncoder.encodedSize(packet, MQTT_3_1_1));
    }

    static Stream<Arguments> downMapped() {
        Properties reason = SamplePackets.reasonProperties();
        return Stream.of(
                Arguments.of(
                        "CONNACK not authorized is return code 5",
                        new Packet.ConnAck(false, ReasonCode.NOT_AUTHORIZED, reason),
                        "20 02 00 05"),
                Arguments.of(
                        "CONNACK bad authentication method has no 3.1.1 code: 3",
                        new Packet.ConnAck(false, ReasonCode.BAD_AUTHENTICATION_METHOD, reason),
                        "20 02 00 03"),
                Arguments.of(
                        "SUBACK error reasons become 0x80",
                        new Packet.SubAck(
                                1,
                                List.of(
                                        ReasonCode.GRANTED_QOS_1,
                                        ReasonCode.NOT_AUTHORIZED,
                                        ReasonCode.TOPIC_FILTER_INVALID),
                                reason),
                        "90 05 00 01 01 80 80"),
                Arguments.of(
                        "UNSUBACK drops its reason list",
                        new Packet.UnsubAck(5, List.of(ReasonCode.SUCCESS), reason),
                        "B0 02 00 05"),
                Arguments.of(
                        "PUBACK drops reason and properties",
                        new Packet.PubAck(3, ReasonCode.QUOTA_EXCEEDED, reason),
                        "40 02 00 03"),
                Arguments.of(
                        "DISCONNECT is always E0 00",
                        new Packet.Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, reason),
                        "E0 00"),
                Arguments.of(
                        "PUBLISH drops properties",
                        new Packet.Publish(
                                "t", QoS.AT_MOST_ONCE, false, false, 0, SamplePackets.publishProperties(), bytes("z")),
                        "30 04 00 01 74 7A"));
    }

    @Test
    void remainingLengthOver127UsesTwoMinimalBytes() {
        Packet publish = new Packet.Publish("t", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, new byte[200]);

        byte[] encoded = Wire.encode(publish, MQTT_5);

        // 3 topic bytes + 1 property length + 200 payload = 204 = 0x4C + 1 * 128.
        assertTrue(Wire.hex(encoded).startsWith("30 CC 01 00 01 74 00"), Wire.hex(encoded));
        assertEquals(207, encoded.length);
    }

    @Test
    void authWithAReasonButNoPropertiesStillWritesThePropertyLength() {
        Packet auth = new Packet.Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY);

        assertEquals("F0 02 18 00", Wire.hex(Wire.encode(auth, MQTT_5)));
    }

    @Test
    void authCannotBeEncodedForMqtt3() {
        Packet auth = new Packet.Auth(ReasonCode.SUCCESS, Properties.EMPTY);

        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encodedSize(auth, MQTT_3_1_1));
        assertThrows(IllegalArgumentException.class, () -> Wire.encode(auth, ProtocolVersion.MQTT_3_1));
    }
}
