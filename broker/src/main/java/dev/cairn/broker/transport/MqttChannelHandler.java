package dev.cairn.broker.transport;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.session.Connection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one channel's decoded packets, decode errors and lifecycle events to the core as
 * commands. No protocol logic lives here. Backpressure: when the core's inbox is deeper than
 * its high mark, this channel stops reading until the core has drained it. Runs on the
 * channel's event loop.
 */
final class MqttChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttChannelHandler.class);

    private final CoreLoop core;
    private final AtomicInteger openConnections;
    private final int connectionsMax;
    private final int inboxHighDepth;
    private Connection connection;

    MqttChannelHandler(CoreLoop core, AtomicInteger openConnections, int connectionsMax, int inboxHighDepth) {
        this.core = core;
        this.openConnections = openConnections;
        this.connectionsMax = connectionsMax;
        this.inboxHighDepth = inboxHighDepth;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (openConnections.incrementAndGet() > connectionsMax) {
            LOG.warn(
                    "connections_max ({}) reached; closing new connection from {}",
                    connectionsMax,
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        connection = new Connection(new NettyConnection(ctx.channel(), core.outbox()), System.nanoTime());
        core.submit(new Command.Opened(connection));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection == null) {
            return;
        }
        if (msg instanceof Packet) {
            core.submit(new Command.PacketReceived(connection, (Packet) msg));
        } else if (msg instanceof DecodeError) {
            core.submit(new Command.DecodeFailed(connection, (DecodeError) msg));
        } else {
            throw new IllegalArgumentException("unexpected inbound message " + msg.getClass());
        }
        if (core.inboxDepth() > inboxHighDepth && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            core.whenDrained(() -> ctx.channel().config().setAutoRead(true));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        openConnections.decrementAndGet();
        if (connection != null) {
            core.submit(new Command.Closed(connection));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null && ctx.channel().isWritable()) {
            core.submit(new Command.Writable(connection));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
