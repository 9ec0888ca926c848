package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.MqttFrameDecoder;
import dev.cairn.broker.codec.MqttPacketEncoder;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.Role;
import dev.cairn.protocol.Properties;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One asynchronous MQTT client connection of the load generator, built on the Cairn codec, over
 * the run's {@link Wire} (TCP, TLS or WebSockets). It
 * runs the client side of every QoS flow: PUBACK and PUBREC-PUBREL-PUBCOMP for what it
 * publishes, and PUBACK or PUBREC-(PUBREL)-PUBCOMP for what it receives. Outbound QoS>0
 * publishes are limited by an in-flight window (our own limit, lowered to the broker's Receive
 * Maximum in MQTT 5).
 *
 * <p>Thread safety: all state is owned by the channel's event loop. {@link #subscribe},
 * {@link #disconnect} and {@link #execute} may be called from any thread; every other method
 * only on {@link #eventLoop()}. Listener callbacks run on the event loop.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
    /** Events a connection reports; all are called on the connection's event loop. */
    interface Listener {
        /** A PUBLISH arrived; for QoS 2 only the first copy of a packet id before its PUBREL. */
        void onMessage(MqttConnection connection, Packet.Publish publish);

        /**
         * The broker answered our QoS>0 publish {@code packetId} (PUBACK, PUBREC, or an error in
         * either) with {@code reason}; {@link #onPublishCompleted} follows when the flow ends.
         */
        default void onPublishAcknowledged(MqttConnection connection, int packetId, ReasonCode reason) {}

        /** A QoS>0 publish of ours finished its flow, so the window has room again. */
        default void onPublishCompleted(MqttConnection connection) {}

        /** The channel drained below its low water mark. */
        default void onWritable(MqttConnection connection) {}
    }

    static final Listener NO_MESSAGES = (connection, publish) -> {};

    /** Largest packet we accept: generous, benchmarks use small payloads. */
    private static final int PACKET_SIZE_MAX_BYTES = 16 * 1024 * 1024;

    private static final int PACKET_ID_MAX = 65_535;

    /** Per-packet-id state of our outbound QoS>0 publishes; stored as bytes in {@link #outbound}. */
    private static final byte FREE = 0;

    private static final byte AWAITING_PUBACK = 1;
    private static final byte AWAITING_PUBREC = 2;
    private static final byte AWAITING_PUBCOMP = 3;
    private static final byte AWAITING_SUBACK = 4;

    private final ClientSettings settings;
    private final Listener listener;
    private final CompletableFuture<MqttConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final byte[] outbound = new byte[PACKET_ID_MAX + 1];
    private final boolean[] inboundAwaitingPubRel = new boolean[PACKET_ID_MAX + 1];
    private CompletableFuture<Void> pendingSubAck;
    private Channel channel;
    private ScheduledFuture<?> pingTask;
    private int windowMax;
    private int inflightCount;
    private int nextPacketId = 1;
    private boolean writtenSinceFlush;
    private boolean sessionPresent;
    private long completedCount;
    private long rejectedCount;

    private final boolean connectAfterUpgrade;

    private MqttConnection(ClientSettings settings, int windowMax, Listener listener, boolean connectAfterUpgrade) {
        this.settings = settings;
        this.windowMax = windowMax;
        this.listener = listener;
        this.connectAfterUpgrade = connectAfterUpgrade;
    }

    /**
     * Connects, sends CONNECT and completes once CONNACK accepts it.
     *
     * @param windowMax the most QoS>0 publishes this connection keeps unacknowledged
     */
    static CompletableFuture<MqttConnection> open(
            Transport transport, String host, int port, ClientSettings settings, int windowMax, Listener listener) {
        Wire wire = transport.wire();
        MqttConnection connection =
                new MqttConnection(settings, Math.min(windowMax, PACKET_ID_MAX), listener, wire.waitsForUpgrade());
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                wire.addHandlers(ch.pipeline(), host, port);
                ch.pipeline().addLast(new MqttFrameDecoder(Role.CLIENT, PACKET_SIZE_MAX_BYTES, settings.version()));
                ch.pipeline().addLast(MqttPacketEncoder.INSTANCE);
                ch.pipeline().addLast(connection);
            }
        };
        transport.bootstrap(initializer).connect(host, port).addListener(future -> {
            if (!future.isSuccess()) {
                connection.connected.completeExceptionally(future.cause());
                connection.closed.complete(null);
            }
        });
        return connection.connected;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    boolean sessionPresent() {
        return sessionPresent;
    }

    int inflightCount() {
        return inflightCount;
    }

    long completedCount() {
        return completedCount;
    }

    long rejectedCount() {
        return rejectedCount;
    }

    CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Whether one more publish of {@code qos} fits the window and the socket buffer. */
    boolean canPublish(QoS qos) {
        return channel.isWritable() && (qos == QoS.AT_MOST_ONCE || inflightCount < windowMax);
    }

    /**
     * Writes a PUBLISH without flushing; the caller checked {@link #canPublish} first. Returns its
     * packet id (0 for QoS 0).
     */
    int publish(String topic, QoS qos, byte[] payload) {
        assert channel.eventLoop().inEventLoop();
        int packetId = 0;
        if (qos != QoS.AT_MOST_ONCE) {
            packetId = allocatePacketId(qos == QoS.AT_LEAST_ONCE ? AWAITING_PUBACK : AWAITING_PUBREC);
            inflightCount++;
        }
        write(new Packet.Publish(topic, qos, false, false, packetId, Properties.EMPTY, payload));
        return packetId;
    }

    void flush() {
        if (writtenSinceFlush) {
            writtenSinceFlush = false;
            channel.flush();
        }
    }

    CompletableFuture<Void> subscribe(List<Packet.Subscription> subscriptions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            int packetId = allocatePacketId(AWAITING_SUBACK);
            pendingSubAck = done;
            write(new Packet.Subscribe(packetId, subscriptions, Properties.EMPTY));
            flush();
        });
        return done;
    }

    /** Sends DISCONNECT (normal: the will is not published) and closes. */
    CompletableFuture<Void> disconnect() {
        if (channel == null) {
            return closed;
        }
        execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY))
                        .addListener(f -> channel.close());
            }
        });
        return closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (!connectAfterUpgrade) {
            sendConnect(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (connectAfterUpgrade && Wire.isReady(event)) {
            sendConnect(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    private void sendConnect(ChannelHandlerContext ctx) {
        Properties properties = Properties.EMPTY;
        if (settings.version().isV5()) {
            properties = Properties.builder()
                    .sessionExpiryIntervalSeconds(
                            settings.sessionExpirySeconds() == 0 ? null : settings.sessionExpirySeconds())
                    .receiveMaximum(settings.receiveMaximum() == PACKET_ID_MAX ? null : settings.receiveMaximum())
                    .build();
        }
        boolean cleanStart = settings.sessionStart() == ClientSettings.SessionStart.CLEAN;
        ctx.writeAndFlush(new Packet.Connect(
                settings.version(),
                settings.clientId(),
                cleanStart,
                settings.keepAliveSeconds(),
                settings.username(),
                settings.password() == null ? null : settings.password().getBytes(StandardCharsets.UTF_8),
                null,
                properties));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecodeError) {
            fail(new IOException("undecodable packet from broker: " + ((DecodeError) msg).message()));
            return;
        }
        Packet packet = (Packet) msg;
        switch (packet.type()) {
            case CONNACK:
                onConnAck((Packet.ConnAck) packet);
                break;
            case PUBLISH:
                onPublish((Packet.Publish) packet);
                break;
            case PUBACK:
                onPubAck((Packet.PubAck) packet);
                break;
            case PUBREC:
                onPubRec((Packet.PubRec) packet);
                break;
            case PUBREL:
                onPubRel((Packet.PubRel) packet);
                break;
            case PUBCOMP:
                onPubComp((Packet.PubComp) packet);
                break;
            case SUBACK:
                onSubAck((Packet.SubAck) packet);
                break;
            case DISCONNECT:
                fail(new IOException("broker sent DISCONNECT " + ((Packet.Disconnect) packet).reason()));
                break;
            case PINGRESP:
            case UNSUBACK:
                break;
            default:
                fail(new IOException("unexpected " + packet.type() + " from broker"));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per read batch: acks written while handling the batch leave together.
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            listener.onWritable(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        IOException gone = new IOException("connection closed");
        connected.completeExceptionally(gone);
        if (pendingSubAck != null) {
            pendingSubAck.completeExceptionally(gone);
        }
        closed.complete(null);
    }

    private void onConnAck(Packet.ConnAck connAck) {
        if (connAck.reason().isError()) {
            fail(new IOException("CONNACK refused: " + connAck.reason()));
            return;
        }
        sessionPresent = connAck.sessionPresent();
        Integer brokerReceiveMaximum = connAck.properties().receiveMaximum();
        if (brokerReceiveMaximum != null) {
            windowMax = Math.min(windowMax, brokerReceiveMaximum);
        }
        int keepAliveSeconds = settings.keepAliveSeconds();
        Integer serverKeepAlive = connAck.properties().serverKeepAliveSeconds();
        if (serverKeepAlive != null) {
            keepAliveSeconds = serverKeepAlive;
        }
        if (keepAliveSeconds > 0) {
            // Half the keep-alive: a ping is always in time, whatever the broker's grace.
            long periodMillis = keepAliveSeconds * 500L;
            pingTask = channel.eventLoop()
                    .scheduleAtFixedRate(
                            () -> channel.writeAndFlush(new Packet.PingReq()),
                            periodMillis,
                            periodMillis,
                            TimeUnit.MILLISECONDS);
        }
        connected.complete(this);
    }

    private void onPublish(Packet.Publish publish) {
        switch (publish.qos()) {
            case AT_MOST_ONCE:
                listener.onMessage(this, publish);
                break;
            case AT_LEAST_ONCE:
                listener.onMessage(this, publish);
                write(new Packet.PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                break;
            case EXACTLY_ONCE:
                // Deliver on the first PUBLISH of a packet id; a resend before PUBREL is the same message.
                if (!inboundAwaitingPubRel[publish.packetId()]) {
                    inboundAwaitingPubRel[publish.packetId()] = true;
                    listener.onMessage(this, publish);
                }
                write(new Packet.PubRec(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                break;
            default:
                throw new IllegalStateException("unknown QoS " + publish.qos());
        }
    }

    private void onPubRel(Packet.PubRel pubRel) {
        inboundAwaitingPubRel[pubRel.packetId()] = false;
        write(new Packet.PubComp(pubRel.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }

    private void onPubAck(Packet.PubAck pubAck) {
        if (expect(pubAck.packetId(), AWAITING_PUBACK)) {
            listener.onPublishAcknowledged(this, pubAck.packetId(), pubAck.reason());
            complete(pubAck.packetId(), pubAck.reason());
        }
    }

    private void onPubRec(Packet.PubRec pubRec) {
        if (!expect(pubRec.packetId(), AWAITING_PUBREC)) {
            return;
        }
        listener.onPublishAcknowledged(this, pubRec.packetId(), pubRec.reason());
        if (pubRec.reason().isError()) {
            // An error PUBREC ends the exchange: no PUBREL follows (MQTT 5, 4.3.3).
            complete(pubRec.packetId(), pubRec.reason());
            return;
        }
        outbound[pubRec.packetId()] = AWAITING_PUBCOMP;
        write(new Packet.PubRel(pubRec.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }

    private void onPubComp(Packet.PubComp pubComp) {
        if (expect(pubComp.packetId(), AWAITING_PUBCOMP)) {
            complete(pubComp.packetId(), pubComp.reason());
        }
    }

    private void onSubAck(Packet.SubAck subAck) {
        if (!expect(subAck.packetId(), AWAITING_SUBACK)) {
            return;
        }
        outbound[subAck.packetId()] = FREE;
        CompletableFuture<Void> done = pendingSubAck;
        pendingSubAck = null;
        for (ReasonCode reason : subAck.reasons()) {
            if (reason.isError()) {
                done.completeExceptionally(new IOException("SUBACK refused: " + reason));
                return;
            }
        }
        done.complete(null);
    }

    private boolean expect(int packetId, byte state) {
        if (outbound[packetId] == state) {
            return true;
        }
        fail(new IOException("acknowledgement for packet id " + packetId + " in state " + outbound[packetId]));
        return false;
    }

    private void complete(int packetId, ReasonCode reason) {
        outbound[packetId] = FREE;
        inflightCount--;
        completedCount++;
        if (reason.isError()) {
            rejectedCount++;
        }
        listener.onPublishCompleted(this);
    }

    private int allocatePacketId(byte state) {
        // The window is at most 65535 and ids are freed on completion, so a free id exists.
        while (outbound[nextPacketId] != FREE) {
            nextPacketId = nextPacketId == PACKET_ID_MAX ? 1 : nextPacketId + 1;
        }
        int packetId = nextPacketId;
        outbound[packetId] = state;
        nextPacketId = nextPacketId == PACKET_ID_MAX ? 1 : nextPacketId + 1;
        return packetId;
    }

    private void write(Packet packet) {
        channel.write(packet, channel.voidPromise());
        writtenSinceFlush = true;
    }

    private void fail(Throwable cause) {
        connected.completeExceptionally(cause);
        if (pendingSubAck != null) {
            pendingSubAck.completeExceptionally(cause);
        }
        if (channel != null) {
            channel.close();
        }
    }
}
