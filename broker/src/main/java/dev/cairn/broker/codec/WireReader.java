package dev.cairn.broker.codec;

import dev.cairn.protocol.ProtocolViolation;
import dev.cairn.protocol.StrictUtf8;
import dev.cairn.protocol.WireInput;
import io.netty.buffer.ByteBuf;

/**
 * Reads the MQTT data types (section 1.5) from the body of one packet, strictly. Every read
 * checks the bytes are there first and fails with Malformed Packet, because running off the end
 * of a packet is malformed input, not a bug, and must carry that reason code. Values that must
 * outlive the buffer (strings, binary data) are copied. One instance per decode call. As a
 * {@link WireInput} it is what cairn-protocol's property decoder reads packets through.
 */
final class WireReader implements WireInput {
    /** The largest value a four-byte variable byte integer can carry (section 1.5.5). */
    static final int VARIABLE_BYTE_INTEGER_MAX = 268_435_455;

    private final ByteBuf buf;
    private final StrictUtf8 utf8;

    WireReader(ByteBuf buf, StrictUtf8 utf8) {
        this.buf = buf;
        this.utf8 = utf8;
    }

    int remaining() {
        return buf.readableBytes();
    }

    @Override
    public boolean hasRemaining() {
        return buf.isReadable();
    }

    @Override
    public int readByte(String field) {
        require(1, field);
        return buf.readUnsignedByte();
    }

    @Override
    public int readTwoByteInteger(String field) {
        require(2, field);
        return buf.readUnsignedShort();
    }

    @Override
    public long readFourByteInteger(String field) {
        require(4, field);
        return buf.readUnsignedInt();
    }

    /** Reads a variable byte integer, rejecting a fifth byte and non-minimal forms [MQTT-1.5.5-1]. */
    @Override
    public int readVariableByteInteger(String field) {
        try {
            return WireInput.super.readVariableByteInteger(field);
        } catch (ProtocolViolation violation) {
            throw DecodeFailure.of(violation);
        }
    }

    @Override
    public String readUtf8String(String field) {
        return readString(field, false);
    }

    /**
     * Reads a UTF-8 string that names something: a client identifier, user name, topic name or
     * topic filter. Besides the rules of {@link #readUtf8String}, the control characters U+0001 to
     * U+001F and U+007F to U+009F are refused as a Malformed Packet. The spec says such strings
     * SHOULD NOT contain them and lets a receiver treat them as malformed (3.1.1 section 1.5.3,
     * 5.0 section 1.5.4); we do, as mosquitto does, so that they never reach a session key, a
     * subscription or a log line.
     */
    String readName(String field) {
        return readString(field, true);
    }

    private String readString(String field, boolean refuseControlCharacters) {
        int length = readTwoByteInteger(field + " length");
        require(length, field);
        String value;
        try {
            value = utf8.decode(buf.nioBuffer(buf.readerIndex(), length), field, refuseControlCharacters);
        } catch (ProtocolViolation violation) {
            throw DecodeFailure.of(violation);
        }
        buf.skipBytes(length);
        return value;
    }

    @Override
    public byte[] readBinary(String field) {
        int length = readTwoByteInteger(field + " length");
        return readBytes(length, field);
    }

    /** Reads a Packet Identifier, which must be non-zero wherever one is present [MQTT-2.2.1-3]. */
    int readPacketId() {
        int id = readTwoByteInteger("packet identifier");
        if (id == 0) {
            throw DecodeFailure.protocolError("packet identifier 0 is not allowed [MQTT-2.2.1-3]");
        }
        return id;
    }

    /**
     * Reads a reason code byte and checks it is one the packet type may carry (table 2-6). An
     * undefined value parses but is not allowed by the protocol, so it is a Protocol Error in the
     * sense of section 4.13 rather than a Malformed Packet.
     */
    ReasonCode readReasonCode(PacketType type) {
        int value = readByte("reason code");
        ReasonCode reason = ReasonCode.fromValue(type, value);
        if (reason == null) {
            throw DecodeFailure.protocolError(
                    "reason code 0x" + Integer.toHexString(value) + " is not valid in " + type + " (table 2-6)");
        }
        return reason;
    }

    /** The rest of the packet, e.g. a PUBLISH payload, which has no length prefix. */
    byte[] readRemainingBytes() {
        return readBytes(buf.readableBytes(), "payload");
    }

    /** A reader confined to the next {@code length} bytes, so a section cannot overrun its end. */
    @Override
    public WireReader readSection(int length, String field) {
        if (length > buf.readableBytes()) {
            throw DecodeFailure.malformed(
                    field + " length " + length + " overruns the packet (" + buf.readableBytes() + " bytes left)");
        }
        return new WireReader(buf.readSlice(length), utf8);
    }

    /** Fails if bytes remain after the last field: the remaining length lied [MQTT-2.1.4]. */
    void expectEnd(String what) {
        if (buf.isReadable()) {
            throw DecodeFailure.malformed(buf.readableBytes() + " unexpected trailing bytes after " + what);
        }
    }

    private byte[] readBytes(int length, String field) {
        require(length, field);
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    private void require(int length, String field) {
        if (buf.readableBytes() < length) {
            throw DecodeFailure.malformed(
                    field + " needs " + length + " bytes but only " + buf.readableBytes() + " remain");
        }
    }
}
