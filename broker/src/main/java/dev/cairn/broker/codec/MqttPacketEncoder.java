package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes outbound {@link Packet}s with the channel's {@link MqttFrameDecoder#PROTOCOL_VERSION}.
 * When the attribute is unset (no CONNECT accepted yet) it encodes MQTT 3.1.1: that is the
 * encoding the spec prescribes for refusing an unsupported protocol level with CONNACK 0x01
 * [MQTT-3.1.2-2]. Buffers are allocated at the exact encoded size.
 *
 * <p>Thread safety: stateless and {@code @Sharable}; use {@link #INSTANCE} on every channel.
 */
@Sharable
public final class MqttPacketEncoder extends MessageToByteEncoder<Packet> {
    public static final MqttPacketEncoder INSTANCE = new MqttPacketEncoder();

    private MqttPacketEncoder() {
        super(Packet.class, true);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Packet packet, boolean preferDirect) {
        int sizeBytes = PacketEncoder.encodedSize(packet, version(ctx));
        return preferDirect
                ? ctx.alloc().ioBuffer(sizeBytes, sizeBytes)
                : ctx.alloc().heapBuffer(sizeBytes, sizeBytes);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, ByteBuf out) {
        PacketEncoder.encode(packet, version(ctx), out);
    }

    private static ProtocolVersion version(ChannelHandlerContext ctx) {
        ProtocolVersion version =
                ctx.channel().attr(MqttFrameDecoder.PROTOCOL_VERSION).get();
        return version != null ? version : ProtocolVersion.MQTT_3_1_1;
    }
}
