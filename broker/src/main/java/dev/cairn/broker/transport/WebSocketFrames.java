package dev.cairn.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the WebSocket frame codec and the MQTT codec of an upgraded connection. Inbound, the
 * payload of every binary frame (and of its continuations) goes on to the MQTT frame decoder as
 * bytes, which does not care where frames begin or end: a packet split across frames and several
 * packets in one frame decode alike [MQTT-6.0.0-2]. A ping is answered with a pong carrying its
 * data, a pong is dropped, a close is answered with a close and ends the connection, and a text
 * frame closes the connection with 1003 [MQTT-6.0.0-1]. Outbound, each buffer the MQTT encoder
 * makes goes out as one binary frame [MQTT-6.0.0-1]; an empty buffer (the half-close's marker)
 * passes as it is.
 */
final class WebSocketFrames extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrames.class);

    /** Set once a close is under way: frames read after it are dropped. */
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            // A continuation can only follow a binary frame here: a text frame ends the connection.
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (msg instanceof CloseWebSocketFrame close) {
            // RFC 6455 section 5.5.1: answer with a close (echoing the code), then the server closes TCP.
            int code = close.statusCode();
            close.release();
            CloseWebSocketFrame reply =
                    code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, (String) null);
            closing = true;
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else {
            boolean pong = msg instanceof PongWebSocketFrame;
            ReferenceCountUtil.release(msg);
            if (!pong) {
                LOG.debug(
                        "closing {}: a {} frame where MQTT allows only binary frames",
                        ctx.channel().remoteAddress(),
                        msg.getClass().getSimpleName());
                ctx.writeAndFlush(new CloseWebSocketFrame(
                                WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "MQTT is carried in binary frames"))
                        .addListener(ChannelFutureListener.CLOSE);
                closing = true;
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
