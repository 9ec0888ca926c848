package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: MQTT strings decode strictly (section 1.5.4), and names refuse the control characters the
 * broker refuses, whatever kind of buffer holds the bytes. Method: the same bytes from a heap
 * buffer with an offset and from a direct buffer; every failure is a Malformed Packet naming the
 * code point, never the string.
 */
class StrictUtf8Test {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"sensor/a", "client-\u00fc-1", "\uD83D\uDE00/\uFFFF", "\uFEFFa", "tab\tallowed in non-names"})
    void wellFormedStringsDecodeFromHeapAndDirectBuffers(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(text, new StrictUtf8().decode(heap(utf8), "test", false));
        assertEquals(text, new StrictUtf8().decode(direct(utf8), "test", false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "[MQTT-1.5.4-2] U+0000 in any string, 61 00 62, test contains U+0000 [MQTT-1.5.4-2]",
        "[MQTT-1.5.4-1] overlong form of /, C0 AF, test is not well-formed UTF-8 [MQTT-1.5.4-1]",
        "[MQTT-1.5.4-1] encoded surrogate U+D800, ED A0 80, test is not well-formed UTF-8 [MQTT-1.5.4-1]",
        "[MQTT-1.5.4-1] truncated sequence, 61 E2 82, test is not well-formed UTF-8 [MQTT-1.5.4-1]"
    })
    void malformedStringsAreRefusedEvenWhereControlCharactersAreAllowed(String rule, String hex, String message) {
        for (ByteBuffer bytes : new ByteBuffer[] {heap(hex(hex)), direct(hex(hex))}) {
            ProtocolViolation v =
                    assertThrows(ProtocolViolation.class, () -> new StrictUtf8().decode(bytes, "test", false), rule);
            assertEquals(ProtocolViolation.Kind.MALFORMED_PACKET, v.kind());
            assertEquals(message, v.getMessage());
        }
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0001, 01", "001F, 1F", "007F, 7F", "0080, C2 80", "009F, C2 9F"})
    void namesRefuseTheControlCharactersAtBothEndsOfEachRange(String codePoint, String hex) {
        byte[] name = concat(hex("61 2F"), hex(hex));
        for (ByteBuffer bytes : new ByteBuffer[] {heap(name), direct(name)}) {
            ProtocolViolation v = assertThrows(
                    ProtocolViolation.class, () -> new StrictUtf8().decode(bytes, "client identifier", true));
            assertEquals(ProtocolViolation.Kind.MALFORMED_PACKET, v.kind());
            assertEquals(
                    "client identifier contains the control character U+" + codePoint
                            + " (3.1.1 section 1.5.3, 5.0 section 1.5.4)",
                    v.getMessage());
        }
        assertEquals(
                new String(name, StandardCharsets.UTF_8),
                new StrictUtf8().decode(heap(name), "test", false),
                "an ordinary string may hold them");
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0020, 20", "007E, 7E", "00A0, C2 A0"})
    void namesKeepTheCharactersJustOutsideTheRanges(String codePoint, String hex) {
        byte[] name = concat(hex("61"), hex(hex));
        assertEquals(new String(name, StandardCharsets.UTF_8), new StrictUtf8().decode(direct(name), "topic", true));
    }

    /** The bytes at an offset inside a larger array, so that a decoder ignoring the offset would fail. */
    private static ByteBuffer heap(byte[] bytes) {
        byte[] padded = new byte[bytes.length + 4];
        padded[0] = 'x';
        padded[1] = 'x';
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        return ByteBuffer.wrap(padded, 2, bytes.length).slice();
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 2);
        b.put((byte) 'x').put(bytes).put((byte) 'x');
        return b.position(1).limit(1 + bytes.length);
    }

    static byte[] hex(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
