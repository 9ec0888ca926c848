package dev.cairn.broker.bridge;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.MqttFrameDecoder;
import dev.cairn.broker.codec.MqttPacketEncoder;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.codec.Role;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.BridgeTopic;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.tls.ClientTls;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge to a remote broker, forwarding its {@code out} topics and bringing in its {@code in}
 * topics ({@code both}: the two) (ADR 0020). The bridge is a persistent session inside this broker,
 * client id {@code $bridge/NAME}, subscribed with No Local to the out topics' local filters: the
 * core queues every message the bridge must send exactly as for any persistent
 * session (journal record, index entry, queue limits, {@code queue_overflow}), and removes it only
 * when the bridge acknowledges it. This class is that session's client: while a remote connection
 * is up ({@link Link}), it connects the session to the core through the inbox as a connection of
 * {@link Origin#INTERNAL} origin, whose {@link BridgeWire} hands what the core sends to the remote
 * with the topic mapped ({@link BridgeTopic#toRemote}), keeping the local packet ids; the remote's
 * PUBACK, PUBREC and PUBCOMP go back to the core as the session's own. When the remote connection
 * ends the session is closed locally and goes on queueing on disk; the next link resumes it, and
 * the core re-sends what was in flight (PUBLISH with DUP, or PUBREL). The remote session persists
 * ({@code clean_start = false}), so the remote too knows which QoS 2 messages it has. The in topics
 * are the remote session's subscriptions; what arrives on them the session publishes here ({@link
 * BridgeInbound}), acknowledged to the remote only after the journal sync. No Local on both sides
 * (and on a 3.1.1 link the bridge marker of {@code try_private}) keeps a {@code both} line's messages
 * from coming back.
 *
 * <p>Threads: {@link #register} and {@link #start} on the thread that starts the broker; after
 * that every field but the configuration is owned by the bridge's event loop, one of the broker's
 * I/O threads, fixed for the bridge's life; {@link #stop} hands its work to it. The core reaches the bridge only through {@link BridgeWire}, which posts to that loop.
 */
public final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** The packet id of the local SUBSCRIBE; the local side sends nothing else with an id. */
    private static final int SUBSCRIBE_PACKET_ID = 1;

    private final BridgeConfig config;
    private final CoreLoop core;
    private volatile EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    private final int packetSizeMaxBytes;
    private final int inflightOutboundMax;
    private final int inflightInboundMax;
    /** The out (and both) topic lines, in line order, with their local filters parsed. */
    private final List<BridgeTopic> outTopics = new ArrayList<>();

    private final List<TopicFilter> filters = new ArrayList<>();
    private final BridgeInbound.Lines inLines;
    /** TLS towards the remote ({@link ClientTls}), or null for plain TCP. */
    private final SslContext tls;

    private final BridgeStatus status;

    private boolean stopped;
    /** Whether some link reached CONNACK since this broker started. */
    private boolean linkedBefore;
    /** A remote refused the CONNECT marked as a bridge's (try_private): later attempts go unmarked. */
    private boolean privateRefused;

    private int addressIndex;
    private int failuresInRow;
    private Link link;
    private ScheduledFuture<?> retry;

    /** The phases of one remote connection. */
    enum LinkState {
        CONNECTING,
        AWAITING_CONNACK,
        LINKED,
        CLOSED
    }

    /**
     * One remote connection and the local connection of the session that lives with it. Event
     * loop only, but for {@link #channel()} and {@link #address()}, which never change.
     */
    final class Link {
        private final BridgeConfig.Address address;
        private Channel channel;
        private LinkState state = LinkState.CONNECTING;
        private Connection local;
        private ScheduledFuture<?> connectTimeout;
        private ScheduledFuture<?> ping;
        private long lastReadNanos = System.nanoTime();
        /** QoS 2 messages acknowledged locally without forwarding, whose PUBREL is answered here. */
        private final Set<Integer> droppedQos2 = new HashSet<>();
        /** Whether the CONNECT carried the bridge marker (protocol level bit 0x80). */
        private boolean marked;
        /** The in side of this link once linked; null without in topics. */
        private BridgeInbound inbound;

        Link(BridgeConfig.Address address) {
            this.address = address;
        }

        Channel channel() {
            return channel;
        }

        BridgeConfig.Address address() {
            return address;
        }
    }

    /**
     * @param channelType the socket channel class that loop's transport serves (epoll or NIO)
     * @param inflightInboundMax the core's Receive Maximum: the in side's window towards the remote
     * @param tls the bridge's TLS context ({@link ClientTls#open}), or null for plain TCP
     */
    public Bridge(
            BridgeConfig config,
            CoreLoop core,
            Class<? extends SocketChannel> channelType,
            int packetSizeMaxBytes,
            int inflightOutboundMax,
            int inflightInboundMax,
            SslContext tls) {
        this.config = config;
        this.tls = tls;
        this.status = new BridgeStatus(config.name());
        this.core = core;
        this.channelType = channelType;
        this.packetSizeMaxBytes = packetSizeMaxBytes;
        this.inflightOutboundMax = inflightOutboundMax;
        this.inflightInboundMax = inflightInboundMax;
        for (BridgeTopic t : config.topics()) {
            if (t.direction().sendsOut()) {
                outTopics.add(t);
                filters.add(t.localTopicFilter());
            }
        }
        this.inLines = new BridgeInbound.Lines(config);
    }

    public String name() {
        return config.name();
    }

    /** The link side of the bridge's status, for the metrics and the admin API; any thread reads it. */
    public BridgeStatus status() {
        return status;
    }

    /**
     * Starts connecting to the first address on {@code loop}, the broker I/O thread the bridge
     * runs on from now on; call once, after {@link #register}.
     */
    public void start(EventLoop loop) {
        this.loop = loop;
        loop.execute(this::connect);
    }

    /**
     * Ends the remote connection with DISCONNECT and closes the local session's connection (its
     * queue stays); no reconnect follows. Any thread; waits up to {@code timeoutMillis}.
     */
    public void stop(long timeoutMillis) throws InterruptedException {
        if (loop == null || loop.isShuttingDown()) {
            return;
        }
        loop.submit(() -> {
                    stopped = true;
                    if (retry != null) {
                        retry.cancel(false);
                    }
                    if (link != null && link.state != LinkState.CLOSED) {
                        Link l = link;
                        boolean linked = l.state == LinkState.LINKED;
                        end(l);
                        if (linked) {
                            l.channel.writeAndFlush(disconnect());
                        }
                        l.channel.close();
                        status.unlinked("the broker stopped", false);
                        LOG.info("bridge {} stopped; disconnected from {}", name(), l.address);
                    }
                })
                .await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        Link l = new Link(config.addresses().get(addressIndex));
        l.marked = !config.protocol5() && config.tryPrivate() && !privateRefused;
        link = l;
        status.connecting(l.address);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutSeconds() * 1000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // The host is the one the certificate must name, and the SNI sent.
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), l.address.host(), l.address.port()));
                        }
                        ch.pipeline().addLast(new MqttFrameDecoder(Role.CLIENT, packetSizeMaxBytes, version()));
                        if (l.marked) {
                            ch.pipeline().addLast(new BridgeMarker());
                        }
                        ch.pipeline().addLast(MqttPacketEncoder.INSTANCE).addLast(new RemoteHandler(l));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(l.address.host(), l.address.port());
        l.channel = connecting.channel();
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                failed(l, "cannot connect: " + done.cause().getMessage());
            }
        });
        l.connectTimeout = loop.schedule(
                () -> {
                    if (l.state == LinkState.CONNECTING || l.state == LinkState.AWAITING_CONNACK) {
                        failed(l, "no CONNACK within connect_timeout_seconds (" + config.connectTimeoutSeconds() + ")");
                    }
                },
                config.connectTimeoutSeconds(),
                TimeUnit.SECONDS);
    }

    private ProtocolVersion version() {
        return config.protocol5() ? ProtocolVersion.MQTT_5 : ProtocolVersion.MQTT_3_1_1;
    }

    /** The remote's Netty handler: packets and events of one remote connection, on the loop. */
    private final class RemoteHandler extends ChannelInboundHandlerAdapter {
        private final Link l;

        RemoteHandler(Link l) {
            this.l = l;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (l.state != LinkState.CONNECTING) {
                return;
            }
            l.state = LinkState.AWAITING_CONNACK;
            ctx.writeAndFlush(remoteConnect());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            l.lastReadNanos = System.nanoTime();
            if (msg instanceof DecodeError error) {
                failed(l, "malformed packet from the remote: " + error);
                return;
            }
            fromRemote(l, (Packet) msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && l.state == LinkState.LINKED) {
                core.submit(new Command.Writable(l.local)); // [MQTT-4.9.0-1] is the window; this is the socket.
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failed(l, "connection closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(l, ClientTls.describe(cause));
        }
    }

    private Packet.Connect remoteConnect() {
        Properties properties = Properties.EMPTY;
        if (config.protocol5()) {
            // Receive Maximum: the remote sends the in side no more unacknowledged messages than
            // the core takes from one session [MQTT-3.3.4-9].
            properties = Properties.builder()
                    .sessionExpiryIntervalSeconds(config.cleanStart() ? 0L : config.sessionExpirySeconds())
                    .maximumPacketSizeBytes((long) packetSizeMaxBytes)
                    .receiveMaximum(inflightInboundMax)
                    .build();
        }
        return new Packet.Connect(
                version(),
                config.clientId(),
                config.cleanStart(),
                config.keepAliveSeconds(),
                config.username(),
                config.password() == null ? null : config.password().getBytes(StandardCharsets.UTF_8),
                null,
                properties);
    }

    private void fromRemote(Link l, Packet packet) {
        if (l.state == LinkState.CLOSED) {
            return;
        }
        if (l.state == LinkState.AWAITING_CONNACK) {
            if (!(packet instanceof Packet.ConnAck connAck)) {
                failed(l, packet.type() + " before CONNACK [MQTT-3.2.0-1]");
            } else if (l.marked && connAck.reason() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // As mosquitto's bridge: a remote that does not know the marker gets plain 3.1.1 from now on.
                privateRefused = true;
                failed(
                        l,
                        "the remote refused the bridge marker of try_private (CONNACK 0x01); the next attempts connect"
                                + " without it, so the remote may send the bridge its own messages back");
            } else if (connAck.reason().isError()) {
                failed(
                        l,
                        "the remote refused the CONNECT of client id '" + config.clientId() + "' [" + connAck.reason()
                                + "]");
            } else {
                linked(l, connAck);
            }
            return;
        }
        switch (packet.type()) {
            case PUBACK:
                Packet.PubAck ack = (Packet.PubAck) packet;
                status.acknowledged();
                core.submit(new Command.PacketReceived(l.local, ack));
                break;
            case PUBREC:
                core.submit(new Command.PacketReceived(l.local, packet));
                break;
            case PUBCOMP:
                status.acknowledged();
                core.submit(new Command.PacketReceived(l.local, packet));
                break;
            case PINGRESP:
            case UNSUBACK:
                break;
            case SUBACK:
                remoteSubAck(l, (Packet.SubAck) packet);
                break;
            case PUBLISH:
                if (l.inbound != null) {
                    l.inbound.onPublish((Packet.Publish) packet);
                    break;
                }
                // No in topic, but a remote session made by an older configuration may still
                // deliver: acknowledge and drop it.
                Packet.Publish p = (Packet.Publish) packet;
                LOG.warn(
                        "bridge {}: the remote sent a message on {} though the bridge subscribes to nothing there;"
                                + " dropped",
                        name(),
                        p.topic());
                if (p.qos() == QoS.AT_LEAST_ONCE) {
                    l.channel.writeAndFlush(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                } else if (p.qos() == QoS.EXACTLY_ONCE) {
                    l.channel.writeAndFlush(new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                break;
            case PUBREL:
                Packet.PubRel rel = (Packet.PubRel) packet;
                if (l.inbound != null) {
                    l.inbound.onPubRel(rel);
                } else {
                    l.channel.writeAndFlush(new Packet.PubComp(rel.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                break;
            case DISCONNECT:
                failed(l, "the remote disconnected [" + ((Packet.Disconnect) packet).reason() + "]");
                break;
            default:
                failed(l, "unexpected " + packet.type() + " from the remote");
                break;
        }
    }

    /**
     * The remote accepted the CONNECT: connect the local session, with a window of the remote's
     * Receive Maximum [MQTT-3.3.4-9] and our max_inflight, and (re)subscribe the out topics.
     */
    private void linked(Link l, Packet.ConnAck connAck) {
        l.state = LinkState.LINKED;
        l.connectTimeout.cancel(false);
        failuresInRow = 0;
        Properties remote = connAck.properties();
        int receiveMaximum = remote.receiveMaximum() == null ? 65_535 : remote.receiveMaximum();
        int window = Math.min(Math.min(config.maxInflight(), receiveMaximum), inflightOutboundMax);
        int remoteQosMax = remote.maximumQos() == null ? 2 : remote.maximumQos();
        status.linked(l.address);
        String held = status.mayLogLink();
        if (held != null) {
            LOG.info(
                    "bridge {} connected to {} as '{}' (remote session present {}, window {}){}",
                    name(),
                    l.address,
                    config.clientId(),
                    connAck.sessionPresent(),
                    window,
                    held);
        }
        if (linkedBefore && !config.cleanStart() && !connAck.sessionPresent()) {
            // The remote forgot the bridge's session (expired, or a remote without persistence):
            // what it held of unfinished QoS 2 flows is gone with it, and the core re-sends
            // what is in flight as it stood (docs/operations.md, "Bridges").
            LOG.warn(
                    "bridge {}: the remote at {} has no session for '{}' any more; QoS 2 messages whose PUBREL"
                            + " was pending may be lost there",
                    name(),
                    l.address,
                    config.clientId());
        }
        linkedBefore = true;
        l.local = new Connection(new BridgeWire(core.outbox(), this, l), Origin.INTERNAL, System.nanoTime());
        connectLocal(l.local, window, remote.maximumPacketSizeBytes(), remoteQosMax);
        if (!inLines.isEmpty()) {
            // The core's CONNECT is in the inbox before any PUBLISH of the remote can follow it.
            l.inbound = new BridgeInbound(
                    name(), inLines, core, l.channel, l.local, inflightInboundMax, config.protocol5());
            l.channel.writeAndFlush(inLines.subscribe(config.protocol5()));
        }
        // A 5.0 server may set the keep alive the client must use instead of its own [MQTT-3.2.2-21].
        int keepAlive = remote.serverKeepAliveSeconds() != null && remote.serverKeepAliveSeconds() > 0
                ? remote.serverKeepAliveSeconds()
                : config.keepAliveSeconds();
        long keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAlive);
        l.ping = loop.scheduleAtFixedRate(
                () -> {
                    if (System.nanoTime() - l.lastReadNanos > keepAliveNanos * 3 / 2) {
                        failed(l, "nothing from the remote for 1.5 times keepalive_seconds");
                    } else {
                        l.channel.writeAndFlush(new Packet.PingReq());
                    }
                },
                keepAlive,
                keepAlive,
                TimeUnit.SECONDS);
    }

    /**
     * Opens the local session's connection on the core, CONNECT (clean start 0, never expiring:
     * the queue outlives any outage) and SUBSCRIBE of every out topic's local filter, as inbox
     * commands that the core applies in order.
     *
     * @param packetSizeMax the remote's Maximum Packet Size, or null
     * @param qosMax the highest QoS the remote takes [MQTT-3.2.2-11]
     */
    private void connectLocal(Connection local, int window, Long packetSizeMax, int qosMax) {
        Properties.Builder properties = Properties.builder()
                .sessionExpiryIntervalSeconds(Session.NEVER_EXPIRES)
                .receiveMaximum(window);
        if (packetSizeMax != null) {
            // The core then never sends the session a message the remote would refuse [MQTT-3.1.2-24].
            properties.maximumPacketSizeBytes(packetSizeMax);
        }
        core.submit(new Command.Opened(local));
        core.submit(new Command.PacketReceived(
                local,
                new Packet.Connect(
                        ProtocolVersion.MQTT_5,
                        config.sessionClientId(),
                        false,
                        0,
                        null,
                        null,
                        null,
                        properties.build())));
        List<Packet.Subscription> subscriptions = new ArrayList<>();
        for (BridgeTopic t : outTopics) {
            // Retain As Published: a retained message reaches the remote retained. Retain Handling 1:
            // the retained messages go once, when the subscription is new, not at every reconnect.
            // No Local: what this session publishes (an in or both line's message) is not queued
            // for it again [MQTT-3.8.3-3], so a both line does not send it back to the remote.
            subscriptions.add(new Packet.Subscription(
                    t.localFilter(),
                    QoS.fromValue(Math.min(t.qos(), qosMax)),
                    true,
                    true,
                    RetainHandling.SEND_IF_NEW_SUBSCRIPTION));
        }
        if (!subscriptions.isEmpty()) { // A SUBSCRIBE without topic filters is malformed [MQTT-3.8.3-2].
            core.submit(new Command.PacketReceived(
                    local, new Packet.Subscribe(SUBSCRIBE_PACKET_ID, subscriptions, Properties.EMPTY)));
        }
    }

    /**
     * Makes sure the bridge's session exists, with its subscriptions, before any client can
     * publish: connects it on the core and closes it again at once, through a wire that is never
     * writable (so nothing goes in flight) and drops what it gets. Call after the core started
     * and before the listeners accept connections: from then on every message on an out topic
     * is queued for the bridge, whether the remote was ever reached or not. Any thread.
     */
    public void register() {
        Connection local = new Connection(
                new RegistrationWire(core.outbox(), "bridge " + name() + " (registration)"),
                Origin.INTERNAL,
                System.nanoTime());
        connectLocal(local, config.maxInflight(), null, 2);
        core.submit(new Command.Closed(local));
    }

    /**
     * What the core sent the local session, released by the sync that made it durable; forwarded
     * to the remote in order, with one flush. Dropped when its link has ended: the core has
     * closed that connection by now (or will), and re-sends what was in flight on the next.
     */
    void fromCore(Link l, List<Packet> packets, boolean close) {
        if (l != link || l.state != LinkState.LINKED) {
            return;
        }
        for (Packet packet : packets) {
            switch (packet.type()) {
                case CONNACK:
                    Packet.ConnAck connAck = (Packet.ConnAck) packet;
                    if (connAck.reason().isError()) {
                        LOG.warn(
                                "bridge {}: the local session {} was refused [{}]",
                                name(),
                                config.sessionClientId(),
                                connAck.reason());
                    }
                    break;
                case SUBACK:
                    List<ReasonCode> reasons = ((Packet.SubAck) packet).reasons();
                    for (int i = 0; i < reasons.size(); i++) {
                        if (reasons.get(i).isError()) {
                            LOG.warn(
                                    "bridge {}: the local subscription to {} was refused [{}]",
                                    name(),
                                    outTopics.get(i).localFilter(),
                                    reasons.get(i));
                        }
                    }
                    break;
                case PUBLISH:
                    forward(l, (Packet.Publish) packet);
                    break;
                case PUBREL:
                    Packet.PubRel rel = (Packet.PubRel) packet;
                    if (l.droppedQos2.remove(rel.packetId())) {
                        core.submit(new Command.PacketReceived(
                                l.local, new Packet.PubComp(rel.packetId(), ReasonCode.SUCCESS, Properties.EMPTY)));
                    } else {
                        l.channel.write(new Packet.PubRel(rel.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                    }
                    break;
                case PUBACK:
                case PUBREC:
                case PUBCOMP:
                    String refused = l.inbound == null ? null : l.inbound.onCoreAck(packet);
                    if (refused != null) {
                        l.channel.flush();
                        failed(l, refused);
                        return;
                    }
                    break;
                default:
                    break; // DISCONNECT (the broker stops: close below), PINGRESP, UNSUBACK.
            }
        }
        l.channel.flush();
        if (close) {
            Link ended = l;
            end(ended);
            ended.channel.writeAndFlush(disconnect());
            ended.channel.close();
            status.unlinked("the local session's connection was closed", true);
            String held = status.mayLogLink();
            if (held != null) {
                LOG.info(
                        "bridge {}: the local session's connection was closed; disconnected from {}{}",
                        name(),
                        l.address,
                        held);
            }
            scheduleRetry();
        }
    }

    /** The remote's answer to the in topics' SUBSCRIBE: a refused line is a WARN, the others work. */
    private void remoteSubAck(Link l, Packet.SubAck ack) {
        List<ReasonCode> reasons = ack.reasons();
        for (int i = 0; i < reasons.size(); i++) {
            if (reasons.get(i).isError()) {
                LOG.warn(
                        "bridge {}: the remote at {} refused the subscription to {} [{}]; nothing comes in on it",
                        name(),
                        l.address,
                        inLines.get(i).remoteFilter(),
                        reasons.get(i));
            }
        }
    }

    /** A message of the local queue to the remote: its topic mapped, its packet id and flags kept. */
    private void forward(Link l, Packet.Publish p) {
        BridgeTopic topic = topicOf(p.topic());
        if (topic == null) {
            dropUnmapped(l, p);
            return;
        }
        Properties properties = config.protocol5() ? p.properties() : Properties.EMPTY;
        status.sent();
        l.channel.write(new Packet.Publish(
                topic.toRemote(p.topic()), p.qos(), p.retain(), p.dup(), p.packetId(), properties, p.payload()));
    }

    /** The first topic line whose local filter matches, as mosquitto picks; null when none does. */
    private BridgeTopic topicOf(String topic) {
        TopicName name;
        try {
            name = TopicName.parse(topic, TopicLimits.PROTOCOL);
        } catch (InvalidTopicException e) {
            throw new IllegalStateException("the core delivered an invalid topic: " + e.getMessage(), e);
        }
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i).matches(name)) {
                return config.topics().get(i);
            }
        }
        return null;
    }

    /**
     * A message on a subscription the configuration no longer has (a topic line was removed while
     * the session kept it): acknowledged locally so the queue moves on, and dropped.
     */
    private void dropUnmapped(Link l, Packet.Publish p) {
        LOG.warn("bridge {}: no topic line forwards {} any more; message dropped", name(), p.topic());
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            core.submit(new Command.PacketReceived(
                    l.local, new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY)));
        } else if (p.qos() == QoS.EXACTLY_ONCE) {
            l.droppedQos2.add(p.packetId());
            core.submit(new Command.PacketReceived(
                    l.local, new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY)));
        }
    }

    private Packet.Disconnect disconnect() {
        return new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);
    }

    /** The link failed: close it, let the local session go offline (it keeps queueing), retry later. */
    private void failed(Link l, String why) {
        if (l != link || l.state == LinkState.CLOSED) {
            return;
        }
        boolean wasLinked = l.state == LinkState.LINKED;
        end(l);
        l.channel.close();
        if (stopped) {
            return;
        }
        if (!wasLinked) {
            addressIndex = (addressIndex + 1) % config.addresses().size();
        }
        long delay = scheduleRetry();
        status.unlinked(why, true);
        String held = wasLinked ? status.mayLogLink() : status.mayLogAttempt();
        if (held != null) {
            LOG.warn(
                    "bridge {}: {} {}: {}; retrying in {} ms{}{}",
                    name(),
                    wasLinked ? "link to" : "connecting to",
                    l.address,
                    why,
                    delay,
                    config.addresses().size() > 1
                            ? " with " + config.addresses().get(addressIndex)
                            : "",
                    held);
        }
    }

    /** Marks the link ended and closes the local session's connection: the session stays and queues. */
    private void end(Link l) {
        l.state = LinkState.CLOSED;
        if (l.connectTimeout != null) {
            l.connectTimeout.cancel(false);
        }
        if (l.ping != null) {
            l.ping.cancel(false);
        }
        if (l.local != null) {
            core.submit(new Command.Closed(l.local));
        }
    }

    /** Reconnects after the back-off: restart_timeout_initial_millis, doubled per failure in a row, capped. */
    private long scheduleRetry() {
        if (stopped) {
            return 0;
        }
        failuresInRow++;
        long delay = config.restartInitialMillis() << Math.min(failuresInRow - 1, 20);
        delay = Math.min(delay, config.restartMaxMillis());
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        return delay;
    }
}
