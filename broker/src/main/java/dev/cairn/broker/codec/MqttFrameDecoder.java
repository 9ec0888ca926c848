package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Objects;

/**
 * Frames the inbound byte stream into MQTT packets and emits each as a {@link Packet}, or a
 * {@link DecodeError} when the input is invalid. It reads the fixed header and remaining length
 * itself, enforces the maximum packet size as soon as the length is known (so a peer cannot make
 * us wait for, or buffer, a body we will reject), then hands the complete body to
 * {@link PacketDecoder}. After the first error it emits nothing more and discards all input: the
 * stream can no longer be framed reliably, and the handler downstream answers and closes.
 *
 * <p>As a server it enforces packet order [MQTT-3.1.0-1], [MQTT-3.1.0-2] and, once a CONNECT is
 * decoded, stores the version in {@link #PROTOCOL_VERSION} for later packets and for
 * {@link MqttPacketEncoder}. A rejected CONNECT whose error names an answer version stores that
 * version too, so the CONNACK that refuses it is encoded the way the client can read it.
 *
 * <p>Thread safety: one instance per channel (it is stateful, not {@code @Sharable}); Netty calls
 * it on the channel's event loop only.
 */
public final class MqttFrameDecoder extends ByteToMessageDecoder {
    /** The connection's protocol version: set after CONNECT (server) or at handler add (client). */
    public static final AttributeKey<ProtocolVersion> PROTOCOL_VERSION =
            AttributeKey.valueOf(MqttFrameDecoder.class, "PROTOCOL_VERSION");

    /** A remaining length is a variable byte integer of at most 4 bytes (section 2.1.4). */
    private static final int REMAINING_LENGTH_BYTES_MAX = 4;

    enum State {
        READ_FIXED_HEADER,
        READ_REMAINING_LENGTH,
        READ_BODY,
        FAILED
    }

    private final Role role;
    private final int maxPacketSizeBytes;
    private final PacketDecoder packetDecoder;
    private ProtocolVersion version;
    private State state = State.READ_FIXED_HEADER;
    private int fixedHeaderByte;
    private int remainingLength;
    private int remainingLengthByteCount;

    /**
     * @param maxPacketSizeBytes the largest whole packet accepted, fixed header included
     * @param clientVersion the version a client connects with; null for {@link Role#SERVER},
     *                      which learns it from CONNECT
     */
    public MqttFrameDecoder(Role role, int maxPacketSizeBytes, ProtocolVersion clientVersion) {
        this.role = Objects.requireNonNull(role, "role");
        if (maxPacketSizeBytes < 2) {
            throw new IllegalArgumentException("maxPacketSizeBytes must be at least 2, was " + maxPacketSizeBytes);
        }
        if ((role == Role.CLIENT) != (clientVersion != null)) {
            throw new IllegalArgumentException("clientVersion is required for CLIENT and must be null for SERVER");
        }
        this.maxPacketSizeBytes = maxPacketSizeBytes;
        this.packetDecoder = new PacketDecoder(role);
        this.version = clientVersion;
    }

    State state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (role == Role.CLIENT) {
            ctx.channel().attr(PROTOCOL_VERSION).set(version);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case READ_FIXED_HEADER:
                    if (!in.isReadable()) {
                        return;
                    }
                    readFixedHeader(in, out);
                    break;
                case READ_REMAINING_LENGTH:
                    if (!readRemainingLength(in, out)) {
                        return;
                    }
                    break;
                case READ_BODY:
                    if (in.readableBytes() < remainingLength) {
                        return;
                    }
                    decodeBody(ctx, in, out);
                    // One packet per call: ByteToMessageDecoder passes it on and calls again.
                    return;
                case FAILED:
                    in.skipBytes(in.readableBytes());
                    return;
                default:
                    throw new IllegalStateException("unknown state " + state);
            }
        }
    }

    private void readFixedHeader(ByteBuf in, List<Object> out) {
        fixedHeaderByte = in.readUnsignedByte();
        remainingLength = 0;
        remainingLengthByteCount = 0;
        state = State.READ_REMAINING_LENGTH;
        // Checked before the body arrives: there is no point waiting for a packet we refuse.
        if (role == Role.SERVER) {
            boolean isConnect = packetType() == PacketType.CONNECT;
            if (version == null && !isConnect) {
                fail(in, out, ReasonCode.PROTOCOL_ERROR, "the first packet must be CONNECT [MQTT-3.1.0-1]");
            } else if (version != null && isConnect) {
                fail(in, out, ReasonCode.PROTOCOL_ERROR, "a second CONNECT [MQTT-3.1.0-2]");
            }
        }
    }

    /** Returns true when the length is complete and acceptable, false to wait or after failing. */
    private boolean readRemainingLength(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int b = in.readUnsignedByte();
            remainingLength |= (b & 0x7F) << (7 * remainingLengthByteCount);
            remainingLengthByteCount++;
            if ((b & 0x80) == 0) {
                return checkRemainingLength(b, in, out);
            }
            if (remainingLengthByteCount == REMAINING_LENGTH_BYTES_MAX) {
                fail(in, out, ReasonCode.MALFORMED_PACKET, "remaining length longer than 4 bytes (2.1.4)");
                return false;
            }
        }
        return false;
    }

    private boolean checkRemainingLength(int lastByte, ByteBuf in, List<Object> out) {
        if (lastByte == 0 && remainingLengthByteCount > 1) {
            fail(in, out, ReasonCode.MALFORMED_PACKET, "remaining length not minimally encoded [MQTT-1.5.5-1]");
            return false;
        }
        long packetSizeBytes = 1L + remainingLengthByteCount + remainingLength;
        if (packetSizeBytes > maxPacketSizeBytes) {
            fail(
                    in,
                    out,
                    ReasonCode.PACKET_TOO_LARGE,
                    "packet of " + packetSizeBytes + " bytes exceeds the maximum of " + maxPacketSizeBytes);
            return false;
        }
        state = State.READ_BODY;
        return true;
    }

    private void decodeBody(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf body = in.readSlice(remainingLength);
        Object result = packetDecoder.decode(fixedHeaderByte, body, version);
        if (result instanceof DecodeError) {
            DecodeError error = (DecodeError) result;
            if (error.packetType() == PacketType.CONNECT && error.version() != null && role == Role.SERVER) {
                ctx.channel().attr(PROTOCOL_VERSION).set(error.version());
            }
            emitFailure(in, out, error);
            return;
        }
        Packet packet = (Packet) result;
        if (packet.type() == PacketType.CONNECT) {
            version = ((Packet.Connect) packet).version();
            ctx.channel().attr(PROTOCOL_VERSION).set(version);
        }
        state = State.READ_FIXED_HEADER;
        out.add(packet);
    }

    private PacketType packetType() {
        return PacketType.fromCode(fixedHeaderByte >> 4);
    }

    private void fail(ByteBuf in, List<Object> out, ReasonCode reason, String message) {
        // Answer in MQTT 5 (a DISCONNECT with the reason) only once the connection speaks it.
        ProtocolVersion answer = version != null && version.isV5() ? version : null;
        emitFailure(in, out, new DecodeError(reason, packetType(), answer, message));
    }

    private void emitFailure(ByteBuf in, List<Object> out, DecodeError error) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        out.add(error);
    }
}
