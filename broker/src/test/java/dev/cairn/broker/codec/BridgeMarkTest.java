package dev.cairn.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: the server side of mosquitto's {@code try_private}. A CONNECT whose protocol level is a
 * 3.1 or 3.1.1 level with bit 0x80 set (0x83 "MQIsdp", 0x84 "MQTT") is a bridge's: it decodes as
 * that version with the bridge flag; every other level stays refused with CONNACK 0x01 in the
 * 3.1.1 encoding [MQTT-3.1.2-2], 5.0 with the bit (0x85) included. Method: whole CONNECT packets
 * as hex through the decoder, and the encoder's output for a flagged CONNECT.
 */
class BridgeMarkTest {
    /** "MQTT", the level, then clean session, keep alive 60 and client id "abc". */
    private static String mqttConnect(String level) {
        return "10 0F 00 04 4D 51 54 54 " + level + " 02 00 3C 00 03 61 62 63";
    }

    /** "MQIsdp", the level, then clean session, keep alive 60 and client id "abc". */
    private static String mqisdpConnect(String level) {
        return "10 11 00 06 4D 51 49 73 64 70 " + level + " 02 00 3C 00 03 61 62 63";
    }

    @ParameterizedTest(name = "{0} level 0x{1}: {2}, bridge {3}")
    @CsvSource({
        "MQTT, 84, MQTT_3_1_1, true",
        "MQIsdp, 83, MQTT_3_1, true",
        "MQTT, 04, MQTT_3_1_1, false",
        "MQIsdp, 03, MQTT_3_1, false",
        "MQTT, 05, MQTT_5, false"
    })
    void aMarked3xLevelDecodesAsThatVersionWithTheBridgeFlag(
            String name, String level, ProtocolVersion version, boolean bridge) {
        String hex = name.equals("MQTT") ? mqttConnect(level) : mqisdpConnect(level);
        if (version == ProtocolVersion.MQTT_5) {
            hex = "10 10 00 04 4D 51 54 54 05 02 00 3C 00 00 03 61 62 63"; // With its empty properties.
        }

        Object decoded = Wire.decode(Role.SERVER, Wire.hex(hex), null);

        Packet.Connect connect = assertInstanceOf(Packet.Connect.class, decoded, () -> Wire.describe(decoded));
        assertEquals(version, connect.version());
        assertEquals(bridge, connect.bridge());
        assertEquals("abc", connect.clientId());
    }

    @ParameterizedTest(name = "{0} level 0x{1}")
    @CsvSource({
        "MQTT, 85", // 5.0 has no bridge mark: its bridges ask for No Local themselves.
        "MQTT, 83", // 3.1's level under 3.1.1's name.
        "MQTT, 80",
        "MQTT, 86",
        "MQTT, FF",
        "MQIsdp, 84", // 3.1.1's level under 3.1's name.
        "MQIsdp, 85"
    })
    void everyOtherLevelWithTheBitIsStillAnUnsupportedLevel(String name, String level) {
        String hex = name.equals("MQTT") ? mqttConnect(level) : mqisdpConnect(level);

        Object decoded = Wire.decode(Role.SERVER, Wire.hex(hex), null);

        DecodeError error = assertInstanceOf(DecodeError.class, decoded, () -> Wire.describe(decoded));
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, error.reason(), error.message());
        assertTrue(error.message().contains("[MQTT-3.1.2-2]"), error.message());
        // Answered in a version the client can read: return code 0x01 [MQTT-3.1.2-2].
        assertEquals(name.equals("MQTT") ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_3_1, error.version());
    }

    @Test
    void theEncoderWritesTheMarkOfAFlaggedConnectAndTheDecoderReadsItBack() {
        Packet.Connect marked = new Packet.Connect(
                ProtocolVersion.MQTT_3_1_1, "abc", true, 60, null, null, null, Properties.EMPTY, true);

        byte[] wire = Wire.encode(marked, ProtocolVersion.MQTT_3_1_1);

        assertEquals(mqttConnect("84"), Wire.hex(wire));
        Packet.Connect back = assertInstanceOf(Packet.Connect.class, Wire.decode(Role.SERVER, wire, null));
        assertTrue(back.bridge());
        Packet.Connect plain =
                new Packet.Connect(ProtocolVersion.MQTT_3_1_1, "abc", true, 60, null, null, null, Properties.EMPTY);
        assertFalse(plain.bridge());
        assertEquals(mqttConnect("04"), Wire.hex(Wire.encode(plain, ProtocolVersion.MQTT_3_1_1)));
    }

    @Test
    void anMqtt5ConnectCannotCarryTheMark() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Packet.Connect(
                        ProtocolVersion.MQTT_5, "abc", true, 60, null, null, null, Properties.EMPTY, true));
    }
}
