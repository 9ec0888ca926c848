package dev.cairn.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link WireInput} over a range of a byte array, for property blocks stored outside any
 * packet. Fails with {@link ProtocolViolation}s worded like the broker's packet reader. One
 * instance per decode call.
 */
final class ByteArrayInput implements WireInput {
    private final byte[] bytes;
    private final int end;
    private final StrictUtf8 utf8;
    private int offset;

    ByteArrayInput(byte[] bytes, int offset, int end, StrictUtf8 utf8) {
        this.bytes = bytes;
        this.offset = offset;
        this.end = end;
        this.utf8 = utf8;
    }

    @Override
    public boolean hasRemaining() {
        return offset < end;
    }

    @Override
    public int readByte(String field) {
        return (int) readUnsigned(1, field);
    }

    @Override
    public int readTwoByteInteger(String field) {
        return (int) readUnsigned(2, field);
    }

    @Override
    public long readFourByteInteger(String field) {
        return readUnsigned(4, field);
    }

    /** A big-endian unsigned integer of {@code size} bytes (section 1.5.2, 1.5.3). */
    private long readUnsigned(int size, String field) {
        require(size, field);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (bytes[offset++] & 0xFF);
        }
        return value;
    }

    @Override
    public String readUtf8String(String field) {
        int length = readTwoByteInteger(field + " length");
        require(length, field);
        String value = utf8.decode(ByteBuffer.wrap(bytes, offset, length), field, false);
        offset += length;
        return value;
    }

    @Override
    public byte[] readBinary(String field) {
        int length = readTwoByteInteger(field + " length");
        require(length, field);
        offset += length;
        return Arrays.copyOfRange(bytes, offset - length, offset);
    }

    @Override
    public ByteArrayInput readSection(int length, String field) {
        if (length > end - offset) {
            throw ProtocolViolation.malformed(
                    field + " length " + length + " overruns the packet (" + (end - offset) + " bytes left)");
        }
        offset += length;
        return new ByteArrayInput(bytes, offset - length, offset, utf8);
    }

    private void require(int length, String field) {
        if (end - offset < length) {
            throw ProtocolViolation.malformed(
                    field + " needs " + length + " bytes but only " + (end - offset) + " remain");
        }
    }
}
