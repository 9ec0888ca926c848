package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;

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
 * created at the first non-ASCII string, since most connections never send one.
 */
final class StrictUtf8 {
    private CharsetDecoder decoder;

    /**
     * Decodes {@code length} bytes at {@code index} without moving the reader index. With
     * {@code refuseControlCharacters}, U+0001..U+001F and U+007F..U+009F are malformed too (see
     * {@link WireReader#readName}).
     */
    String decode(ByteBuf buf, int index, int length, String field, boolean refuseControlCharacters) {
        if (isPlainAscii(buf, index, length, field, refuseControlCharacters)) {
            // Most topics and client ids are ASCII; skip the CharsetDecoder for them.
            return buf.toString(index, length, StandardCharsets.US_ASCII);
        }
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        ByteBuffer bytes = buf.nioBuffer(index, length);
        CharBuffer chars;
        try {
            chars = decoder.decode(bytes);
        } catch (CharacterCodingException e) {
            throw DecodeFailure.malformed(field + " is not well-formed UTF-8 [MQTT-1.5.4-1]");
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
    private static boolean isPlainAscii(ByteBuf buf, int index, int length, String field,
                                        boolean refuseControlCharacters) {
        boolean ascii = true;
        for (int i = index; i < index + length; i++) {
            byte b = buf.getByte(i);
            if (b == 0) {
                throw DecodeFailure.malformed(field + " contains U+0000 [MQTT-1.5.4-2]");
            }
            if (b < 0) {
                ascii = false;
            } else if (refuseControlCharacters && (b < 0x20 || b == 0x7F)) {
                throw controlCharacter(field, (char) b);
            }
        }
        return ascii;
    }

    /** The message names the code point, never the string: keeping it out of logs is the point. */
    private static DecodeFailure controlCharacter(String field, char c) {
        return DecodeFailure.malformed(String.format("%s contains the control character U+%04X"
                + " (3.1.1 section 1.5.3, 5.0 section 1.5.4)", field, (int) c));
    }
}
