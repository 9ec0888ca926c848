package dev.cairn.broker.wire;

import static dev.cairn.broker.codec.ReasonCode.BAD_AUTHENTICATION_METHOD;
import static dev.cairn.broker.codec.ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
import static dev.cairn.broker.codec.ReasonCode.MALFORMED_PACKET;
import static dev.cairn.broker.codec.ReasonCode.PACKET_TOO_LARGE;
import static dev.cairn.broker.codec.ReasonCode.PROTOCOL_ERROR;
import static dev.cairn.broker.codec.ReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
import static dev.cairn.broker.codec.ReasonCode.TOPIC_ALIAS_INVALID;
import static dev.cairn.broker.codec.ReasonCode.TOPIC_NAME_INVALID;
import static dev.cairn.broker.wire.Frames.lengthPrefixed;
import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static dev.cairn.broker.wire.Outcome.accepted;
import static dev.cairn.broker.wire.Outcome.answeredAndOpen;
import static dev.cairn.broker.wire.Outcome.brokerWaits;
import static dev.cairn.broker.wire.Outcome.closed;
import static dev.cairn.broker.wire.Outcome.closedAfter;
import static dev.cairn.broker.wire.Outcome.connAckV5;
import static dev.cairn.broker.wire.Outcome.disconnect;
import static dev.cairn.broker.wire.WireCase.afterConnect;
import static dev.cairn.broker.wire.WireCase.first;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT 5.0 malformed input and protocol errors, as raw bytes through a real socket into the
 * real broker. Once the connection is accepted, every error is answered with DISCONNECT and the
 * reason code (section 4.13), then the broker closes.
 *
 * <p>Errors in the CONNECT itself are our choice, because the spec only says the server MAY
 * send a CONNACK with the reason code before closing ([MQTT-3.1.4-1], section 4.13.1). We send
 * it whenever we know the client speaks 5.0, that is once the CONNECT's protocol name and level
 * have been read: a production client library then reports "CONNACK 0x81 Malformed Packet"
 * instead of an unexplained reset, which is what an operator debugging a device wants. The
 * CONNECT's fixed-header flags are checked then too, since whether they are reserved depends on
 * the version (3.1 leaves them unused). Before that point (wrong first packet, wrong protocol
 * name, a CONNECT too large to read, a broken remaining length) we do not know which encoding
 * the client reads, and DISCONNECT is forbidden
 * before CONNACK [MQTT-3.14.0-1], so we close without a word.
 */
class Mqtt5MalformedInputIT {
    private static final int PACKET_SIZE_MAX_BYTES = 1024;
    private static final int TOPIC_ALIAS_MAX = 10;
    /** Receive Maximum we advertise; the third unacknowledged QoS 2 PUBLISH breaks it. */
    private static final int INFLIGHT_INBOUND_MAX = 2;

    private static final String VALID_CONNECT = connect("02", properties(), utf8("w"));
    /**
     * The client subscribes to a/b and publishes to it, so the broker sends it the message as
     * packet id 1: SUBSCRIBE and PUBLISH (id 2) at QoS 1, then the broker's SUBACK, its PUBLISH
     * to the client and the PUBACK of the client's PUBLISH. Any ack after it meets a QoS 1
     * message in flight under id 1.
     */
    private static final String SELF_QOS1 = packet("82", "00 01", properties(), utf8("a/b"), "01") + " "
            + packet("32", utf8("a/b"), "00 02", properties(), "68");

    private static final String SELF_QOS1_ANSWER =
            "90 04 00 01 00 01 " + packet("32", utf8("a/b"), "00 01", properties(), "68") + " 40 02 00 02";
    /** As {@link #SELF_QOS1} at QoS 2: the broker answers SUBACK, PUBLISH id 1 and PUBREC for id 2. */
    private static final String SELF_QOS2 = packet("82", "00 01", properties(), utf8("a/b"), "02") + " "
            + packet("34", utf8("a/b"), "00 02", properties(), "68");

