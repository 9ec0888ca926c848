package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.lengthPrefixed;
import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.utf8;
import static dev.cairn.broker.wire.Outcome.accepted;
import static dev.cairn.broker.wire.Outcome.answeredAndOpen;
import static dev.cairn.broker.wire.Outcome.brokerWaits;
import static dev.cairn.broker.wire.Outcome.closed;
import static dev.cairn.broker.wire.Outcome.closedAfter;
import static dev.cairn.broker.wire.Outcome.connAckV3;
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
 * MQTT 3.1.1 malformed input and protocol violations, as raw bytes through a real socket into
 * the real broker. MQTT 3.1.1 has one answer for all of them: close the connection and send
 * nothing [MQTT-4.8.0-1], except the CONNECT refusals the spec gives a CONNACK return code
 * (0x01 unacceptable protocol version [MQTT-3.1.2-2], 0x02 identifier rejected [MQTT-3.1.3-8]).
 * Each row is tagged with its normative statement id, or its section where the rule has none.
 * After every row a fresh client must still be served.
 *
 * <p>MQTT 3.1 ("MQIsdp", protocol level 3) has its own rows where it differs: in 3.1 every fixed
 * header carries DUP, QoS and RETAIN bits, unused outside PUBLISH, and a client sets DUP on a
 * re-sent PUBREL, SUBSCRIBE or UNSUBSCRIBE; bit 0 of the connect flags is unused, not reserved.
 * The rules that refuse those bits, [MQTT-2.2.2-2] and [MQTT-3.1.2-3], are 3.1.1's, so a 3.1
 * client that sets them is served. What both versions refuse is closed without an answer. The
 * 3.1 specification has no statement ids; its rows cite its sections or the 3.1.1 rule that does
 * not apply.
 */
class Mqtt311MalformedInputIT {
    /** Small, so the packet size rows need only a few bytes of header to exceed it. */
    private static final int PACKET_SIZE_MAX_BYTES = 1024;

    private static final String VALID_CONNECT = connect("02", utf8("w"));
    /**
     * The client subscribes to a/b and publishes to it, so the broker sends it the message as
     * packet id 1: SUBSCRIBE and PUBLISH (id 2) at QoS 1, then the broker's SUBACK, its PUBLISH
     * to the client and the PUBACK of the client's PUBLISH. Any ack after it meets a QoS 1
     * message in flight under id 1.
     */
    private static final String SELF_QOS1 =
            packet("82", "00 01", utf8("a/b"), "01") + " " + packet("32", utf8("a/b"), "00 02", "68");

    private static final String SELF_QOS1_ANSWER =
            "90 03 00 01 01 " + packet("32", utf8("a/b"), "00 01", "68") + " 40 02 00 02";
    /** As {@link #SELF_QOS1} at QoS 2: the broker answers SUBACK, PUBLISH id 1 and PUBREC for id 2. */
    private static final String SELF_QOS2 =
            packet("82", "00 01", utf8("a/b"), "02") + " " + packet("34", utf8("a/b"), "00 02", "68");

    private static final String SELF_QOS2_ANSWER =
            "90 03 00 01 02 " + packet("34", utf8("a/b"), "00 01", "68") + " 50 02 00 02";

    private static final String VALID_CONNECT_31 = connect31("02", utf8("w"));

