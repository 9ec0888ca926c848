package dev.cairn.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The event loops every load-generator connection runs on: epoll when the native transport
 * loads, NIO otherwise. Many connections share few threads; each connection's state is owned by
 * the one event-loop thread Netty pins its channel to.
 *
 * <p>Thread safety: create and close from one thread; {@link #bootstrap} may be used from any.
 */
final class Transport implements AutoCloseable {
    /** Writes beyond this many queued bytes mark the channel unwritable, which pauses publishers. */
    private static final int WRITE_BUFFER_HIGH_BYTES = 256 * 1024;

    private static final int WRITE_BUFFER_LOW_BYTES = 128 * 1024;

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final String name;

    private final Wire wire;

    Transport(int threadCount) {
        this(threadCount, Wire.of(Wire.Kind.TCP, null, null, 0));
    }

    /** Event loops whose connections speak {@code wire}. */
    Transport(int threadCount, Wire wire) {
        this.wire = wire;
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(threadCount, EpollIoHandler.newFactory());
            channelClass = EpollSocketChannel.class;
            name = "epoll";
        } else {
            group = new MultiThreadIoEventLoopGroup(threadCount, NioIoHandler.newFactory());
            channelClass = NioSocketChannel.class;
            name = "nio";
        }
    }

    String name() {
        return name;
    }

    Wire wire() {
        return wire;
    }

    EventLoopGroup group() {
        return group;
    }

    Bootstrap bootstrap(ChannelInitializer<Channel> initializer) {
        return new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
                .handler(initializer);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