    private static final String SELF_QOS2_ANSWER =
            "90 04 00 01 00 02 " + packet("34", utf8("a/b"), "00 01", properties(), "68") + " 50 02 00 02";

    private static TestBroker broker;
    private static WireHarness harness;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of(
                "packet_size_max_bytes", Integer.toString(PACKET_SIZE_MAX_BYTES),
                "topic_alias_max", Integer.toString(TOPIC_ALIAS_MAX),
                "inflight_inbound_max", Integer.toString(INFLIGHT_INBOUND_MAX)));
        harness = new WireHarness(broker, ProtocolVersion.MQTT_5, VALID_CONNECT);
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectRows")
    void connectPhaseInputIsRefused(WireCase row) throws IOException {
        harness.run(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterConnectRows")
    void inputAfterConnectIsRefused(WireCase row) throws IOException {
        harness.run(row);
    }

    /** A 5.0 CONNECT: connect flags, keep alive 60, the property list, then the payload fields. */
    private static String connect(String flags, String properties, String... payload) {
        return packet("10", utf8("MQTT"), "05", flags, "00 3C", properties, String.join(" ", payload));
    }

    /**
     * Our CONNACK to a CONNECT without Session Expiry or Keep Alive changes: 24 bytes, the limits
     * this broker advertises in the encoder's order (see BrokerAnswersIT).
     */
    private static final String CONNACK = "20 16 00 00 13 21 00 02 22 00 0A 25 01 27 00 00 04 00 28 01 29 01 2A 01";

    /** A SUBSCRIBE with packet id 1 and the filters f/0 .. f/(n-1) at QoS 0: its SUBACK takes 5 + n bytes. */
    private static String subscribeMany(int n) {
        StringBuilder filters = new StringBuilder();
        for (int i = 0; i < n; i++) {
            filters.append(' ').append(utf8("f/" + i)).append(" 00");
        }
        return packet("82", "00 01", properties(), filters.toString());
    }

    /** A SUBSCRIBE with packet id 1, no properties and one filter (a length-prefixed string) at QoS 0. */
    private static String subscribe(String filter) {
        return packet("82", "00 01", properties(), filter, "00");
    }

    /** A QoS 0 PUBLISH to a/b with the given property list. */
    private static String publish(String properties) {
        return packet("30", utf8("a/b"), properties, "68 69");
    }

    static Stream<WireCase> connectRows() {
        return Stream.of(
                first(
                        "MQTT-3.1.0-1",
                        "first packet is PUBLISH: close, no DISCONNECT before CONNACK [MQTT-3.14.0-1]",
                        publish(properties()),
                        closed()),
                first(
                        "MQTT-3.1.2-1",
                        "protocol name MQTX: not MQTT, close without answer",
                        packet("10", utf8("MQTX"), "05 02 00 3C", properties(), utf8("w")),
                        closed()),
                first(
                        "MQTT-2.1.3-1",
                        "CONNECT fixed header flags 0001: checked once the level says 5.0, CONNACK 0x81",
                        packet("11", utf8("MQTT"), "05 02 00 3C", properties(), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.2-3",
                        "CONNECT reserved flag set",
                        connect("03", properties(), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.2-11",
                        "will topic and payload present without the will flag",
                        connect("02", properties(), utf8("w"), properties(), utf8("a/b"), utf8("x")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.2-13",
                        "will QoS 1 without the will flag",
                        connect("0A", properties(), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.2-14",
                        "will QoS 3",
                        connect("1E", properties(), utf8("w"), properties(), utf8("a/b"), utf8("x")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.2-15",
                        "will retain without the will flag",
                        connect("22", properties(), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§3.1.2.9",
                        "password without user name is allowed in 5.0",
                        connect("42", properties(), utf8("w"), utf8("pw")),
                        accepted()),
                first(
                        "MQTT-3.1.2-21",
                        "password flag set but password missing",
                        connect("42", properties(), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.1.3-6",
                        "empty client id with clean start 0 gets an assigned id",
                        connect("00", properties(), utf8("")),
                        accepted()),
                first(
                        "MQTT-3.1.3-8",
                        "client id longer than client_id_length_max: CONNACK 0x85",
                        connect("02", properties(), utf8("c".repeat(300))),
                        connAckV5(CLIENT_IDENTIFIER_NOT_VALID)),
                first(
                        "MQTT-1.5.4-1",
                        "client id is not UTF-8 (C3 28)",
                        connect("02", properties(), lengthPrefixed("C3 28")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-1.5.4-1",
                        "client id has an encoded surrogate U+DC00",
                        connect("02", properties(), lengthPrefixed("ED B0 80")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-1.5.4-2",
                        "client id contains U+0000",
                        connect("02", properties(), lengthPrefixed("61 00")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§1.5.4",
                        "client id contains the control character U+0001: CONNACK 0x81",
                        connect("02", properties(), lengthPrefixed("61 01")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§1.5.4",
                        "client id contains U+007F (DEL)",
                        connect("02", properties(), lengthPrefixed("61 7F")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§1.5.4",
                        "client id contains U+0090 (C2 90)",
                        connect("02", properties(), lengthPrefixed("C2 90")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§1.5.4",
                        "user name contains U+001F",
                        connect("82", properties(), utf8("w"), lengthPrefixed("75 1F")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§1.5.4",
                        "will topic contains U+0009 (TAB)",
                        connect("06", properties(), utf8("w"), properties(), lengthPrefixed("61 09"), utf8("x")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§2.2.2.2",
                        "unknown property identifier 0x7F",
                        connect("02", properties("7F 00"), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§2.2.2.2",
                        "Topic Alias is not allowed in CONNECT",
                        connect("02", properties("23 00 01"), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§2.2.2.2",
                        "Will Delay Interval is a will property, not a CONNECT property",
                        connect("02", properties("18 00 00 00 05"), utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§3.1.2.11.2",
                        "Session Expiry Interval included twice",
                        connect("02", properties("11 00 00 00 0A", "11 00 00 00 0A"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.3",
                        "Receive Maximum included twice",
                        connect("02", properties("21 00 0A", "21 00 0A"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.3",
                        "Receive Maximum 0",
                        connect("02", properties("21 00 00"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.4",
                        "Maximum Packet Size 0",
                        connect("02", properties("27 00 00 00 00"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.6",
                        "Request Response Information 2",
                        connect("02", properties("19 02"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.7",
                        "Request Problem Information 2",
                        connect("02", properties("17 02"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "§3.1.2.11.10",
                        "Authentication Data without Authentication Method",
                        connect("02", properties("16 00 01 FF"), utf8("w")),
                        connAckV5(PROTOCOL_ERROR)),
                first(
                        "MQTT-4.12.0-1",
                        "Authentication Method we do not support: CONNACK 0x8C",
                        connect("02", properties("15 " + utf8("SCRAM-SHA-1")), utf8("w")),
                        connAckV5(BAD_AUTHENTICATION_METHOD)),
                first(
                        "§2.2.2.2",
                        "Session Expiry Interval inside the will properties",
                        connect("06", properties(), utf8("w"), properties("11 00 00 00 0A"), utf8("a/b"), utf8("x")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "MQTT-3.3.2-2",
                        "will topic contains a wildcard: CONNACK 0x90",
                        connect("06", properties(), utf8("w"), properties(), utf8("a/+"), utf8("x")),
                        connAckV5(TOPIC_NAME_INVALID)),
                first(
                        "MQTT-1.5.5-1",
                        "property length not minimally encoded (80 00)",
                        connect("02", "80 00", utf8("w")),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§2.2.2.1",
                        "property length overruns the packet",
                        connect("02", "0A 11 00"),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§4.13",
                        "trailing bytes after the CONNECT payload",
                        connect("02", properties(), utf8("w"), "00"),
                        connAckV5(MALFORMED_PACKET)),
                first(
                        "§2.1.4",
                        "CONNECT remaining length of 5 bytes: close, version still unknown",
                        "10 FF FF FF FF 01",
                        closed()),
                first(
                        "§2.1.4",
                        "CONNECT larger than packet_size_max_bytes: close before its body, version unknown",
                        "10 " + Frames.variableByteInteger(PACKET_SIZE_MAX_BYTES),
                        closed()),
                first(
                        "MQTT-3.1.2-24",
                        "our CONNACK (24 bytes) exceeds the client's Maximum Packet Size 23: close" + " without it",
                        connect("02", properties("27 00 00 00 17"), utf8("w")),
                        closed()),
                first(
                        "MQTT-3.1.2-24",
                        "CONNACK of exactly the client's Maximum Packet Size 24 is sent",
                        connect("02", properties("27 00 00 00 18"), utf8("w")),
                        answeredAndOpen(CONNACK)),
                first(
                        "MQTT-3.1.2-24",
                        "a refusing CONNACK 0x85 (5 bytes) exceeds Maximum Packet Size 4: close without it",
                        connect("02", properties("27 00 00 00 04"), utf8("c".repeat(300))),
                        closed()),
                first(
                        "MQTT-3.1.2-24",
                        "a SUBACK of 35 bytes exceeds Maximum Packet Size 34: close without it",
                        connect("02", properties("27 00 00 00 22"), utf8("w")) + " " + subscribeMany(30),
                        closedAfter(CONNACK)),
                first(
                        "MQTT-3.1.2-24",
                        "a SUBACK of 34 bytes fits Maximum Packet Size 34",
                        connect("02", properties("27 00 00 00 22"), utf8("w")) + " " + subscribeMany(29),
                        answeredAndOpen(CONNACK + " 90 20 00 01 00" + " 00".repeat(29))),
                first(
                        "§4.13",
                        "CONNECT cut off mid-packet, then the client hangs up",
                        VALID_CONNECT.substring(0, 23),
                        brokerWaits()));
    }

    static Stream<WireCase> afterConnectRows() {
        return Stream.of(
                afterConnect("MQTT-3.1.0-2", "second CONNECT", VALID_CONNECT, disconnect(PROTOCOL_ERROR)),
                afterConnect("§2.1.2", "reserved packet type 0", "00 00", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-2.1.3-1", "PUBACK fixed header flags 0010", "42 02 00 01", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-2.1.3-1", "PUBREC fixed header flags 0001", "51 02 00 01", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.6.1-1", "PUBREL fixed header flags 0000", "60 02 00 01", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-2.1.3-1", "PUBCOMP fixed header flags 1000", "78 02 00 01", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.8.1-1",
                        "SUBSCRIBE fixed header flags 0000",
                        packet("80", "00 01", properties(), utf8("a/b"), "00"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.10.1-1",
                        "UNSUBSCRIBE fixed header flags 0011",
                        packet("A3", "00 01", properties(), utf8("a/b")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect("MQTT-2.1.3-1", "PINGREQ fixed header flags 0100", "C4 00", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.14.1-1", "DISCONNECT fixed header flags 0001", "E1 00", disconnect(MALFORMED_PACKET)),
                afterConnect("MQTT-3.15.1-1", "AUTH fixed header flags 0001", "F1 00", disconnect(MALFORMED_PACKET)),
                afterConnect("§4.13", "CONNACK sent by a client", "20 03 00 00 00", disconnect(PROTOCOL_ERROR)),
                afterConnect("§4.13", "SUBACK sent by a client", "90 04 00 01 00 00", disconnect(PROTOCOL_ERROR)),
                afterConnect("§4.13", "UNSUBACK sent by a client", "B0 04 00 01 00 00", disconnect(PROTOCOL_ERROR)),
                afterConnect("§4.13", "PINGRESP sent by a client", "D0 00", disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.3.1-4",
                        "PUBLISH with QoS 3",
                        packet("36", utf8("a/b"), "00 01", properties(), "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.3.1-2",
                        "PUBLISH QoS 0 with DUP set",
                        packet("38", utf8("a/b"), properties(), "68"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.3.2-2",
                        "PUBLISH topic contains '+'",
                        packet("30", utf8("a/+"), properties(), "68"),
                        disconnect(TOPIC_NAME_INVALID)),
                afterConnect(
                        "MQTT-3.3.2-2",
                        "PUBLISH topic contains '#'",
                        packet("30", utf8("#"), properties(), "68"),
                        disconnect(TOPIC_NAME_INVALID)),
                afterConnect(
                        "§3.3.2.1",
                        "PUBLISH topic empty without a Topic Alias",
                        packet("30", utf8(""), properties(), "68"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-1.5.4-1",
                        "PUBLISH topic is not UTF-8",
                        packet("30", lengthPrefixed("61 2F FF"), properties(), "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-1.5.4-2",
                        "PUBLISH topic contains U+0000",
                        packet("30", lengthPrefixed("61 00"), properties(), "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§1.5.4",
                        "PUBLISH topic contains U+001B: DISCONNECT 0x81",
                        packet("30", lengthPrefixed("61 1B"), properties(), "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§1.5.4",
                        "PUBLISH topic contains U+009F (C2 9F)",
                        packet("30", lengthPrefixed("61 C2 9F"), properties(), "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§1.5.4",
                        "SUBSCRIBE filter contains U+0080 (C2 80)",
                        subscribe(lengthPrefixed("61 C2 80")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§1.5.4",
                        "UNSUBSCRIBE filter contains U+000D (CR)",
                        packet("A2", "00 01", properties(), lengthPrefixed("61 0D")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-2.2.1-3",
                        "PUBLISH QoS 1 with packet identifier 0",
                        packet("32", utf8("a/b"), "00 00", properties(), "68"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-2.2.1-3",
                        "SUBSCRIBE with packet identifier 0",
                        packet("82", "00 00", properties(), utf8("a/b"), "00"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-2.2.1-3",
                        "UNSUBSCRIBE with packet identifier 0",
                        packet("A2", "00 00", properties(), utf8("a/b")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.3.4-6",
                        "PUBLISH from a client with a Subscription Identifier",
                        publish(properties("0B 01")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.3.2-14",
                        "Response Topic contains a wildcard",
                        publish(properties("08 " + utf8("r/#"))),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§2.2.2.2",
                        "PUBLISH with unknown property identifier 0x7F",
                        publish(properties("7F 00")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§2.2.2.2",
                        "PUBLISH with Session Expiry Interval, a CONNECT property",
                        publish(properties("11 00 00 00 0A")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§3.3.2.3.2",
                        "Payload Format Indicator included twice",
                        publish(properties("01 00", "01 00")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.3.2.3.3",
                        "Message Expiry Interval included twice",
                        publish(properties("02 00 00 00 0A", "02 00 00 00 0A")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-1.5.5-1",
                        "PUBLISH property length not minimally encoded (80 00)",
                        packet("30", utf8("a/b"), "80 00", "68"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§2.2.2.1",
                        "PUBLISH property length overruns the packet",
                        packet("30", utf8("a/b"), "0A 01 00"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.3.2-8",
                        "Topic Alias 0",
                        publish(properties("23 00 00")),
                        disconnect(TOPIC_ALIAS_INVALID)),
                afterConnect(
                        "MQTT-3.3.2-9",
                        "Topic Alias above the Topic Alias Maximum we sent",
                        publish(properties(String.format("23 00 %02X", TOPIC_ALIAS_MAX + 1))),
                        disconnect(TOPIC_ALIAS_INVALID)),
                afterConnect(
                        "MQTT-3.3.2-9",
                        "Topic Alias 65535",
                        publish(properties("23 FF FF")),
                        disconnect(TOPIC_ALIAS_INVALID)),
                afterConnect(
                        "§3.3.2.3.4",
                        "empty topic with a Topic Alias never set on this connection",
                        packet("30", utf8(""), properties("23 00 01"), "68"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.3.2-12",
                        "Topic Alias set, then used with an empty topic: both accepted",
                        packet("32", utf8("a/b"), "00 01", properties("23 00 01"), "68") + " "
                                + packet("32", utf8(""), "00 02", properties("23 00 01"), "68"),
                        answeredAndOpen("40 03 00 01 10 40 03 00 02 10")),
                afterConnect(
                        "MQTT-3.3.4-7",
                        "more unacknowledged QoS 2 PUBLISHes than our Receive Maximum",
                        packet("34", utf8("a/b"), "00 01", properties(), "68")
                                + " " + packet("34", utf8("a/b"), "00 02", properties(), "68")
                                + " " + packet("34", utf8("a/b"), "00 03", properties(), "68"),
                        closedAfter("50 03 00 01 10 50 03 00 02 10 E0 01 " + hexOf(RECEIVE_MAXIMUM_EXCEEDED.value()))),
                afterConnect(
                        "MQTT-3.8.3-2",
                        "SUBSCRIBE without topic filters",
                        packet("82", "00 01", properties()),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.8.3-5",
                        "SUBSCRIBE options reserved bit 6 set",
                        packet("82", "00 01", properties(), utf8("a/b"), "40"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.8.3-5",
                        "SUBSCRIBE options reserved bit 7 set",
                        packet("82", "00 01", properties(), utf8("a/b"), "80"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "§3.8.3.1",
                        "SUBSCRIBE Retain Handling 3",
                        packet("82", "00 01", properties(), utf8("a/b"), "30"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.8.3.1",
                        "SUBSCRIBE Maximum QoS 3",
                        packet("82", "00 01", properties(), utf8("a/b"), "03"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.8.3-4",
                        "No Local on a shared subscription",
                        packet("82", "00 01", properties(), utf8("$share/g/a/b"), "04"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.8.2.1.2",
                        "Subscription Identifier 0",
                        packet("82", "00 01", properties("0B 00"), utf8("a/b"), "00"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.8.2.1.2",
                        "Subscription Identifier included twice",
                        packet("82", "00 01", properties("0B 01", "0B 02"), utf8("a/b"), "00"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§2.2.2.2",
                        "SUBSCRIBE with Topic Alias, a PUBLISH property",
                        packet("82", "00 01", properties("23 00 01"), utf8("a/b"), "00"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.8.3-1",
                        "SUBSCRIBE topic filter is not UTF-8",
                        packet("82", "00 01", properties(), lengthPrefixed("61 FF"), "00"),
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.10.3-2",
                        "UNSUBSCRIBE without topic filters",
                        packet("A2", "00 01", properties()),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§4.3.2",
                        "PUBREC for a QoS 1 message we sent: DISCONNECT 0x82, not PUBREL 0x92",
                        SELF_QOS1 + " 50 02 00 01",
                        closedAfter(SELF_QOS1_ANSWER + " E0 01 82")),
                afterConnect(
                        "§4.3.2",
                        "PUBCOMP for a QoS 1 message we sent",
                        SELF_QOS1 + " 70 02 00 01",
                        closedAfter(SELF_QOS1_ANSWER + " E0 01 82")),
                afterConnect(
                        "§4.3.3",
                        "PUBACK for a QoS 2 message awaiting PUBREC",
                        SELF_QOS2 + " 40 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER + " E0 01 82")),
                afterConnect(
                        "§4.3.3",
                        "PUBCOMP for a QoS 2 message awaiting PUBREC",
                        SELF_QOS2 + " 70 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER + " E0 01 82")),
                afterConnect(
                        "§4.3.3",
                        "PUBACK for a QoS 2 message awaiting PUBCOMP",
                        SELF_QOS2 + " 50 02 00 01 40 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER + " 62 02 00 01 E0 01 82")),
                afterConnect(
                        "§4.3.3",
                        "the right acks in order complete the QoS 2 flow",
                        SELF_QOS2 + " 50 02 00 01 70 02 00 01",
                        answeredAndOpen(SELF_QOS2_ANSWER + " 62 02 00 01")),
                afterConnect(
                        "MQTT-4.7.1-1",
                        "SUBSCRIBE filter a/#/b: '#' not last, DISCONNECT 0x82 not SUBACK 0x8F",
                        subscribe(utf8("a/#/b")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.1-1",
                        "SUBSCRIBE filter #a: '#' not alone in its level",
                        subscribe(utf8("#a")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.1-2",
                        "SUBSCRIBE filter a+: '+' not alone in its level",
                        subscribe(utf8("a+")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.3-1", "SUBSCRIBE filter is empty", subscribe(utf8("")), disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.1-1",
                        "SUBSCRIBE a valid filter and a/#/b: nothing granted, DISCONNECT 0x82",
                        packet("82", "00 01", properties(), utf8("a/b"), "00", utf8("a/#/b"), "00"),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.8.2-1",
                        "SUBSCRIBE $share//a: empty ShareName",
                        subscribe(utf8("$share//a")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.8.2-2",
                        "SUBSCRIBE $share/g: no '/' and filter after the ShareName",
                        subscribe(utf8("$share/g")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.8.2-2",
                        "SUBSCRIBE $share/g/: empty filter part",
                        subscribe(utf8("$share/g/")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.3-1",
                        "UNSUBSCRIBE filter is empty: DISCONNECT 0x82, not UNSUBACK 0x8F",
                        packet("A2", "00 01", properties(), utf8("")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.7.1-1",
                        "UNSUBSCRIBE filter a/#/b",
                        packet("A2", "00 01", properties(), utf8("a/#/b")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-4.8.2-2",
                        "UNSUBSCRIBE filter $share/g",
                        packet("A2", "00 01", properties(), utf8("$share/g")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§2.2.2.2",
                        "UNSUBSCRIBE with Subscription Identifier, a SUBSCRIBE property",
                        packet("A2", "00 01", properties("0B 01"), utf8("a/b")),
                        disconnect(MALFORMED_PACKET)),
                afterConnect("§3.12", "PINGREQ with a payload", "C0 01 00", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.4.2-1",
                        "PUBACK with reason code 0x05, not a PUBACK reason",
                        "40 03 00 01 05",
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.6.2-1",
                        "PUBREL with reason code 0x10, not a PUBREL reason",
                        "62 03 00 01 10",
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§4.13",
                        "PUBACK with a trailing byte after its properties",
                        "40 05 00 01 00 00 FF",
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.14.2-1",
                        "DISCONNECT with reason code 0x03, not a DISCONNECT reason",
                        "E0 01 03",
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.14.2.2.2",
                        "DISCONNECT sets Session Expiry after CONNECT had 0",
                        packet("E0", "00", properties("11 00 00 00 0A")),
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.15", "AUTH when CONNECT had no Authentication Method", "F0 00", disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§3.15",
                        "AUTH Continue authentication without Authentication Method",
                        "F0 02 18 00",
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "MQTT-3.15.2-1",
                        "AUTH with reason code 0x01, not an AUTH reason",
                        "F0 02 01 00",
                        disconnect(PROTOCOL_ERROR)),
                afterConnect(
                        "§2.1.4", "remaining length of 5 bytes", "30 FF FF FF FF 01", disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-1.5.5-1",
                        "remaining length not minimally encoded (80 00)",
                        "C0 80 00",
                        disconnect(MALFORMED_PACKET)),
                afterConnect(
                        "MQTT-3.2.2-15",
                        "PUBLISH larger than our Maximum Packet Size: 0x95 before its body",
                        "30 " + Frames.variableByteInteger(PACKET_SIZE_MAX_BYTES),
                        disconnect(PACKET_TOO_LARGE)),
                afterConnect(
                        "§4.13",
                        "PINGREQ answered, then trailing garbage (reserved type 0)",
                        "C0 00 00 00",
                        closedAfter("D0 00 E0 01 81")),
                afterConnect(
                        "§4.13", "PUBLISH cut off mid-body, then the client hangs up", "30 0A 00 03 61", brokerWaits()),
                afterConnect("§4.13", "remaining length cut off, then the client hangs up", "30 80", brokerWaits()));
    }

    private static String hexOf(int value) {
        return String.format("%02X", value);
    }
}
