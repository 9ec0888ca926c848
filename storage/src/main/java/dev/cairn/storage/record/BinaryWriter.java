package dev.cairn.storage.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer with the field encodings of {@code docs/journal-format.md}.
 * Confined to one thread; not reusable after {@link #toByteArray()} is taken unless {@link #reset()}.
 */
public final class BinaryWriter {
    private byte[] buffer;
    private int size;

    public BinaryWriter(int initialCapacityBytes) {
        buffer = new byte[Math.max(16, initialCapacityBytes)];
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    public BinaryWriter u8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public BinaryWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    public BinaryWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("value does not fit in u16: " + value);
        }
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    public BinaryWriter u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value does not fit in u32: " + value);
        }
        return i32((int) value);
    }

    public BinaryWriter i32(int value) {
        ensure(4);
        putI32At(size, value);
        size += 4;
        return this;
    }

    public BinaryWriter i64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** A u16-length-prefixed UTF-8 string; fails if it is longer than 65,535 bytes. */
    public BinaryWriter string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > Checks.STRING_BYTES_MAX) {
            throw new IllegalArgumentException("string longer than 65535 UTF-8 bytes: " + utf8.length);
        }
        u16(utf8.length);
        return raw(utf8, 0, utf8.length);
    }

    /** A u32-length-prefixed byte array. */
    public BinaryWriter bytes(byte[] value) {
        u32(value.length);
        return raw(value, 0, value.length);
    }

    /** A u16 count followed by one u32 per subscription identifier. */
    public BinaryWriter subscriptionIds(int[] ids) {
        u16(ids.length);
        for (int id : ids) {
            u32(id);
        }
        return this;
    }

    public BinaryWriter raw(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** Overwrites four bytes at {@code offset}, which must already be written. */
    public void putI32At(int offset, int value) {
        buffer[offset] = (byte) (value >>> 24);
        buffer[offset + 1] = (byte) (value >>> 16);
        buffer[offset + 2] = (byte) (value >>> 8);
        buffer[offset + 3] = (byte) value;
    }

    /** The internal array; only the first {@link #size()} bytes are meaningful. */
    byte[] array() {
        return buffer;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extraBytes) {
        if (size + extraBytes > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + extraBytes);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("record too large: " + wanted + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}
