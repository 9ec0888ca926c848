package dev.cairn.broker.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the broker ends a connection: half-close, drain, then close. Closing a socket while the
 * peer's bytes are still arriving makes the kernel answer them with a reset (or send one at
 * once, when unread bytes wait), and a client that is still sending typically sees its next
 * write fail and gives up before it has read our last packet, such as a DISCONNECT saying 0x93
 * Receive Maximum exceeded. So once everything queued is written, the output is shut down (the
 * last packet, then FIN), and input is read and discarded until the peer closes its side or
 * {@link #DRAIN_MAX} passes, whichever is first; then the channel closes. All of it runs on the
 * channel's event loop, without blocking it; the core has finished with the connection before
 * this starts.
 */
final class HalfClose {
    /** Bounds how long a peer that keeps sending can hold a closing connection open. */
    static final Duration DRAIN_MAX = Duration.ofSeconds(2);

    private static final String DRAIN_HANDLER = "drain";

    private HalfClose() {}

    /** Call on the channel's event loop after the last packet was written (not necessarily flushed). */
    static void closeAfterDrain(Channel channel) {
        if (!(channel instanceof SocketChannel) || !channel.isActive()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get(DRAIN_HANDLER) != null) {
            return; // Already closing.
        }
        SocketChannel socket = (SocketChannel) channel;
        // Input from now on is neither decoded nor handed to the core: the connection is over.
        socket.pipeline().addFirst(DRAIN_HANDLER, new Discard());
        // Reading may be paused for backpressure; the drain must read, or the peer's writes stall.
        socket.config().setAutoRead(true);
        ScheduledFuture<?> deadline = socket.eventLoop()
                .schedule(
                        () -> {
                            socket.close();
                        },
                        DRAIN_MAX.toNanos(),
                        TimeUnit.NANOSECONDS);
        socket.closeFuture().addListener(f -> deadline.cancel(false));
        if (socket.pipeline().get(WebSocketFrames.class) != null) {
            // The WebSocket closing handshake (RFC 6455 section 7.1.2): our close frame after the
            // last packet, then the TCP close; the peer's answering close is drained like the rest.
            socket.write(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), socket.voidPromise());
        }
        // Completes once every packet written before it has reached the socket (writes complete
        // in order); shutting the output down sooner would discard what is still queued.
        socket.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                socket.close();
                return;
            }
            socket.shutdownOutput().addListener((ChannelFutureListener) shut -> {
                if (!shut.isSuccess()) {
                    socket.close();
                }
            });
        });
    }

    /**
     * Releases every inbound buffer unread. When the peer closes its side the channel closes by
     * itself (half-closure is not allowed on our channels), which ends the drain early.
     */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
