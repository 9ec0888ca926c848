package dev.cairn.broker.transport;

import dev.cairn.broker.admission.AcceptLimits;
import dev.cairn.broker.codec.MqttFrameDecoder;
import dev.cairn.broker.codec.MqttPacketEncoder;
import dev.cairn.broker.codec.Role;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.config.RuntimeLimits;
import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.reload.Reloadable;
import dev.cairn.broker.tls.HandshakeFailures;
import dev.cairn.broker.tls.ServerTls;
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
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The listeners ({@link BrokerConfig#listeners()}): one Netty server socket each, all on one pair
 * of event loop groups (epoll when available, NIO otherwise) and all feeding the same core; the
 * per-channel pipeline ({@code SslHandler} on a TLS listener; on a WebSocket listener the HTTP
 * codec and {@link WebSocketUpgrade}, which give way to the WebSocket frame codec and
 * {@link WebSocketFrames} once upgraded; then the frame decoder with the packet size limit, the
 * encoder and the command forwarder) and the connection count, which {@code connections_max}
 * bounds across all listeners; each listener's own limits ({@link AcceptLimits}) are judged at
 * accept, before the pipeline is built. A listener type is a different front of that one
 * pipeline, in front of the same MQTT codec. Started and stopped by {@code Broker}.
 */
public final class Listener {
    /** Core inbox depth at which channels stop reading until the core catches up. */
    private static final int INBOX_HIGH_DEPTH = 65_536;
    /** Per-connection outbound bytes beyond which the channel reports itself unwritable. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /** The largest body an upgrade request may carry (it needs none); a larger one is answered 413. */
    private static final int HTTP_REQUEST_BODY_MAX = 8192;

    private final BrokerConfig config;
    private final CoreLoop core;
    private final AtomicInteger openConnections = new AtomicInteger();
    /** connections_max, for the sockets accepted from now on; a reload sets it (applyLimits). */
    private volatile int connectionsMax;
    /** Each listener's accept-time limits, by listener name. */
    private final Map<String, AcceptLimits> acceptLimits = new LinkedHashMap<>();

    private final Consumer<Throwable> onThreadDeath;
    private volatile boolean shuttingDown;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private final List<Channel> serverChannels = new ArrayList<>();
    /** The TLS material of each TLS listener, by listener name. */
    private final Map<String, ServerTls> tls = new LinkedHashMap<>();
    /** Each TLS listener's failed-handshake log and count, by name; filled by start, read by any thread. */
    private final Map<String, HandshakeFailures> handshakeFailures = new ConcurrentHashMap<>();

    /**
     * @param onThreadDeath called (on the dying thread) when an I/O thread ends while the listener
     *     is not shutting down: Netty logs what ended it at WARN and lets the thread go, and the
     *     connections it served would hang with their sockets open
     * @throws dev.cairn.broker.config.ConfigException when a TLS listener's files cannot be used;
     *     the message names the key and the file
     */
    public Listener(BrokerConfig config, CoreLoop core, Consumer<Throwable> onThreadDeath) {
        this.config = config;
        this.core = core;
        this.onThreadDeath = onThreadDeath;
        this.connectionsMax = config.connectionsMax();
        for (ListenerConfig l : config.listeners()) {
            acceptLimits.put(l.name(), new AcceptLimits(l, System::nanoTime));
            if (l.type().tls()) {
                tls.put(l.name(), ServerTls.open(l));
            }
        }
    }

    /**
     * Reads every TLS listener's files as the listener would, without starting anything: a
     * config whose certificates or keys cannot be used is refused before the data directory opens.
     *
     * @throws dev.cairn.broker.config.ConfigException naming the key and the file
     */
    public static void checkTls(BrokerConfig config) {
        for (ListenerConfig l : config.listeners()) {
            if (l.type().tls()) {
                ServerTls.open(l);
            }
        }
    }

    /** The parts a reload re-reads: each TLS listener's material, in listener order. */
    public List<Reloadable> reloadables() {
        return List.copyOf(tls.values());
    }

    /** A listener and the address it is bound to (the real port when the config asked for 0). */
    public record Bound(ListenerConfig listener, InetSocketAddress address) {}

    public static int inboxHighDepth() {
        return INBOX_HIGH_DEPTH;
    }

    /** Sizes each connection's read buffers from what it read before; stateless, so shared. */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZING = new AdaptiveRecvByteBufAllocator();

    /** Binds every listener, in config order, and returns where each is bound. */
    public List<Bound> start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        bossGroup = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(
                ioThreads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        watchForDeath(bossGroup, "acceptor");
        watchForDeath(workerGroup, "I/O");
        Class<? extends ServerSocketChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        List<Bound> bound = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
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
                    .childHandler(pipeline(l));
            Channel channel = bootstrap.bind(l.bindAddress(), l.port()).sync().channel();
            serverChannels.add(channel);
            bound.add(new Bound(l, (InetSocketAddress) channel.localAddress()));
        }
        return bound;
    }

    private ChannelInitializer<SocketChannel> pipeline(ListenerConfig l) {
        AcceptLimits limits = acceptLimits.get(l.name());
        ServerTls serverTls = tls.get(l.name());
        HandshakeFailures failures = serverTls == null ? null : new HandshakeFailures(l.name(), System::nanoTime);
        if (failures != null) {
            handshakeFailures.put(l.name(), failures);
        }
        CertificateUsername certificateUsername =
                serverTls == null ? CertificateUsername.NONE : l.tls().certificateUsername();
        long handshakeTimeoutMillis = TimeUnit.SECONDS.toMillis(l.handshakeTimeoutSeconds());
        long upgradeDeadlineMillis = TimeUnit.SECONDS.toMillis(config.connectTimeoutSeconds());
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // The listener's own limits, before any byte is read: a refused socket costs no
                // handshake and reaches no core.
                if (!limits.admit(ch.remoteAddress().getAddress())) {
                    ch.close();
                    return;
                }
                ch.closeFuture().addListener(closed -> limits.release());
                if (serverTls != null) {
                    // The context current now: after a reload, new connections get the new material.
                    // The handshake runs on this channel's I/O thread (the JDK engine's tasks too).
                    SslHandler ssl = serverTls.context().newHandler(ch.alloc());
                    ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                    ch.pipeline().addLast("tls", ssl);
                }
                if (l.type().webSocket()) {
                    ch.pipeline().addLast("http", new HttpServerCodec());
                    ch.pipeline().addLast("http-request", new HttpObjectAggregator(HTTP_REQUEST_BODY_MAX));
                    // A frame may carry at most one packet of the largest size (and, coalesced, smaller ones).
                    ch.pipeline()
                            .addLast(
                                    "upgrade",
                                    new WebSocketUpgrade(
                                            l.webSocket(), config.packetSizeMaxBytes(), upgradeDeadlineMillis));
                }
                ch.pipeline().addLast("decoder", new MqttFrameDecoder(Role.SERVER, config.packetSizeMaxBytes(), null));
                ch.pipeline().addLast("encoder", MqttPacketEncoder.INSTANCE);
                ch.pipeline()
                        .addLast(
                                "core",
                                new MqttChannelHandler(
                                        core,
                                        openConnections,
                                        connectionsMax,
                                        INBOX_HIGH_DEPTH,
                                        l.name(),
                                        failures,
                                        certificateUsername,
                                        l.type().webSocket()));
            }
        };
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

    /** The I/O threads, for the broker's own client connections (bridges); only after {@link #start}. */
    public EventLoopGroup ioGroup() {
        if (workerGroup == null) {
            throw new IllegalStateException("the listeners have not started");
        }
        return workerGroup;
    }

    /** The client socket channel class the I/O threads serve: epoll's where it is available, else NIO's. */
    public static Class<? extends SocketChannel> clientChannelType() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Stops accepting new connections; existing ones stay until the core closes them. */
    public void stopAccepting() throws InterruptedException {
        shuttingDown = true;
        for (Channel channel : serverChannels) {
            channel.close().sync();
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

    /**
     * A reload's accept limits: {@code connections_max} and each listener's own, for sockets
     * accepted from now on; open connections stay. A listener {@code limits} does not name keeps
     * its limits. Any thread.
     */
    public void applyLimits(RuntimeLimits limits) {
        connectionsMax = limits.connectionsMax();
        limits.listeners().forEach((name, l) -> {
            AcceptLimits accept = acceptLimits.get(name);
            if (accept != null) {
                accept.update(l.connectionsMax(), l.connectionsPerSecondPerAddress());
            }
        });
    }

    public int openConnections() {
        return openConnections.get();
    }

    /**
     * New sockets the named listener closed at accept because of its own limits ({@code
     * listener.NAME.connections_max}, {@code connections_per_second_per_address}). Any thread.
     */
    public long connectionsRefused(String listenerName) {
        return acceptLimitsOf(listenerName).refused();
    }

    /** TLS handshakes that failed on the named listener; 0 for a listener without TLS. Any thread. */
    public long tlsHandshakeFailures(String listenerName) {
        acceptLimitsOf(listenerName);
        HandshakeFailures failures = handshakeFailures.get(listenerName);
        return failures == null ? 0 : failures.count();
    }

    private AcceptLimits acceptLimitsOf(String listenerName) {
        AcceptLimits limits = acceptLimits.get(listenerName);
        if (limits == null) {
            throw new IllegalArgumentException("no listener named " + listenerName);
        }
        return limits;
    }
}
