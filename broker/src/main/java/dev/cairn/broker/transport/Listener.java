package dev.cairn.broker.transport;

import dev.cairn.broker.codec.MqttFrameDecoder;
import dev.cairn.broker.codec.MqttPacketEncoder;
import dev.cairn.broker.codec.Role;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.core.CoreLoop;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The TCP listener: Netty bootstrap (epoll when available, NIO otherwise), the per-channel
 * pipeline (frame decoder with the packet size limit, encoder, command forwarder) and the
 * connection count. Started and stopped by {@code Broker}.
 */
public final class Listener {
    /** Core inbox depth at which channels stop reading until the core catches up. */
    private static final int INBOX_HIGH_DEPTH = 65_536;
    /** Per-connection outbound bytes beyond which the channel reports itself unwritable. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final BrokerConfig config;
    private final CoreLoop core;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Consumer<Throwable> onThreadDeath;
    private volatile boolean shuttingDown;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    /**
     * @param onThreadDeath called (on the dying thread) when an I/O thread ends while the listener
     *     is not shutting down: Netty logs what ended it at WARN and lets the thread go, and the
     *     connections it served would hang with their sockets open
     */
    public Listener(BrokerConfig config, CoreLoop core, Consumer<Throwable> onThreadDeath) {
        this.config = config;
        this.core = core;
        this.onThreadDeath = onThreadDeath;
    }

    public static int inboxHighDepth() {
        return INBOX_HIGH_DEPTH;
    }

    /** Sizes each connection's read buffers from what it read before; stateless, so shared. */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZING = new AdaptiveRecvByteBufAllocator();

    /** Binds and returns the bound address (the real port when the config asks for 0). */
    public InetSocketAddress start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        bossGroup = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(
                ioThreads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        watchForDeath(bossGroup, "acceptor");
        watchForDeath(workerGroup, "I/O");
        Class<? extends ServerSocketChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                // One allocator for all connections (each gets its own handle from it); Netty's
                // default makes one per connection, 32 bytes each.
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, RECEIVE_SIZING)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        "decoder",
                                        new MqttFrameDecoder(Role.SERVER, config.packetSizeMaxBytes(), null));
                        ch.pipeline().addLast("encoder", MqttPacketEncoder.INSTANCE);
                        ch.pipeline()
                                .addLast(
                                        "core",
                                        new MqttChannelHandler(
                                                core, openConnections, config.connectionsMax(), INBOX_HIGH_DEPTH));
                    }
                });
        serverChannel =
                bootstrap.bind(config.bindAddress(), config.port()).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    private void watchForDeath(EventLoopGroup group, String role) {
        for (EventExecutor executor : group) {
            executor.terminationFuture().addListener(done -> {
                if (!shuttingDown) {
                    onThreadDeath.accept(new IllegalStateException(
                            "a Netty " + role + " thread ended while the broker"
                                    + " was running (see Netty's WARN before this line for what ended it)",
                            done.cause()));
                }
            });
        }
    }

    /** Stops accepting new connections; existing ones stay until the core closes them. */
    public void stopAccepting() throws InterruptedException {
        shuttingDown = true;
        if (serverChannel != null) {
            serverChannel.close().sync();
        }
    }

    /** Releases the I/O threads after the core has flushed its goodbyes. */
    public void shutdown() {
        shuttingDown = true;
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    public int openConnections() {
        return openConnections.get();
    }
}
