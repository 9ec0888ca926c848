package dev.cairn.broker.session;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketEncoder;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.DeliverySink;
import dev.cairn.broker.delivery.Message;
import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol state of one network connection: what the CONNECT negotiated (version, keep alive,
 * the client's receive maximum, maximum packet size and topic alias maximum), topic aliases in
 * both directions, the will and the session it is bound to. Created by the transport when the
 * socket opens; every field after that is read and written on the core thread only.
 */
public final class Connection implements DeliverySink {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Wire wire;
    private final Origin origin;
    private final long openedAtNanos;
    /** The username the connection authenticated as: the certificate's or the CONNECT's; null when anonymous. */
    private String username;

    private ConnectionPhase phase = ConnectionPhase.AWAITING_CONNECT;
    private ProtocolVersion version;
    private Session session;
    private int keepAliveSeconds;
    private long lastPacketAtNanos;
    private int clientReceiveMaximum = 65_535;
    private long clientPacketSizeMaxBytes = Long.MAX_VALUE;
    private int clientTopicAliasMax;
    /** Topics by inbound alias, grown on first use: most clients never set an alias. */
    private static final String[] NO_ALIASES = new String[0];

    private String[] inboundAliases = NO_ALIASES;
    private int inboundAliasMax;
    /** Created at the first alias assigned: most connections never use topic aliases. */
    private Map<String, Integer> outboundAliases;

    private WillMessage will;
    /** Packets received while the CONNECT's credentials were being verified, in order. */
    private List<Packet> held;
    /** What ends this connection's hold on its verified credentials; run once, at close. */
    private Runnable authRelease;
    /** The order in which the core received this connection's CONNECT among all CONNECTs. */
    private long connectSequence;
    /** The CONNECT's Authentication Method (MQTT 5 enhanced authentication), or null: for the connection's life. */
    private String authMethod;
    /** What the client's next AUTH 0x18 goes to while the server waits for one; null otherwise. */
    private Consumer<byte[]> authStep;
    /** When the server began to wait for that AUTH (core clock). */
    private long authStepSinceNanos;
    /** Whether a step of an enhanced-authentication exchange is being worked on (the auth pool). */
    private boolean authRunning;

    private long connectSessionExpirySeconds;
    private boolean bridge;
    private long nowNanos;
    private long droppedTooLargeCount;

    public Connection(Wire wire, long openedAtNanos) {
        this(wire, Origin.DEFAULT, openedAtNanos);
    }

    public Connection(Wire wire, Origin origin, long openedAtNanos) {
        this.wire = wire;
        this.origin = origin;
        this.openedAtNanos = openedAtNanos;
        this.lastPacketAtNanos = openedAtNanos;
    }

    public Wire wire() {
        return wire;
    }

    /** The listener this connection came in on, and the username its certificate gives. */
    public Origin origin() {
        return origin;
    }

    /** The username the session acts as (null: anonymous); set when the CONNECT is accepted. */
    public String username() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public long openedAtNanos() {
        return openedAtNanos;
    }

    public ConnectionPhase phase() {
        return phase;
    }

    public ProtocolVersion version() {
        return version;
    }

    public boolean isV5() {
        return version == ProtocolVersion.MQTT_5;
    }

    public Session session() {
        return session;
    }

    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public long lastPacketAtNanos() {
        return lastPacketAtNanos;
    }

    public int clientReceiveMaximum() {
        return clientReceiveMaximum;
    }

    public long clientPacketSizeMaxBytes() {
        return clientPacketSizeMaxBytes;
    }

    public int clientTopicAliasMax() {
        return clientTopicAliasMax;
    }

    public WillMessage will() {
        return will;
    }

    /**
     * Whether the client said in its 3.x CONNECT that it is a bridge (protocol level bit 0x80):
     * its subscriptions are then No Local and Retain As Published, as mosquitto treats them.
     */
    public boolean isBridge() {
        return bridge;
    }

    public long connectSessionExpirySeconds() {
        return connectSessionExpirySeconds;
    }

    public void send(Packet packet) {
        if (fitsClient(packet)) {
            wire.send(packet);
        }
    }

    /** Sends a packet that depends on no journal record of this turn ({@link Wire#sendIndependent}). */
    public void sendIndependent(Packet packet) {
        if (fitsClient(packet)) {
            wire.sendIndependent(packet);
        }
    }

    /**
     * The 5.0 client's Maximum Packet Size bounds every packet we send it [MQTT-3.1.2-24]. A
     * PUBLISH that does not fit is discarded as if delivered [MQTT-3.1.2-25] ({@link #sendPublish});
     * this is for every other packet. The spec lets a server drop a Reason String and User
     * Properties to make one fit ([MQTT-3.4.2-2], [MQTT-3.4.2-3] and the like for each packet),
     * but ours carry none, so there is nothing to drop: a SUBACK with more reason codes than the
     * client can take, say, cannot be sent at all, and without it the client would wait forever.
     * The connection is closed instead, without the packet, and the core ends it when the channel
     * reports the close, publishing the will as for any close without DISCONNECT.
     */
    private boolean fitsClient(Packet packet) {
        if (clientPacketSizeMaxBytes == Long.MAX_VALUE) {
            return true;
        }
        int size = PacketEncoder.encodedSize(packet, version);
        if (size <= clientPacketSizeMaxBytes) {
            return true;
        }
        LOG.info(
                "closing connection {} ({}): a {} of {} bytes exceeds the client's Maximum Packet Size of {}"
                        + " [MQTT-3.1.2-24]",
                wire.id(),
                session == null ? "no session" : session.clientId(),
                packet.type(),
                size,
                clientPacketSizeMaxBytes);
        wire.close();
        return false;
    }

    public void touch(long nowNanos) {
        lastPacketAtNanos = nowNanos;
    }

    /** The CONNECT (the {@code sequence}th the core received) waits for its credentials to be verified. */
    public void startAuthenticating(long sequence) {
        transition(ConnectionPhase.AWAITING_CONNECT, ConnectionPhase.AUTHENTICATING);
        connectSequence = sequence;
    }

    /** The CONNECT is refused, its CONNACK delayed; what was held is dropped [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6]). */
    public void startRefusing() {
        if (phase == ConnectionPhase.AWAITING_CONNECT) {
            transition(ConnectionPhase.AWAITING_CONNECT, ConnectionPhase.REFUSING);
        } else {
            transition(ConnectionPhase.AUTHENTICATING, ConnectionPhase.REFUSING);
        }
        held = null;
    }

    private void transition(ConnectionPhase from, ConnectionPhase to) {
        if (phase != from) {
            throw new IllegalStateException("connection " + wire.id() + " is " + phase + ", not " + from);
        }
        phase = to;
    }

    /**
     * Holds a packet that arrived while the CONNECT was being verified; false (nothing held) if
     * {@code max} are held already.
     */
    public boolean hold(Packet packet, int max) {
        assert phase == ConnectionPhase.AUTHENTICATING : phase;
        if (held == null) {
            held = new ArrayList<>();
        }
        if (held.size() >= max) {
            return false;
        }
        held.add(packet);
        return true;
    }

    /** The held packets, in arrival order, now no longer held. */
    public List<Packet> takeHeld() {
        List<Packet> out = held == null ? List.of() : held;
        held = null;
        return out;
    }

    /** The CONNECT's Authentication Method, or null when it used none. */
    public String authMethod() {
        return authMethod;
    }

    public void setAuthMethod(String method) {
        authMethod = method;
    }

    /** The server sent AUTH 0x18 and waits for the client's answer, which goes to {@code step}. */
    public void awaitAuth(Consumer<byte[]> step, long nowNanos) {
        authStep = step;
        authStepSinceNanos = nowNanos;
    }

    /** Whether the server waits for the client's AUTH 0x18. */
    public boolean awaitsAuth() {
        return authStep != null;
    }

    /** Since when the server waits for the client's AUTH ({@link #awaitsAuth}). */
    public long authStepSinceNanos() {
        return authStepSinceNanos;
    }

    /** What the awaited AUTH goes to, now no longer awaited; null when none is. */
    public Consumer<byte[]> takeAuthStep() {
        Consumer<byte[]> step = authStep;
        authStep = null;
        return step;
    }

    public boolean authRunning() {
        return authRunning;
    }

    public void setAuthRunning(boolean running) {
        authRunning = running;
    }

    /**
     * A re-authentication succeeded: the hold of the credentials it replaces ends now, the new
     * one's at close.
     */
    public void replaceAuthRelease(Runnable release) {
        releaseAuth();
        authRelease = release;
    }

    /** What to run when this connection ends ({@code Authenticator.Outcome#release}). */
    public void setAuthRelease(Runnable release) {
        assert authRelease == null;
        authRelease = release;
    }

    /** Runs the credentials' release, once. */
    public void releaseAuth() {
        Runnable r = authRelease;
        authRelease = null;
        if (r != null) {
            r.run();
        }
    }

    public long connectSequence() {
        return connectSequence;
    }

    /** Records what CONNECT negotiated and binds the connection to its session. */
    public void accept(Negotiated n, Session boundSession, long sequence) {
        assert phase == ConnectionPhase.AWAITING_CONNECT || phase == ConnectionPhase.AUTHENTICATING : phase;
        connectSequence = sequence;
        phase = ConnectionPhase.CONNECTED;
        version = n.version();
        keepAliveSeconds = n.keepAliveSeconds();
        clientReceiveMaximum = n.clientReceiveMaximum();
        clientPacketSizeMaxBytes = n.clientPacketSizeMaxBytes();
        clientTopicAliasMax = n.clientTopicAliasMax();
        inboundAliasMax = n.serverTopicAliasMax();
        will = n.will();
        connectSessionExpirySeconds = n.connectSessionExpirySeconds();
        bridge = n.bridge();
        session = boundSession;
    }

    /** Marks the connection closed; returns false if it already was (close is idempotent). */
    public boolean markClosed() {
        if (phase == ConnectionPhase.CLOSED) {
            return false;
        }
        phase = ConnectionPhase.CLOSED;
        return true;
    }

    public void clearWill() {
        will = null;
    }

    public void detachSession() {
        session = null;
    }

    /** The topic for an inbound alias, or null if the alias was never set on this connection. */
    public String inboundAlias(int alias) {
        return alias < inboundAliases.length ? inboundAliases[alias] : null;
    }

    public boolean isInboundAliasInRange(int alias) {
        return alias >= 1 && alias <= inboundAliasMax;
    }

    public void setInboundAlias(int alias, String topic) {
        if (alias >= inboundAliases.length) {
            inboundAliases = java.util.Arrays.copyOf(
                    inboundAliases, Math.min(inboundAliasMax + 1, Math.max(alias + 1, inboundAliases.length * 2)));
        }
        inboundAliases[alias] = topic;
    }

    /**
     * The alias to send a topic with: an existing one (then the topic can be sent empty), a new
     * one while aliases remain (sent with the topic, to establish it), or 0 for none.
     * Returns a negative number for a newly assigned alias.
     */
    public int outboundAlias(String topic) {
        Integer existing = outboundAliases == null ? null : outboundAliases.get(topic);
        if (existing != null) {
            return existing;
        }
        int assigned = outboundAliases == null ? 0 : outboundAliases.size();
        if (assigned >= clientTopicAliasMax) {
            return 0;
        }
        if (outboundAliases == null) {
            outboundAliases = new HashMap<>();
        }
        int alias = outboundAliases.size() + 1;
        outboundAliases.put(topic, alias);
        return -alias;
    }

    /** The time deliveries use for message expiry until the next call; set once per batch. */
    public void setNow(long now) {
        nowNanos = now;
    }

    public long droppedTooLargeCount() {
        return droppedTooLargeCount;
    }

    @Override
    public boolean isWritable() {
        return phase == ConnectionPhase.CONNECTED && wire.isWritable();
    }

    @Override
    public boolean sendPublish(Delivery delivery, boolean dup) {
        Packet.Publish publish = toPublish(delivery, dup);
        if (clientPacketSizeMaxBytes != Long.MAX_VALUE
                && PacketEncoder.encodedSize(publish, version) > clientPacketSizeMaxBytes) {
            droppedTooLargeCount++;
            Integer alias = publish.properties().topicAlias();
            if (alias != null && !publish.topic().isEmpty() && outboundAliases != null) {
                // The alias was assigned for this packet, which the client never sees.
                outboundAliases.remove(publish.topic());
            }
            return false;
        }
        wire.send(publish);
        return true;
    }

    @Override
    public void sendPubRel(int packetId) {
        send(new Packet.PubRel(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
    }

    /**
     * Builds the PUBLISH for a delivery: the per-delivery properties (remaining Message Expiry
     * Interval [MQTT-3.3.2-6], Subscription Identifiers [MQTT-3.3.4-3], Topic Alias) are added
     * to the message's own; a delivery that needs none of them reuses the message's properties.
     */
    private Packet.Publish toPublish(Delivery delivery, boolean dup) {
        Message m = delivery.message();
        if (!isV5()) {
            return new Packet.Publish(
                    m.topic(),
                    delivery.qos(),
                    delivery.retain(),
                    dup,
                    delivery.packetId(),
                    Properties.EMPTY,
                    m.payload());
        }
        String topic = m.topic();
        int alias = dup ? 0 : outboundAlias(topic);
        boolean expires = m.expiresAtNanos() != Message.NEVER_EXPIRES;
        if (alias == 0 && !expires && delivery.subscriptionIds().length == 0) {
            return new Packet.Publish(
                    topic, delivery.qos(), delivery.retain(), dup, delivery.packetId(), m.properties(), m.payload());
        }
        Properties.Builder props = m.properties().toBuilder();
        if (expires) {
            props.messageExpiryIntervalSeconds(m.remainingExpirySeconds(nowNanos));
        }
        for (int id : delivery.subscriptionIds()) {
            props.addSubscriptionIdentifier(id);
        }
        if (alias > 0) {
            props.topicAlias(alias);
            topic = "";
        } else if (alias < 0) {
            props.topicAlias(-alias);
        }
        return new Packet.Publish(
                topic, delivery.qos(), delivery.retain(), dup, delivery.packetId(), props.build(), m.payload());
    }
}
