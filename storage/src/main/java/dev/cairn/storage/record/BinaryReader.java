package dev.cairn.storage.record;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the field encodings of {@code docs/journal-format.md} from a byte range. Every malformed
 * value (running past the end, a bool that is not 0/1, invalid UTF-8) throws a
 * {@link RecordDecodeException} with reason {@code MALFORMED_BODY}. Confined to one thread.
 */
public final class BinaryReader {
    private final byte[] buffer;
    private final int end;
    private int offset;

    public BinaryReader(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.end = offset + length;
    }

    public BinaryReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    public int remaining() {
        return end - offset;
    }

    public int u8() {
        need(1, "u8");
        return buffer[offset++] & 0xFF;
    }

    public boolean bool() {
        int value = u8();
        if (value > 1) {
            throw malformed("bool must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    public int u16() {
        need(2, "u16");
        int value = ((buffer[offset] & 0xFF) << 8) | (buffer[offset + 1] & 0xFF);
        offset += 2;
        return value;
    }

    public int i32() {
        need(4, "i32");
        int value = ((buffer[offset] & 0xFF) << 24)
                | ((buffer[offset + 1] & 0xFF) << 16)
                | ((buffer[offset + 2] & 0xFF) << 8)
                | (buffer[offset + 3] & 0xFF);
        offset += 4;
        return value;
    }

    public long u32() {
        return i32() & 0xFFFF_FFFFL;
    }

    public long i64() {
        need(8, "i64");
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[offset++] & 0xFF);
        }
        return value;
    }

    public String string() {
        int length = u16();
        need(length, "string");
        try {
            String value = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, offset, length))
                    .toString();
            offset += length;
            return value;
        } catch (CharacterCodingException e) {
            throw malformed("string is not valid UTF-8 at body offset " + offset);
        }
    }

    public byte[] bytes() {
        long length = u32();
        if (length > remaining()) {
            throw malformed("byte array of " + length + " bytes runs past the end (" + remaining() + " left)");
        }
        byte[] value = Arrays.copyOfRange(buffer, offset, offset + (int) length);
        offset += (int) length;
        return value;
    }

    public int[] subscriptionIds() {
        int count = u16();
        if ((long) count * 4 > remaining()) {
            throw malformed(count + " subscription ids run past the end");
        }
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i32();
        }
        return ids;
    }

    /** Fails unless every byte was consumed: trailing bytes mean a misread layout. */
    public void expectEnd() {
        if (offset != end) {
            throw malformed((end - offset) + " bytes left over after the last field");
        }
    }

    private void need(int bytes, String what) {
        if (bytes > end - offset) {
            throw malformed(what + " needs " + bytes + " bytes, " + (end - offset) + " left");
        }
    }

    private static RecordDecodeException malformed(String detail) {
        return new RecordDecodeException(RecordDecodeException.Reason.MALFORMED_BODY, detail);
    }
}
