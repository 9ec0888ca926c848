package dev.cairn.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for MQTT strings (section 1.5.4). The JDK decoder with REPORT rejects
 * overlong forms, encoded surrogates (U+D800..U+DFFF) and truncated sequences, which is what
 * [MQTT-1.5.4-1] requires; the lenient {@code new String(bytes, UTF_8)} would silently replace
 * them with U+FFFD. U+0000 is valid UTF-8 but forbidden by [MQTT-1.5.4-2], so it is checked
 * separately. Holds a CharsetDecoder, which is stateful: one instance per decoder, one thread;
 * created at the first non-ASCII string, since most connections never send one. Failures are
 * {@link ProtocolViolation}s of kind Malformed Packet.
 */
public final class StrictUtf8 {
    private CharsetDecoder decoder;

    /**
     * Decodes the bytes from the position to the limit of {@code bytes}, which may be left
     * anywhere. {@code field} names the string in messages. With {@code refuseControlCharacters},
     * for strings that name something (client identifiers, user names, topic names and filters),
     * U+0001..U+001F and U+007F..U+009F are malformed too: the spec says such strings SHOULD NOT
     * contain them and lets a receiver treat them as malformed (3.1.1 section 1.5.3, 5.0 section
     * 1.5.4); Cairn does, as mosquitto does, so that they never reach a session key, a
     * subscription or a log line.
     *
     * @throws ProtocolViolation (Malformed Packet) naming the rule broken, never the string
     */
    public String decode(ByteBuffer bytes, String field, boolean refuseControlCharacters) {
        if (isPlainAscii(bytes, field, refuseControlCharacters)) {
            // Most topics and client ids are ASCII; skip the CharsetDecoder for them.
            return ascii(bytes);
        }
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        CharBuffer chars;
        try {
            chars = decoder.decode(bytes);
        } catch (CharacterCodingException e) {
            throw ProtocolViolation.malformed(field + " is not well-formed UTF-8 [MQTT-1.5.4-1]");
        }
        if (refuseControlCharacters) {
            // The ASCII ones were refused by isPlainAscii; only the C1 range U+0080..U+009F is left.
            for (int i = 0; i < chars.length(); i++) {
                char c = chars.charAt(i);
                if (c >= 0x80 && c <= 0x9F) {
                    throw controlCharacter(field, c);
                }
            }
        }
        return chars.toString();
    }

    /**
     * True when every byte is ASCII; throws on U+0000 since no later check would see it, and on
     * an ASCII control character when those are refused.
     */
    private static boolean isPlainAscii(ByteBuffer bytes, String field, boolean refuseControlCharacters) {
        boolean ascii = true;
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            byte b = bytes.get(i);
            if (b == 0) {
                throw ProtocolViolation.malformed(field + " contains U+0000 [MQTT-1.5.4-2]");
            }
            if (b < 0) {
                ascii = false;
            } else if (refuseControlCharacters && (b < 0x20 || b == 0x7F)) {
                throw controlCharacter(field, (char) b);
            }
        }
        return ascii;
    }

    private static String ascii(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            return new String(
                    bytes.array(),
                    bytes.arrayOffset() + bytes.position(),
                    bytes.remaining(),
                    StandardCharsets.US_ASCII);
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(bytes.position(), copy);
        return new String(copy, StandardCharsets.US_ASCII);
    }

    /** The message names the code point, never the string: keeping it out of logs is the point. */
    private static ProtocolViolation controlCharacter(String field, char c) {
        return ProtocolViolation.malformed(String.format(
                "%s contains the control character U+%04X" + " (3.1.1 section 1.5.3, 5.0 section 1.5.4)",
                field, (int) c));
    }
}
