package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes the MQTT data types (section 1.5) and computes their encoded sizes. The size methods
 * must agree exactly with the write methods: {@link PacketEncoder#encodedSize} is used to size
 * buffers and to enforce a peer's Maximum Packet Size before sending.
 */
final class WireWriter {
    private static final int TWO_BYTE_MAX = 0xFFFF;

    private WireWriter() {}

    /** Writes the minimal form [MQTT-1.5.5-1]. */
    static void writeVariableByteInteger(ByteBuf out, int value) {
        checkVariableByteInteger(value);
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            out.writeByte(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
    }

    static int variableByteIntegerSize(int value) {
        checkVariableByteInteger(value);
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        return value < 2_097_152 ? 3 : 4;
    }

    static void writeUtf8String(ByteBuf out, String value) {
        int length = utf8Length(value);
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, value, length);
    }

    static int utf8StringSize(String value) {
        return 2 + utf8Length(value);
    }

    static void writeBinary(ByteBuf out, byte[] value) {
        checkTwoByteLength(value.length, "binary data");
        out.writeShort(value.length);
        out.writeBytes(value);
    }

    static int binarySize(byte[] value) {
        checkTwoByteLength(value.length, "binary data");
        return 2 + value.length;
    }

    static void writeTwoByteInteger(ByteBuf out, int value) {
        if (value < 0 || value > TWO_BYTE_MAX) {
            throw new IllegalArgumentException("two byte integer out of range: " + value);
        }
        out.writeShort(value);
    }

    static void writeFourByteInteger(ByteBuf out, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("four byte integer out of range: " + value);
        }
        out.writeInt((int) value);
    }

    private static int utf8Length(String value) {
        int length = ByteBufUtil.utf8Bytes(value);
        checkTwoByteLength(length, "UTF-8 string");
        return length;
    }

    private static void checkTwoByteLength(int length, String what) {
        // A value this long cannot be framed at all; building one is a bug in the caller.
        if (length > TWO_BYTE_MAX) {
            throw new IllegalArgumentException(what + " longer than 65535 bytes: " + length);
        }
    }

    private static void checkVariableByteInteger(int value) {
        if (value < 0 || value > WireReader.VARIABLE_BYTE_INTEGER_MAX) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
    }
}
