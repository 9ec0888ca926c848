package dev.cairn.broker.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * {@code try_private} on a 3.1.1 link: sets bit 0x80 of the protocol level of the bridge's CONNECT
 * (3.1.1's level 4 becomes 0x84), mosquitto's marker of a connection that is a bridge. A
 * mosquitto or Cairn remote then treats the connection's subscriptions as No Local and Retain As
 * Published, which 3.1.1 cannot ask for: the remote sends the bridge none of the messages the
 * bridge published there, and keeps their retained flag. It sits between the encoder and the socket, patches the
 * first packet (the CONNECT, the only packet sent before CONNACK [MQTT-3.1.0-1]) and leaves the
 * pipeline. The bridge's event loop only.
 */
final class BridgeMarker extends ChannelOutboundHandlerAdapter {
    /** The marker bit of the protocol level. */
    static final int BRIDGE_BIT = 0x80;
    /** The protocol name's length field and "MQTT", between the fixed header and the level. */
    private static final int PROTOCOL_NAME_BYTES = 2 + 4;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable() && (buf.getUnsignedByte(buf.readerIndex()) >> 4) == 1) {
            int at = buf.readerIndex() + 1;
            while ((buf.getByte(at) & 0x80) != 0) { // The remaining length: a set top bit means another byte.
                at++;
            }
            at += 1 + PROTOCOL_NAME_BYTES;
            buf.setByte(at, buf.getUnsignedByte(at) | BRIDGE_BIT);
            ctx.pipeline().remove(this);
        }
        ctx.write(msg, promise);
    }
}