    private static TestBroker broker;
    private static WireHarness harness;
    private static WireHarness harness31;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("packet_size_max_bytes", Integer.toString(PACKET_SIZE_MAX_BYTES)));
        harness = new WireHarness(broker, ProtocolVersion.MQTT_3_1_1, VALID_CONNECT);
        harness31 = new WireHarness(broker, ProtocolVersion.MQTT_3_1, VALID_CONNECT_31);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("mqtt31Rows")
    void mqtt31IsCheckedByItsOwnRules(WireCase row) throws IOException {
        harness31.run(row);
    }

    /** A 3.1 CONNECT with the given connect flags, keep alive 60 and the payload fields. */
    private static String connect31(String flags, String... payload) {
        return connectAs("MQIsdp", "03", flags, payload);
    }

    /** A 3.1.1 CONNECT with the given connect flags, keep alive 60 and the payload fields. */
    private static String connect(String flags, String... payload) {
        return connectAs("MQTT", "04", flags, payload);
    }

    private static String connectAs(String protocolName, String level, String flags, String... payload) {
        return packet("10", utf8(protocolName), level, flags, "00 3C", String.join(" ", payload));
    }

    static Stream<WireCase> connectRows() {
        return Stream.of(
                first(
                        "MQTT-3.1.0-1",
                        "first packet is PUBLISH, not CONNECT",
                        packet("30", utf8("a/b"), "68 69"),
                        closed()),
                first("MQTT-3.1.0-1", "first packet is PINGREQ", "C0 00", closed()),
                first("MQTT-3.1.0-1", "first packet has reserved type 0", "00 00", closed()),
                first(
                        "MQTT-3.1.2-1",
                        "protocol name MQTX is not MQTT",
                        connectAs("MQTX", "04", "02", utf8("w")),
                        closed()),
                first(
                        "MQTT-3.1.2-1",
                        "protocol name in lower case",
                        connectAs("mqtt", "04", "02", utf8("w")),
                        closed()),
                first(
                        "MQTT-3.1.2-2",
                        "protocol level 3 with name MQTT: CONNACK 0x01",
                        connectAs("MQTT", "03", "02", utf8("w")),
                        connAckV3(0x01)),
                first(
                        "MQTT-3.1.2-2",
                        "protocol level 6: CONNACK 0x01",
                        connectAs("MQTT", "06", "02", utf8("w")),
                        connAckV3(0x01)),
                first(
                        "MQTT-3.1.2-2",
                        "protocol level 0: CONNACK 0x01",
                        connectAs("MQTT", "00", "02", utf8("w")),
                        connAckV3(0x01)),
                first(
                        "MQTT-2.2.2-2",
                        "CONNECT fixed header flags 0001",
                        packet("11", utf8("MQTT"), "04 02 00 3C", utf8("w")),
                        closed()),
                first(
                        "MQTT-2.2.2-2",
                        "CONNECT fixed header flags 1000 (DUP; unused, so allowed, in 3.1 only)",
                        packet("18", utf8("MQTT"), "04 02 00 3C", utf8("w")),
                        closed()),
                first("MQTT-3.1.2-3", "CONNECT reserved flag set", connect("03", utf8("w")), closed()),
                first(
                        "MQTT-3.1.2-11",
                        "will topic and message present without the will flag",
                        connect("02", utf8("w"), utf8("a/b"), utf8("x")),
                        closed()),
                first("MQTT-3.1.2-13", "will QoS 1 without the will flag", connect("0A", utf8("w")), closed()),
                first("MQTT-3.1.2-13", "will QoS 2 without the will flag", connect("12", utf8("w")), closed()),
                first("MQTT-3.1.2-14", "will QoS 3", connect("1E", utf8("w"), utf8("a/b"), utf8("x")), closed()),
                first("MQTT-3.1.2-15", "will retain without the will flag", connect("22", utf8("w")), closed()),
                first("MQTT-3.1.2-22", "password without user name", connect("42", utf8("w"), utf8("pw")), closed()),
                first("MQTT-3.1.2-19", "user name flag set but user name missing", connect("82", utf8("w")), closed()),
                first(
                        "MQTT-3.1.2-21",
                        "password flag set but password missing",
                        connect("C2", utf8("w"), utf8("u")),
                        closed()),
                first("MQTT-3.1.3-3", "client identifier missing", connect("02"), closed()),
                first(
                        "MQTT-3.1.3-8",
                        "empty client id with clean session 0: CONNACK 0x02",
                        connect("00", utf8("")),
                        connAckV3(0x02)),
                first(
                        "MQTT-3.1.3-9",
                        "client id longer than client_id_length_max: CONNACK 0x02",
                        connect("02", utf8("c".repeat(300))),
                        connAckV3(0x02)),
                first(
                        "MQTT-1.5.3-1",
                        "client id is not UTF-8 (C3 28)",
                        connect("02", lengthPrefixed("C3 28")),
                        closed()),
                first(
                        "MQTT-1.5.3-1",
                        "client id has an encoded surrogate U+D800",
                        connect("02", lengthPrefixed("61 ED A0 80")),
                        closed()),
                first(
                        "MQTT-1.5.3-1",
                        "client id has an overlong encoding of '/'",
                        connect("02", lengthPrefixed("61 C0 AF")),
                        closed()),
                first("MQTT-1.5.3-2", "client id contains U+0000", connect("02", lengthPrefixed("61 00 62")), closed()),
                first(
                        "§1.5.3",
                        "client id contains the control character U+0001",
                        connect("02", lengthPrefixed("61 01 62")),
                        closed()),
                first("§1.5.3", "client id contains U+001F", connect("02", lengthPrefixed("61 1F")), closed()),
                first("§1.5.3", "client id contains U+007F (DEL)", connect("02", lengthPrefixed("61 7F")), closed()),
                first(
                        "§1.5.3",
                        "client id contains U+0080 (C2 80)",
                        connect("02", lengthPrefixed("61 C2 80")),
                        closed()),
                first(
                        "§1.5.3",
                        "client id contains U+009F (C2 9F)",
                        connect("02", lengthPrefixed("61 C2 9F")),
                        closed()),
                first(
                        "§1.5.3",
                        "client id with U+0020 and U+00A0, no control characters, is accepted",
                        connect("02", lengthPrefixed("61 20 C2 A0")),
                        accepted()),
                first(
                        "§1.5.3",
                        "user name contains U+001B (ESC)",
                        connect("82", utf8("w"), lengthPrefixed("75 1B")),
                        closed()),
                first(
                        "§1.5.3",
                        "will topic contains U+0009 (TAB)",
                        connect("06", utf8("w"), lengthPrefixed("61 09"), utf8("x")),
                        closed()),
                first(
                        "MQTT-1.5.3-1",
                        "user name is not UTF-8",
                        connect("82", utf8("w"), lengthPrefixed("FF FE")),
                        closed()),
                first(
                        "MQTT-1.5.3-1",
                        "will topic is not UTF-8",
                        connect("06", utf8("w"), lengthPrefixed("61 FF"), utf8("x")),
                        closed()),
                first("MQTT-4.7.3-1", "will topic is empty", connect("06", utf8("w"), utf8(""), utf8("x")), closed()),
                first(
                        "MQTT-3.3.2-2",
                        "will topic contains a wildcard",
                        connect("06", utf8("w"), utf8("a/#"), utf8("x")),
                        closed()),
                first("§2.2.3", "CONNECT remaining length of 5 bytes", "10 FF FF FF FF 01", closed()),
                first(
                        "§2.2.3",
                        "CONNECT remaining length not minimally encoded (8D 00)",
                        "10 8D 00" + VALID_CONNECT.substring(5),
                        closed()),
                first(
                        "§2.2.3",
                        "CONNECT larger than packet_size_max_bytes, refused before its body",
                        "10 " + Frames.variableByteInteger(PACKET_SIZE_MAX_BYTES),
                        closed()),
                first("§4.8", "trailing bytes after the CONNECT payload", connect("02", utf8("w"), "00"), closed()),
                first(
                        "§4.8",
                        "CONNECT cut off mid-packet, then the client hangs up",
                        VALID_CONNECT.substring(0, 20),
                        brokerWaits()),
                first("§4.8", "CONNECT remaining length cut off, then the client hangs up", "10 FF", brokerWaits()));
    }

    static Stream<WireCase> afterConnectRows() {
        return Stream.of(
                afterConnect("MQTT-3.1.0-2", "second CONNECT", VALID_CONNECT, closed()),
                afterConnect("§2.2.1", "reserved packet type 0", "00 00", closed()),
                afterConnect("§2.2.1", "reserved packet type 15 (AUTH does not exist in 3.1.1)", "F0 00", closed()),
                afterConnect("MQTT-2.2.2-2", "PUBACK fixed header flags 0010", "42 02 00 01", closed()),
                afterConnect("MQTT-2.2.2-2", "PUBREC fixed header flags 0001", "51 02 00 01", closed()),
                afterConnect("MQTT-3.6.1-1", "PUBREL fixed header flags 0000", "60 02 00 01", closed()),
                afterConnect("MQTT-2.2.2-2", "PUBCOMP fixed header flags 0010", "72 02 00 01", closed()),
                afterConnect(
                        "MQTT-3.8.1-1",
                        "SUBSCRIBE fixed header flags 0000",
                        packet("80", "00 01", utf8("a/b"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-3.8.1-1",
                        "SUBSCRIBE with DUP set (1010; a re-send in 3.1, refused in 3.1.1)",
                        packet("8A", "00 01", utf8("a/b"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-3.6.1-1",
                        "PUBREL with DUP set (1010; a re-send in 3.1, refused in 3.1.1)",
                        "6A 02 00 01",
                        closed()),
                afterConnect(
                        "MQTT-3.10.1-1",
                        "UNSUBSCRIBE with DUP set (1010; a re-send in 3.1, refused in 3.1.1)",
                        packet("AA", "00 01", utf8("a/b")),
                        closed()),
                afterConnect(
                        "MQTT-3.10.1-1",
                        "UNSUBSCRIBE fixed header flags 0000",
                        packet("A0", "00 01", utf8("a/b")),
                        closed()),
                afterConnect("MQTT-2.2.2-2", "PINGREQ fixed header flags 0001", "C1 00", closed()),
                afterConnect("MQTT-3.14.1-1", "DISCONNECT fixed header flags 0001", "E1 00", closed()),
                afterConnect("MQTT-4.8.0-1", "CONNACK sent by a client", "20 02 00 00", closed()),
                afterConnect("MQTT-4.8.0-1", "SUBACK sent by a client", "90 03 00 01 00", closed()),
                afterConnect("MQTT-4.8.0-1", "UNSUBACK sent by a client", "B0 02 00 01", closed()),
                afterConnect("MQTT-4.8.0-1", "PINGRESP sent by a client", "D0 00", closed()),
                afterConnect("MQTT-3.3.1-4", "PUBLISH with QoS 3", packet("36", utf8("a/b"), "00 01 68 69"), closed()),
                afterConnect(
                        "MQTT-3.3.1-2", "PUBLISH QoS 0 with DUP set", packet("38", utf8("a/b"), "68 69"), closed()),
                afterConnect(
                        "MQTT-3.3.2-2", "PUBLISH topic contains '+'", packet("30", utf8("a/+"), "68 69"), closed()),
                afterConnect(
                        "MQTT-3.3.2-2", "PUBLISH topic contains '#'", packet("30", utf8("a/#"), "68 69"), closed()),
                afterConnect("MQTT-4.7.3-1", "PUBLISH topic is empty", packet("30", utf8(""), "68 69"), closed()),
                afterConnect(
                        "MQTT-1.5.3-1",
                        "PUBLISH topic is not UTF-8",
                        packet("30", lengthPrefixed("61 2F FF"), "68"),
                        closed()),
                afterConnect(
                        "MQTT-1.5.3-1",
                        "PUBLISH topic has an encoded surrogate",
                        packet("30", lengthPrefixed("61 2F ED B0 80"), "68"),
                        closed()),
                afterConnect(
                        "MQTT-1.5.3-2",
                        "PUBLISH topic contains U+0000",
                        packet("30", lengthPrefixed("61 00 62"), "68"),
                        closed()),
                afterConnect(
                        "§1.5.3",
                        "PUBLISH topic contains U+000A (LF)",
                        packet("30", lengthPrefixed("61 0A 62"), "68"),
                        closed()),
                afterConnect(
                        "§1.5.3",
                        "PUBLISH topic contains U+0085 (C2 85)",
                        packet("30", lengthPrefixed("61 C2 85"), "68"),
                        closed()),
                afterConnect(
                        "§1.5.3",
                        "PUBLISH topic with U+0020 and U+00A0, no control characters, is accepted",
                        packet("32", lengthPrefixed("61 20 C2 A0"), "00 01", "68"),
                        answeredAndOpen("40 02 00 01")),
                afterConnect(
                        "§1.5.3",
                        "SUBSCRIBE filter contains U+007F",
                        packet("82", "00 01", lengthPrefixed("61 7F"), "00"),
                        closed()),
                afterConnect(
                        "§1.5.3",
                        "UNSUBSCRIBE filter contains U+0001",
                        packet("A2", "00 01", lengthPrefixed("61 01")),
                        closed()),
                afterConnect(
                        "MQTT-2.3.1-1",
                        "PUBLISH QoS 1 with packet identifier 0",
                        packet("32", utf8("a/b"), "00 00 68"),
                        closed()),
                afterConnect(
                        "MQTT-2.3.1-1",
                        "PUBLISH QoS 2 with packet identifier 0",
                        packet("34", utf8("a/b"), "00 00 68"),
                        closed()),
                afterConnect(
                        "MQTT-2.3.1-1",
                        "SUBSCRIBE with packet identifier 0",
                        packet("82", "00 00", utf8("a/b"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-2.3.1-1",
                        "UNSUBSCRIBE with packet identifier 0",
                        packet("A2", "00 00", utf8("a/b")),
                        closed()),
                afterConnect(
                        "§4.8",
                        "PUBLISH QoS 1 too short for its packet identifier",
                        packet("32", utf8("a/b"), "00"),
                        closed()),
                afterConnect("MQTT-3.8.3-3", "SUBSCRIBE without topic filters", packet("82", "00 01"), closed()),
                afterConnect(
                        "MQTT-3-8.3-4",
                        "SUBSCRIBE requested QoS 3",
                        packet("82", "00 01", utf8("a/b"), "03"),
                        closed()),
                afterConnect(
                        "MQTT-3-8.3-4",
                        "SUBSCRIBE QoS byte with bit 2 set (No Local is 5.0 only)",
                        packet("82", "00 01", utf8("a/b"), "04"),
                        closed()),
                afterConnect(
                        "MQTT-3-8.3-4",
                        "SUBSCRIBE QoS byte with bit 7 set",
                        packet("82", "00 01", utf8("a/b"), "81"),
                        closed()),
                afterConnect(
                        "MQTT-3.8.3-1",
                        "SUBSCRIBE topic filter is not UTF-8",
                        packet("82", "00 01", lengthPrefixed("61 FF"), "00"),
                        closed()),
                afterConnect(
                        "§4.8", "SUBSCRIBE filter without its QoS byte", packet("82", "00 01", utf8("a/b")), closed()),
                afterConnect(
                        "MQTT-4.7.1-2",
                        "SUBSCRIBE filter a/#/b: '#' not the last level, close without SUBACK",
                        packet("82", "00 01", utf8("a/#/b"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.7.1-2",
                        "SUBSCRIBE filter #a: '#' not alone in its level",
                        packet("82", "00 01", utf8("#a"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.7.1-3",
                        "SUBSCRIBE filter a+: '+' not alone in its level",
                        packet("82", "00 01", utf8("a+"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.7.3-1", "SUBSCRIBE filter is empty", packet("82", "00 01", utf8(""), "00"), closed()),
                afterConnect(
                        "MQTT-4.7.1-2",
                        "SUBSCRIBE a valid filter and a/#/b: nothing granted, close",
                        packet("82", "00 01", utf8("a/b"), "00", utf8("a/#/b"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.8.2-2",
                        "SUBSCRIBE $share/g without a filter part (5.0's shared subscriptions,"
                                + " offered to 3.1.1 too)",
                        packet("82", "00 01", utf8("$share/g"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.8.2-2",
                        "SUBSCRIBE $share/g/ with an empty filter part",
                        packet("82", "00 01", utf8("$share/g/"), "00"),
                        closed()),
                afterConnect(
                        "MQTT-4.7.3-1",
                        "UNSUBSCRIBE filter is empty, close without UNSUBACK",
                        packet("A2", "00 01", utf8("")),
                        closed()),
                afterConnect(
                        "MQTT-4.7.1-2", "UNSUBSCRIBE filter a/#/b", packet("A2", "00 01", utf8("a/#/b")), closed()),
                afterConnect("MQTT-4.7.1-3", "UNSUBSCRIBE filter a+", packet("A2", "00 01", utf8("a+")), closed()),
                afterConnect("MQTT-3.10.3-2", "UNSUBSCRIBE without topic filters", packet("A2", "00 01"), closed()),
                afterConnect(
                        "§4.3.2",
                        "PUBREC for a QoS 1 message we sent",
                        SELF_QOS1 + " 50 02 00 01",
                        closedAfter(SELF_QOS1_ANSWER)),
                afterConnect(
                        "§4.3.2",
                        "PUBCOMP for a QoS 1 message we sent",
                        SELF_QOS1 + " 70 02 00 01",
                        closedAfter(SELF_QOS1_ANSWER)),
                afterConnect(
                        "§4.3.3",
                        "PUBACK for a QoS 2 message awaiting PUBREC",
                        SELF_QOS2 + " 40 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER)),
                afterConnect(
                        "§4.3.3",
                        "PUBCOMP for a QoS 2 message awaiting PUBREC",
                        SELF_QOS2 + " 70 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER)),
                afterConnect(
                        "§4.3.3",
                        "PUBACK for a QoS 2 message awaiting PUBCOMP",
                        SELF_QOS2 + " 50 02 00 01 40 02 00 01",
                        closedAfter(SELF_QOS2_ANSWER + " 62 02 00 01")),
                afterConnect(
                        "§4.3.3",
                        "the right acks in order complete both flows",
                        SELF_QOS1 + " 40 02 00 01",
                        answeredAndOpen(SELF_QOS1_ANSWER)),
                afterConnect(
                        "MQTT-3.10.3-1",
                        "UNSUBSCRIBE topic filter contains U+0000",
                        packet("A2", "00 01", lengthPrefixed("61 00")),
                        closed()),
                afterConnect("§3.12", "PINGREQ with a payload", "C0 01 00", closed()),
                afterConnect("§3.14", "DISCONNECT with a payload", "E0 01 00", closed()),
                afterConnect("§3.4", "PUBACK with a trailing byte (a 5.0 reason code)", "40 03 00 01 00", closed()),
                afterConnect("§3.6", "PUBREL with two trailing bytes", "62 04 00 01 00 00", closed()),
                afterConnect("§2.2.3", "remaining length of 5 bytes", "30 FF FF FF FF 01", closed()),
                afterConnect("§2.2.3", "remaining length not minimally encoded (80 00)", "C0 80 00", closed()),
                afterConnect(
                        "§2.2.3",
                        "PUBLISH larger than packet_size_max_bytes, refused before its body",
                        "30 " + Frames.variableByteInteger(PACKET_SIZE_MAX_BYTES),
                        closed()),
                afterConnect(
                        "§4.8",
                        "PINGREQ answered, then trailing garbage (reserved type 0)",
                        "C0 00 00 00",
                        closedAfter("D0 00")),
                afterConnect(
                        "§4.8",
                        "a valid PUBLISH then a PINGREQ in one write",
                        packet("30", utf8("a/b"), "68") + " C0 00",
                        answeredAndOpen("D0 00")),
                afterConnect(
                        "§4.8", "PUBLISH cut off mid-body, then the client hangs up", "30 0A 00 03 61", brokerWaits()),
                afterConnect("§4.8", "remaining length cut off, then the client hangs up", "30 FF FF", brokerWaits()));
    }

    static Stream<WireCase> mqtt31Rows() {
        return Stream.of(
                first(
                        "not MQTT-2.2.2-2",
                        "CONNECT fixed header flags 0001 (QoS 0, RETAIN) are unused in 3.1",
                        packet("11", utf8("MQIsdp"), "03 02 00 3C", utf8("w")),
                        accepted()),
                first(
                        "not MQTT-2.2.2-2",
                        "CONNECT fixed header flags 1000 (DUP) are unused in 3.1",
                        packet("18", utf8("MQIsdp"), "03 02 00 3C", utf8("w")),
                        accepted()),
                first(
                        "not MQTT-3.1.2-3",
                        "CONNECT flag bit 0 is unused in 3.1, not reserved",
                        connect31("03", utf8("w")),
                        accepted()),
                first("MQTT-3.1.0-1", "first packet is PINGREQ", "C0 00", closed()),
                first(
                        "3.1.1 §1.5.3",
                        "client id contains the control character U+0001, as in 3.1.1",
                        connect31("02", lengthPrefixed("61 01")),
                        closed()),
                afterConnect(
                        "not MQTT-3.6.1-1",
                        "PUBREL with DUP set (1010): a re-sent PUBREL, answered",
                        "6A 02 00 09",
                        answeredAndOpen("70 02 00 09")),
                afterConnect(
                        "not MQTT-3.8.1-1",
                        "SUBSCRIBE with DUP set (1010): a re-sent SUBSCRIBE, answered",
                        packet("8A", "00 01", utf8("a/b"), "00"),
                        answeredAndOpen("90 03 00 01 00")),
                afterConnect(
                        "not MQTT-3.10.1-1",
                        "UNSUBSCRIBE with DUP set (1010): a re-sent UNSUBSCRIBE, answered",
                        packet("AA", "00 01", utf8("a/b")),
                        answeredAndOpen("B0 02 00 01")),
                afterConnect(
                        "not MQTT-2.2.2-2",
                        "PINGREQ with flag bits 0001, unused in 3.1",
                        "C1 00",
                        answeredAndOpen("D0 00")),
                afterConnect(
                        "§3.3",
                        "PUBLISH with QoS 3 is refused in 3.1 too",
                        packet("36", utf8("a/b"), "00 01 68"),
                        closed()),
                afterConnect(
                        "3.1.1 §1.5.3",
                        "PUBLISH topic contains U+001F, as in 3.1.1",
                        packet("30", lengthPrefixed("61 1F"), "68"),
                        closed()),
                afterConnect("MQTT-3.1.0-2", "second CONNECT", VALID_CONNECT_31, closed()));
    }
}
