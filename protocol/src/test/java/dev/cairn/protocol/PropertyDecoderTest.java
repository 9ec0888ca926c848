package dev.cairn.protocol;

import static dev.cairn.protocol.StrictUtf8Test.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: a stored property block (a PUBLISH property list, MQTT 5.0 section 3.3.2.3) decodes to
 * what was written, and one the broker would refuse in a packet is refused here too, naming the
 * rule. Method: blocks written out in hex; the packet-level rules of every scope are the broker's
 * codec tests (MalformedPacketTest), which read through this decoder.
 */
class PropertyDecoderTest {

    @Test
    void everyForwardablePublishPropertyDecodes() {
        Properties p = PropertyDecoder.decodeBlock(hex("2E"
                + " 01 01" // payload format indicator 1
                + " 02 00 00 00 3C" // message expiry 60 s
                + " 03 00 0A 74 65 78 74 2F 70 6C 61 69 6E" // content type text/plain
                + " 08 00 03 61 2F 62" // response topic a/b
                + " 09 00 02 CA FE" // correlation data
                + " 0B AC 02" // subscription identifier 300, a two-byte variable byte integer
                + " 0B 01" // and a second one: repeatable in PUBLISH
                + " 23 00 07" // topic alias 7
                + " 26 00 01 6B 00 01 76")); // user property k=v
        assertEquals(1, p.payloadFormatIndicator());
        assertEquals(60L, p.messageExpiryIntervalSeconds());
        assertEquals("text/plain", p.contentType());
        assertEquals("a/b", p.responseTopic());
        assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, p.correlationData());
        assertEquals(List.of(300, 1), p.subscriptionIdentifiers());
        assertEquals(7, p.topicAlias());
        assertEquals(List.of(new UserProperty("k", "v")), p.userProperties());
    }

    @Test
    void theEmptyBlockAndTheEmptyListAreNoProperties() {
        assertSame(Properties.EMPTY, PropertyDecoder.decodeBlock(new byte[0]), "an MQTT 3.1.1 message");
        assertTrue(PropertyDecoder.decodeBlock(hex("00")).isEmpty(), "a 5.0 message without properties");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "session expiry is not a PUBLISH property (table 2-4) | 05 11 00 00 00 3C"
                        + " | SESSION_EXPIRY_INTERVAL is not allowed in PUBLISH (table 2-4)",
                "an identifier no table defines | 02 7F 00 | unknown property identifier 0x7f",
                "a string running past the end | 05 03 00 09 61 62 | CONTENT_TYPE needs 9 bytes but only 2 remain",
                "a list longer than the block | 09 01 01 | property length 9 overruns the packet (2 bytes left)",
                "bytes after the list | 02 01 01 FF | trailing bytes after the property block",
                "[MQTT-1.5.5-1] a non-minimal variable byte integer | 03 0B 81 00 | SUBSCRIPTION_IDENTIFIER:"
                        + " variable byte integer not minimally encoded [MQTT-1.5.5-1]",
                "a repeated single-valued property (Protocol Error) | 04 01 01 01 00"
                        + " | PAYLOAD_FORMAT_INDICATOR included more than once in PUBLISH",
                "a payload format indicator other than 0 or 1 | 02 01 02 | PAYLOAD_FORMAT_INDICATOR must be 0 or 1, was 2",
                "[MQTT-3.3.2-8] topic alias 0 | 03 23 00 00 | topic alias 0 is not permitted [MQTT-3.3.2-8]",
                "[MQTT-3.3.2-14] a response topic with a wildcard | 05 08 00 02 61 23"
                        + " | response topic contains a wildcard [MQTT-3.3.2-14]",
                "[MQTT-1.5.4-2] U+0000 in a content type | 05 03 00 02 61 00 | CONTENT_TYPE contains U+0000 [MQTT-1.5.4-2]"
            })
    void malformedBlocksAreRefusedNamingTheRule(String rule, String block, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PropertyDecoder.decodeBlock(hex(block)), rule);
        assertTrue(e.getMessage().endsWith(message), e.getMessage());
    }

    @ParameterizedTest(name = "{2} in {0}")
    @CsvSource({
        "PUBLISH, MALFORMED_PACKET, 02 2B 00", "PUBLISH, PROTOCOL_ERROR, 02 0B 00",
        "CONNECT, PROTOCOL_ERROR, 05 27 00 00 00 00", "CONNECT, PROTOCOL_ERROR, 03 21 00 00",
        "SUBSCRIBE, PROTOCOL_ERROR, 04 0B 01 0B 02", "PUBLISH, TOPIC_ALIAS_INVALID, 03 23 00 00"
    })
    void eachBrokenRuleCarriesTheReasonCodeTheSpecNames(PropertyScope scope, ProtocolViolation.Kind kind, String list) {
        byte[] bytes = hex(list);
        ProtocolViolation v = assertThrows(
                ProtocolViolation.class,
                () -> PropertyDecoder.read(new ByteArrayInput(bytes, 0, bytes.length, new StrictUtf8()), scope));
        assertEquals(kind, v.kind(), v.getMessage());
    }
}
