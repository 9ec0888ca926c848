package dev.cairn.storage.record;

import dev.cairn.storage.record.RecordDecodeException.Reason;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the journal frame of {@code docs/journal-format.md}: magic, format version,
 * type, flags, body length, body, CRC32C. Writes only the newest format version and reads every
 * version ever written. Stateless; any thread.
 */
public final class RecordCodec {
    public static final int MAGIC = 0xCA;
    public static final int CURRENT_VERSION = 4;
    public static final int HEADER_BYTES = 8;
    public static final int CRC_BYTES = 4;
    public static final int FRAME_OVERHEAD_BYTES = HEADER_BYTES + CRC_BYTES;
    /** The MQTT maximum packet size plus slack for our own fields. */
    public static final long BODY_BYTES_MAX = 268_435_456L + 65_536L;

    private RecordCodec() {}

    /** Encodes {@code record} as a complete frame in the newest format version. */
    public static byte[] encode(JournalRecord record) {
        BinaryWriter writer = new BinaryWriter(128);
        writer.u8(MAGIC).u8(CURRENT_VERSION).u8(record.type().code()).u8(0).i32(0);
        BodyCodecV4.write(record, writer);
        int bodyBytes = writer.size() - HEADER_BYTES;
        if (bodyBytes > BODY_BYTES_MAX) {
            throw new IllegalArgumentException("record body too large: " + bodyBytes + " bytes");
        }
        writer.putI32At(4, bodyBytes);
        CRC32C crc = new CRC32C();
        crc.update(writer.array(), 0, writer.size());
        writer.i32((int) crc.getValue());
        return writer.toByteArray();
    }

    public static JournalRecord decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes the frame that fills {@code buffer[offset, offset + length)} exactly.
     *
     * @throws RecordDecodeException saying what was wrong, checked in the documented order
     */
    public static JournalRecord decode(byte[] buffer, int offset, int length) {
        RecordType type = checkFrame(buffer, offset, length);
        int version = buffer[offset + 1] & 0xFF;
        BinaryReader body = new BinaryReader(buffer, offset + HEADER_BYTES, length - FRAME_OVERHEAD_BYTES);
        JournalRecord record;
        switch (version) {
            case 1:
                record = BodyCodecV1.read(type, body);
                break;
            case 2:
                record = BodyCodecV2.read(type, body);
                break;
            case 3:
                record = BodyCodecV3.read(type, body);
                break;
            case 4:
                record = BodyCodecV4.read(type, body);
                break;
            default:
                throw new AssertionError("checkFrame accepted version " + version);
        }
        body.expectEnd();
        return record;
    }

    /**
     * Checks the frame's length, CRC and header without decoding the body, and returns its type.
     *
     * @throws RecordDecodeException if any check fails
     */
    public static RecordType checkFrame(byte[] buffer, int offset, int length) {
        if (length < FRAME_OVERHEAD_BYTES) {
            throw new RecordDecodeException(
                    Reason.TOO_SHORT, length + " bytes, a frame has at least " + FRAME_OVERHEAD_BYTES);
        }
        long bodyBytes = readU32(buffer, offset + 4);
        if (bodyBytes + FRAME_OVERHEAD_BYTES != length) {
            throw new RecordDecodeException(
                    Reason.LENGTH_MISMATCH,
                    "header says a body of " + bodyBytes + " bytes, the document holds "
                            + (length - FRAME_OVERHEAD_BYTES));
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, length - CRC_BYTES);
        long stored = readU32(buffer, offset + length - CRC_BYTES);
        if (crc.getValue() != stored) {
            throw new RecordDecodeException(
                    Reason.CRC_MISMATCH, String.format("stored 0x%08x, computed 0x%08x", stored, crc.getValue()));
        }
        return checkHeader(buffer, offset);
    }

    private static RecordType checkHeader(byte[] buffer, int offset) {
        int magic = buffer[offset] & 0xFF;
        if (magic != MAGIC) {
            throw new RecordDecodeException(Reason.BAD_MAGIC, String.format("0x%02x", magic));
        }
        int version = buffer[offset + 1] & 0xFF;
        if (version < 1 || version > CURRENT_VERSION) {
            throw new RecordDecodeException(
                    Reason.UNKNOWN_VERSION, "format version " + version + ", this reader knows 1.." + CURRENT_VERSION);
        }
        int code = buffer[offset + 2] & 0xFF;
        RecordType type = RecordType.ofCode(code);
        if (type == null) {
            throw new RecordDecodeException(Reason.UNKNOWN_TYPE, "record type code " + code);
        }
        int flags = buffer[offset + 3] & 0xFF;
        if (flags != 0) {
            throw new RecordDecodeException(Reason.BAD_FLAGS, "reserved flags " + flags + " in version " + version);
        }
        return type;
    }

    private static long readU32(byte[] buffer, int offset) {
        return ((buffer[offset] & 0xFFL) << 24)
                | ((buffer[offset + 1] & 0xFFL) << 16)
                | ((buffer[offset + 2] & 0xFFL) << 8)
                | (buffer[offset + 3] & 0xFFL);
    }
}
