package dev.cairn.broker.codec;

import static dev.cairn.broker.codec.ReasonCode.MALFORMED_PACKET;
import static dev.cairn.broker.codec.ReasonCode.PROTOCOL_ERROR;
import static dev.cairn.broker.codec.ReasonCode.TOPIC_ALIAS_INVALID;
import static dev.cairn.broker.codec.ReasonCode.TOPIC_NAME_INVALID;
import static dev.cairn.broker.codec.ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
import static dev.cairn.broker.codec.Role.CLIENT;
import static dev.cairn.broker.codec.Role.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every rule a single packet can break is caught, with the reason code the MQTT 5.0 spec
 * names for it (for 3.x the broker just closes, so there it only matters for the log). Method: a
 * table of whole packets as hex, one violation each, tagged with the spec statement id (or the
 * section where the spec states the rule without an id). Each row's remaining length is checked
 * against its bytes, so a row cannot pass by being mistyped.
 */
class MalformedPacketTest {
    private static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    /** Passed for CONNECT rows: the decoder reads the version from the packet. */
    private static final ProtocolVersion FROM_CONNECT = null;

    /** A valid 3.1.1 CONNECT after the fixed header: clean session, keep alive 60, client id "abc". */
    private static final String V3_CONNECT_BODY = "00 04 4D 51 54 54 04 02 00 3C 00 03 61 62 63";

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsWithTheReasonTheSpecNames(
            String name, ProtocolVersion version, Role role, String hex, ReasonCode expected) {
        Object result = Wire.decode(role, Wire.hex(hex), version);

        DecodeError error = assertInstanceOf(DecodeError.class, result, () -> "decoded as " + Wire.describe(result));
        assertEquals(expected, error.reason(), error.message());
        // The right rule fired, not another one that happens to share the reason code.
        String statementId = name.substring(0, name.indexOf(']') + 1);
        if (statementId.startsWith("[MQTT-")) {
            assertTrue(error.message().contains(statementId), () -> "message '" + error.message() + "'");
        }
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                        fixedHeader(),
                        publish(),
                        strings(),
                        connect(),
                        connectProperties(),
                        otherProperties(),
                        subscriptions(),
                        lengthsAndTrailingBytes(),
                        reasonCodes(),
                        roles())
                .flatMap(List::stream);
    }

    private static List<Arguments> fixedHeader() {
        return List.of(
                row("[table 2-1] packet type 0 is reserved", V3, SERVER, "00 00", MALFORMED_PACKET),
                row("[3.1.1 table 2.1] AUTH is reserved in 3.1.1", V3, SERVER, "F0 00", MALFORMED_PACKET),
                row(
                        "[MQTT-2.1.3-1] CONNECT flags 0001",
                        FROM_CONNECT,
                        SERVER,
                        "11 0F " + V3_CONNECT_BODY,
                        MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PUBACK flags 0001", V3, SERVER, "41 02 00 01", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PUBREC flags 1000", V5, SERVER, "58 02 00 01", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PUBREL flags 0000", V5, SERVER, "60 02 00 01", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PUBCOMP flags 0010", V3, SERVER, "72 02 00 01", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] SUBSCRIBE flags 0000", V3, SERVER, "80 06 00 01 00 01 61 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] UNSUBSCRIBE flags 0011", V3, SERVER, "A3 05 00 01 00 01 61", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] CONNACK flags 0100", V3, CLIENT, "24 02 00 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] SUBACK flags 0010", V3, CLIENT, "92 03 00 01 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] UNSUBACK flags 0001", V3, CLIENT, "B1 02 00 01", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PINGREQ flags 0001", V3, SERVER, "C1 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] PINGRESP flags 1000", V3, CLIENT, "D8 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] DISCONNECT flags 0010", V5, SERVER, "E2 00", MALFORMED_PACKET),
                row("[MQTT-2.1.3-1] AUTH flags 0001", V5, SERVER, "F1 00", MALFORMED_PACKET));
    }

    private static List<Arguments> publish() {
        return List.of(
                row("[MQTT-3.3.1-4] PUBLISH QoS 3", V3, SERVER, "36 05 00 01 61 00 01", MALFORMED_PACKET),
                row("[MQTT-3.3.1-2] PUBLISH DUP with QoS 0", V3, SERVER, "38 03 00 01 61", PROTOCOL_ERROR),
                row(
                        "[MQTT-2.2.1-3] PUBLISH QoS 1 with packet id 0",
                        V3,
                        SERVER,
                        "32 05 00 01 61 00 00",
                        PROTOCOL_ERROR),
                row("[MQTT-3.3.2-2] PUBLISH topic with +", V3, SERVER, "30 05 00 03 61 2F 2B", TOPIC_NAME_INVALID),
                row("[MQTT-3.3.2-2] PUBLISH topic with #", V5, SERVER, "30 06 00 03 61 2F 23 00", TOPIC_NAME_INVALID),
                row("[MQTT-4.7.3-1] 3.1.1 PUBLISH with empty topic", V3, SERVER, "30 02 00 00", TOPIC_NAME_INVALID),
                row(
                        "[3.3.2.3.4] 5.0 PUBLISH empty topic without topic alias",
                        V5,
                        SERVER,
                        "30 03 00 00 00",
                        PROTOCOL_ERROR),
                row(
                        "[MQTT-3.3.4-6] PUBLISH from client with subscription identifier",
                        V5,
                        SERVER,
                        "30 07 00 01 61 02 0B 01 70",
                        PROTOCOL_ERROR),
                row(
                        "[3.3.2.3.4] PUBLISH topic alias 0",
                        V5,
                        SERVER,
                        "30 08 00 01 61 03 23 00 00 70",
                        TOPIC_ALIAS_INVALID),
                row(
                        "[3.3.2.3.2] PUBLISH payload format indicator 2",
                        V5,
                        SERVER,
                        "30 07 00 01 61 02 01 02 70",
                        PROTOCOL_ERROR),
                row(
                        "[MQTT-3.3.2-14] PUBLISH response topic with wildcard",
                        V5,
                        SERVER,
                        "30 09 00 01 61 04 08 00 01 23 70",
                        PROTOCOL_ERROR),
                row(
                        "[3.8.2.1.2] PUBLISH to client with subscription identifier 0",
                        V5,
                        CLIENT,
                        "30 07 00 01 61 02 0B 00 70",
                        PROTOCOL_ERROR),
                row(
                        "[MQTT-1.5.5-1] subscription identifier not minimally encoded",
                        V5,
                        CLIENT,
                        "30 08 00 01 61 03 0B 81 00 70",
                        MALFORMED_PACKET),
                row(
                        "[1.5.5] subscription identifier longer than 4 bytes",
                        V5,
                        CLIENT,
                        "30 09 00 01 61 05 0B 81 81 81 81",
                        MALFORMED_PACKET));
    }

    private static List<Arguments> strings() {
        return List.of(
                row(
                        "[MQTT-1.5.4-1] topic with a lone continuation byte",
                        V3,
                        SERVER,
                        "30 03 00 01 80",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] topic with overlong encoding of /",
                        V3,
                        SERVER,
                        "30 04 00 02 C0 AF",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] topic with UTF-8 encoded surrogate U+D800",
                        V3,
                        SERVER,
                        "30 05 00 03 ED A0 80",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] topic with truncated 3-byte sequence",
                        V3,
                        SERVER,
                        "30 04 00 02 E2 82",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] topic with code point above U+10FFFF",
                        V3,
                        SERVER,
                        "30 06 00 04 F4 90 80 80",
                        MALFORMED_PACKET),
                row("[MQTT-1.5.4-2] topic containing U+0000", V3, SERVER, "30 05 00 03 61 00 62", MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-2] client identifier containing U+0000",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 61 00 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] user property value not UTF-8",
                        V5,
                        SERVER,
                        "30 0C 00 01 61 07 26 00 01 6B 00 01 FF 70",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.4-1] UNSUBSCRIBE filter not UTF-8",
                        V3,
                        SERVER,
                        "A2 05 00 01 00 01 C3",
                        MALFORMED_PACKET),
                row("[1.5.4] string length overruns the packet", V3, SERVER, "30 04 00 05 61 62", MALFORMED_PACKET));
    }

    private static List<Arguments> connect() {
        return List.of(
                row(
                        "[MQTT-3.1.2-2] CONNECT MQTT level 6",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 54 06 02 00 3C 00 03 61 62 63",
                        UNSUPPORTED_PROTOCOL_VERSION),
                row(
                        "[MQTT-3.1.2-2] CONNECT MQIsdp level 4",
                        FROM_CONNECT,
                        SERVER,
                        "10 11 00 06 4D 51 49 73 64 70 04 02 00 3C 00 03 61 62 63",
                        UNSUPPORTED_PROTOCOL_VERSION),
                row(
                        "[MQTT-3.1.2-1] CONNECT unknown protocol name",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 58 04 02 00 3C 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.2-3] CONNECT reserved flag set",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 54 04 03 00 3C 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.2-13] CONNECT will QoS 1 without will flag",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 54 04 0A 00 3C 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.2-15] CONNECT will retain without will flag",
                        FROM_CONNECT,
                        SERVER,
                        "10 0F 00 04 4D 51 54 54 04 22 00 3C 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.2-14] CONNECT will QoS 3",
                        FROM_CONNECT,
                        SERVER,
                        "10 15 00 04 4D 51 54 54 04 1E 00 3C 00 03 61 62 63 00 01 74 00 01 70",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.2-22] 3.1.1 CONNECT password without user name",
                        FROM_CONNECT,
                        SERVER,
                        "10 12 00 04 4D 51 54 54 04 42 00 3C 00 03 61 62 63 00 01 70",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.1.3-11] CONNECT will topic with wildcard",
                        FROM_CONNECT,
                        SERVER,
                        "10 17 00 04 4D 51 54 54 04 06 00 3C 00 03 61 62 63 00 03 74 2F 23 00 01 70",
                        TOPIC_NAME_INVALID),
                row(
                        "[3.1.3] CONNECT missing the password it flags",
                        FROM_CONNECT,
                        SERVER,
                        "10 12 00 04 4D 51 54 54 04 C2 00 3C 00 03 61 62 63 00 01 75",
                        MALFORMED_PACKET),
                row(
                        "[3.1.2] CONNECT truncated before keep alive",
                        FROM_CONNECT,
                        SERVER,
                        "10 08 00 04 4D 51 54 54 04 02",
                        MALFORMED_PACKET));
    }

    /** 5.0 CONNECT with a property list; the body without properties is 16 bytes. */
    private static String v5Connect(String properties) {
        byte[] props = Wire.hex(properties);
        return String.format(
                "10 %02X 00 04 4D 51 54 54 05 02 00 3C %02X %s 00 03 61 62 63",
                16 + props.length, props.length, properties);
    }

    /** 5.0 CONNECT with will flag, empty CONNECT properties, and the given will properties. */
    private static String v5ConnectWithWill(String willProperties) {
        byte[] props = Wire.hex(willProperties);
        return String.format(
                "10 %02X 00 04 4D 51 54 54 05 06 00 3C 00 00 03 61 62 63 %02X %s 00 01 74 00 01 70",
                23 + props.length, props.length, willProperties);
    }

    private static List<Arguments> connectProperties() {
        return List.of(
                row(
                        "[2.2.2.2] unknown property identifier 0x7F",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("7F"),
                        MALFORMED_PACKET),
                row(
                        "[2.2.2.2] Topic Alias is not allowed in CONNECT",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("23 00 01"),
                        MALFORMED_PACKET),
                row(
                        "[2.2.2.2] Will Delay Interval outside the will properties",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("18 00 00 00 01"),
                        MALFORMED_PACKET),
                row(
                        "[3.1.2.11.2] Session Expiry Interval twice",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("11 00 00 00 0A 11 00 00 00 0A"),
                        PROTOCOL_ERROR),
                row("[3.1.2.11.3] Receive Maximum 0", FROM_CONNECT, SERVER, v5Connect("21 00 00"), PROTOCOL_ERROR),
                row(
                        "[3.1.2.11.4] Maximum Packet Size 0",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("27 00 00 00 00"),
                        PROTOCOL_ERROR),
                row(
                        "[3.1.2.11.6] Request Response Information 2",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("19 02"),
                        PROTOCOL_ERROR),
                row(
                        "[3.1.2.11.7] Request Problem Information 2",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("17 02"),
                        PROTOCOL_ERROR),
                row(
                        "[3.1.2.11.10] Authentication Data without Authentication Method",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("16 00 01 AA"),
                        PROTOCOL_ERROR),
                row(
                        "[3.1.2.11.9] Authentication Method twice",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("15 00 01 61 15 00 01 62"),
                        PROTOCOL_ERROR),
                row(
                        "[2.2.2.1] property value truncated by the property length",
                        FROM_CONNECT,
                        SERVER,
                        v5Connect("11 00 00"),
                        MALFORMED_PACKET),
                row(
                        "[2.2.2.1] property length overruns the packet",
                        FROM_CONNECT,
                        SERVER,
                        "10 10 00 04 4D 51 54 54 05 02 00 3C 20 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-1.5.5-1] property length not minimally encoded",
                        FROM_CONNECT,
                        SERVER,
                        "10 11 00 04 4D 51 54 54 05 02 00 3C 80 00 00 03 61 62 63",
                        MALFORMED_PACKET),
                row(
                        "[3.1.3.2] Session Expiry Interval in will properties",
                        FROM_CONNECT,
                        SERVER,
                        v5ConnectWithWill("11 00 00 00 01"),
                        MALFORMED_PACKET),
                row(
                        "[3.1.3.2.3] will Payload Format Indicator 2",
                        FROM_CONNECT,
                        SERVER,
                        v5ConnectWithWill("01 02"),
                        PROTOCOL_ERROR),
                row(
                        "[3.1.3.2.2] will Will Delay Interval twice",
                        FROM_CONNECT,
                        SERVER,
                        v5ConnectWithWill("18 00 00 00 01 18 00 00 00 02"),
                        PROTOCOL_ERROR));
    }

    private static List<Arguments> otherProperties() {
        return List.of(
                row(
                        "[2.2.2.2] Reason String is not allowed in PUBLISH",
                        V5,
                        SERVER,
                        "30 08 00 01 61 03 1F 00 00 70",
                        MALFORMED_PACKET),
                row(
                        "[3.3.2.3.5] PUBLISH Content Type twice",
                        V5,
                        SERVER,
                        "30 0D 00 01 61 08 03 00 01 78 03 00 01 78 70",
                        PROTOCOL_ERROR),
                row("[3.2.2.3.2] CONNACK Receive Maximum 0", V5, CLIENT, "20 06 00 00 03 21 00 00", PROTOCOL_ERROR),
                row("[3.2.2.3.4] CONNACK Maximum QoS 2", V5, CLIENT, "20 05 00 00 02 24 02", PROTOCOL_ERROR),
                row("[3.2.2.3.5] CONNACK Retain Available 2", V5, CLIENT, "20 05 00 00 02 25 02", PROTOCOL_ERROR),
                row(
                        "[3.2.2.3.11] CONNACK Wildcard Subscription Available 2",
                        V5,
                        CLIENT,
                        "20 05 00 00 02 28 02",
                        PROTOCOL_ERROR),
                row(
                        "[3.2.2.3.12] CONNACK Subscription Identifiers Available 2",
                        V5,
                        CLIENT,
                        "20 05 00 00 02 29 02",
                        PROTOCOL_ERROR),
                row(
                        "[3.2.2.3.13] CONNACK Shared Subscription Available 2",
                        V5,
                        CLIENT,
                        "20 05 00 00 02 2A 02",
                        PROTOCOL_ERROR),
                row(
                        "[3.2.2.3.6] CONNACK Maximum Packet Size 0",
                        V5,
                        CLIENT,
                        "20 08 00 00 05 27 00 00 00 00",
                        PROTOCOL_ERROR),
                row(
                        "[2.2.2.2] Session Expiry Interval is not allowed in PUBACK",
                        V5,
                        SERVER,
                        "40 09 00 01 00 05 11 00 00 00 01",
                        MALFORMED_PACKET),
                row(
                        "[3.4.2.2.2] PUBACK Reason String twice",
                        V5,
                        SERVER,
                        "40 0C 00 01 00 08 1F 00 01 61 1F 00 01 62",
                        PROTOCOL_ERROR),
                row(
                        "[MQTT-3.14.2-2] DISCONNECT from server with Session Expiry Interval",
                        V5,
                        CLIENT,
                        "E0 07 00 05 11 00 00 00 01",
                        PROTOCOL_ERROR),
                row(
                        "[2.2.2.2] Authentication Method is not allowed in DISCONNECT",
                        V5,
                        SERVER,
                        "E0 06 00 04 15 00 01 61",
                        MALFORMED_PACKET));
    }

    private static List<Arguments> subscriptions() {
        return List.of(
                row("[MQTT-3.8.3-3] 3.1.1 SUBSCRIBE without topic filters", V3, SERVER, "82 02 00 01", PROTOCOL_ERROR),
                row("[MQTT-3.8.3-2] 5.0 SUBSCRIBE without topic filters", V5, SERVER, "82 03 00 01 00", PROTOCOL_ERROR),
                row("[MQTT-2.2.1-3] SUBSCRIBE with packet id 0", V3, SERVER, "82 06 00 00 00 01 61 00", PROTOCOL_ERROR),
                row(
                        "[MQTT-3.8.3-5] SUBSCRIBE reserved option bits set",
                        V5,
                        SERVER,
                        "82 07 00 01 00 00 01 61 40",
                        MALFORMED_PACKET),
                row("[3.8.3.1] SUBSCRIBE retain handling 3", V5, SERVER, "82 07 00 01 00 00 01 61 30", PROTOCOL_ERROR),
                row("[3.8.3.1] SUBSCRIBE maximum QoS 3", V5, SERVER, "82 07 00 01 00 00 01 61 03", PROTOCOL_ERROR),
                row(
                        "[MQTT-3-8.3-4] 3.1.1 SUBSCRIBE requested QoS with upper bits set",
                        V3,
                        SERVER,
                        "82 06 00 01 00 01 61 04",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3-8.3-4] 3.1.1 SUBSCRIBE requested QoS 3",
                        V3,
                        SERVER,
                        "82 06 00 01 00 01 61 03",
                        MALFORMED_PACKET),
                row(
                        "[3.8.2.1.2] SUBSCRIBE subscription identifier twice",
                        V5,
                        SERVER,
                        "82 0B 00 01 04 0B 01 0B 02 00 01 61 00",
                        PROTOCOL_ERROR),
                row(
                        "[3.8.2.1.2] SUBSCRIBE subscription identifier 0",
                        V5,
                        SERVER,
                        "82 09 00 01 02 0B 00 00 01 61 00",
                        PROTOCOL_ERROR),
                row(
                        "[3.8.3] SUBSCRIBE topic filter without options byte",
                        V3,
                        SERVER,
                        "82 05 00 01 00 01 61",
                        MALFORMED_PACKET),
                row(
                        "[MQTT-3.10.3-2] 3.1.1 UNSUBSCRIBE without topic filters",
                        V3,
                        SERVER,
                        "A2 02 00 01",
                        PROTOCOL_ERROR),
                row(
                        "[MQTT-3.10.3-2] 5.0 UNSUBSCRIBE without topic filters",
                        V5,
                        SERVER,
                        "A2 03 00 01 00",
                        PROTOCOL_ERROR),
                row("[MQTT-2.2.1-3] UNSUBSCRIBE with packet id 0", V3, SERVER, "A2 05 00 00 00 01 61", PROTOCOL_ERROR),
                row("[MQTT-3.9.3-1] SUBACK without return codes", V3, CLIENT, "90 02 00 01", PROTOCOL_ERROR),
                row("[3.11.3] 5.0 UNSUBACK without reason codes", V5, CLIENT, "B0 03 00 01 00", PROTOCOL_ERROR));
    }

    private static List<Arguments> lengthsAndTrailingBytes() {
        return List.of(
                row("[3.12.1] PINGREQ with remaining length 1", V3, SERVER, "C0 01 00", MALFORMED_PACKET),
                row("[3.13.1] PINGRESP with remaining length 1", V5, CLIENT, "D0 01 00", MALFORMED_PACKET),
                row("[3.14.1] 3.1.1 DISCONNECT with remaining length 1", V3, SERVER, "E0 01 00", MALFORMED_PACKET),
                row("[3.4.2] 3.1.1 PUBACK with a trailing byte", V3, SERVER, "40 03 00 01 00", MALFORMED_PACKET),
                row("[3.4.2] PUBACK with only one byte", V3, SERVER, "40 01 00", MALFORMED_PACKET),
                row("[MQTT-2.2.1-3] PUBACK with packet id 0", V3, SERVER, "40 02 00 00", PROTOCOL_ERROR),
                row(
                        "[3.4.2.2] 5.0 PUBACK with bytes after its properties",
                        V5,
                        SERVER,
                        "40 05 00 01 00 00 FF",
                        MALFORMED_PACKET),
                row(
                        "[3.1] CONNECT with a trailing byte",
                        FROM_CONNECT,
                        SERVER,
                        "10 10 " + V3_CONNECT_BODY + " 00",
                        MALFORMED_PACKET),
                row("[3.11.2] 3.1.1 UNSUBACK with a reason list", V3, CLIENT, "B0 03 00 01 00", MALFORMED_PACKET),
                row("[3.2.2] 3.1.1 CONNACK with properties", V3, CLIENT, "20 03 00 00 00", MALFORMED_PACKET),
                row("[3.2.2] 5.0 CONNACK without property length", V5, CLIENT, "20 02 00 00", MALFORMED_PACKET));
    }

    private static List<Arguments> reasonCodes() {
        return List.of(
                row(
                        "[table 2-6] PUBACK reason 0x81 is not a PUBACK reason",
                        V5,
                        SERVER,
                        "40 03 00 01 81",
                        PROTOCOL_ERROR),
                row(
                        "[table 2-6] PUBREL reason 0x10 is not a PUBREL reason",
                        V5,
                        SERVER,
                        "62 03 00 01 10",
                        PROTOCOL_ERROR),
                row("[table 2-6] PUBCOMP reason 0x80", V5, SERVER, "70 03 00 01 80", PROTOCOL_ERROR),
                row("[table 2-6] DISCONNECT reason 0x01 [MQTT-3.14.2-1]", V5, SERVER, "E0 01 01", PROTOCOL_ERROR),
                row("[3.15.2.1] AUTH reason 0x87", V5, SERVER, "F0 01 87", PROTOCOL_ERROR),
                row(
                        "[3.15.2.2.2] AUTH continue without Authentication Method",
                        V5,
                        SERVER,
                        "F0 02 18 00",
                        PROTOCOL_ERROR),
                row(
                        "[2.2.2.2] AUTH with Session Expiry Interval",
                        V5,
                        SERVER,
                        "F0 0B 18 09 15 00 01 61 11 00 00 00 01",
                        MALFORMED_PACKET),
                row("[3.2.2.2] CONNACK reason 0x04", V5, CLIENT, "20 03 00 04 00", PROTOCOL_ERROR),
                row("[3.9.3] SUBACK reason 0x03", V5, CLIENT, "90 04 00 01 00 03", PROTOCOL_ERROR),
                row("[3.11.3] UNSUBACK reason 0x02", V5, CLIENT, "B0 04 00 01 00 02", PROTOCOL_ERROR),
                row("[MQTT-3.9.3-2] 3.1.1 SUBACK return code 0x03", V3, CLIENT, "90 03 00 01 03", PROTOCOL_ERROR),
                row("[3.2.2.3] 3.1.1 CONNACK return code 6", V3, CLIENT, "20 02 00 06", PROTOCOL_ERROR),
                row("[MQTT-3.2.2-1] CONNACK reserved acknowledge flags", V3, CLIENT, "20 02 02 00", MALFORMED_PACKET),
                row("[MQTT-3.2.2-4] CONNACK refusal with session present", V3, CLIENT, "20 02 01 05", PROTOCOL_ERROR),
                row(
                        "[MQTT-3.2.2-6] 5.0 CONNACK refusal with session present",
                        V5,
                        CLIENT,
                        "20 03 01 87 00",
                        PROTOCOL_ERROR));
    }

    private static List<Arguments> roles() {
        return List.of(
                row("[role] server receives CONNACK", V3, SERVER, "20 02 00 00", PROTOCOL_ERROR),
                row("[role] server receives SUBACK", V3, SERVER, "90 03 00 01 00", PROTOCOL_ERROR),
                row("[role] server receives UNSUBACK", V3, SERVER, "B0 02 00 01", PROTOCOL_ERROR),
                row("[role] server receives PINGRESP", V3, SERVER, "D0 00", PROTOCOL_ERROR),
                row("[role] client receives CONNECT", FROM_CONNECT, CLIENT, "10 0F " + V3_CONNECT_BODY, PROTOCOL_ERROR),
                row("[role] client receives SUBSCRIBE", V3, CLIENT, "82 06 00 01 00 01 61 00", PROTOCOL_ERROR),
                row("[role] client receives UNSUBSCRIBE", V3, CLIENT, "A2 05 00 01 00 01 61", PROTOCOL_ERROR),
                row("[role] client receives PINGREQ", V3, CLIENT, "C0 00", PROTOCOL_ERROR),
                row(
                        "[MQTT-3.1.0-1] non-CONNECT packet without a negotiated version",
                        null,
                        SERVER,
                        "C0 00",
                        PROTOCOL_ERROR));
    }

    private static Arguments row(String name, ProtocolVersion version, Role role, String hex, ReasonCode reason) {
        return Arguments.of(name, version, role, hex, reason);
    }

    @Test
    void unsupportedLevelAnswersWithA311ConnAck() {
        Object result = Wire.decode(SERVER, Wire.hex("10 0F 00 04 4D 51 54 54 07 02 00 3C 00 03 61 62 63"), null);

        DecodeError error = assertInstanceOf(DecodeError.class, result);
        assertEquals(UNSUPPORTED_PROTOCOL_VERSION, error.reason());
        assertEquals(ProtocolVersion.MQTT_3_1_1, error.version());
        assertEquals(PacketType.CONNECT, error.packetType());
    }

    @Test
    void malformedV5ConnectAnswersInV5AndMalformed311ConnectJustCloses() {
        DecodeError v5 = assertInstanceOf(DecodeError.class, Wire.decode(SERVER, Wire.hex(v5Connect("7F")), null));
        DecodeError v3 = assertInstanceOf(
                DecodeError.class,
                Wire.decode(SERVER, Wire.hex("10 0F 00 04 4D 51 54 54 04 03 00 3C 00 03 61 62 63"), null));
        DecodeError unknownName = assertInstanceOf(
                DecodeError.class,
                Wire.decode(SERVER, Wire.hex("10 0F 00 04 4D 51 54 58 04 02 00 3C 00 03 61 62 63"), null));

        assertEquals(ProtocolVersion.MQTT_5, v5.version());
        assertNull(v3.version());
        assertNull(unknownName.version());
    }

    @Test
    void errorsOnAV5ConnectionAnswerInV5() {
        DecodeError error =
                assertInstanceOf(DecodeError.class, Wire.decode(SERVER, Wire.hex("36 05 00 01 61 00 01"), V5));

        assertEquals(ProtocolVersion.MQTT_5, error.version());
        assertEquals(PacketType.PUBLISH, error.packetType());
    }
}
