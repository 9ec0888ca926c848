package dev.cairn.broker.session;

import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.protocol.TopicFilter;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * The state MQTT keeps for one client identifier across connections (section 4.1): its
 * subscriptions, its outbound queue and in-flight messages, the inbound QoS 2 packet ids
 * awaiting PUBREL, its expiry interval, and a delayed will. Identity is the object itself:
 * a clean start creates a new Session for the same client id. Core thread only.
 */
public final class Session {
    /** Expiry interval meaning "never expires" (0xFFFFFFFF, section 3.1.2.11.2). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final OutboundQueue outbound;
    // Made on first use: many sessions never subscribe (sensors that only publish) or hold no
    // QoS 2 exchange, and idle connections are many.
    private HashMap<String, TopicFilter> subscriptions;
    private HashSet<Integer> inboundQos2;
    private SessionState state = SessionState.DISCONNECTED;
    private Connection connection;
    private long expiryIntervalSeconds;
    private long disconnectedAtNanos;
    private WillMessage delayedWill;
    private long willFireAtNanos;
    private String username;
    private String listener;
    private boolean identityKnown;
    private boolean deniedLogged;
    private long deniedLoggedAtNanos;
    private int deniedSuppressed;

    public Session(String clientId, OutboundQueue outbound) {
        this.clientId = clientId;
        this.outbound = outbound;
    }

    public String clientId() {
        return clientId;
    }

    public OutboundQueue outbound() {
        return outbound;
    }

    public SessionState state() {
        return state;
    }

    public Connection connection() {
        return connection;
    }

    public long expiryIntervalSeconds() {
        return expiryIntervalSeconds;
    }

    public long disconnectedAtNanos() {
        return disconnectedAtNanos;
    }

    public WillMessage delayedWill() {
        return delayedWill;
    }

    public long willFireAtNanos() {
        return willFireAtNanos;
    }

    /**
     * The username the client connected with (null: none), which the topic ACL judges it by.
     * Set at every CONNECT that takes the session and journaled with it, so a session restored after
     * a restart keeps it; only one journaled before owners were has no known identity until its
     * client connects again ({@link #identityKnown}).
     */
    public String username() {
        return username;
    }

    public boolean identityKnown() {
        return identityKnown;
    }

    /**
     * The listener the client last connected on, whose topic ACL judges the session; null until
     * its identity is known ({@link #identityKnown}).
     */
    public String listener() {
        return listener;
    }

    public void identify(String connectedUsername, String connectedListener) {
        username = connectedUsername;
        listener = connectedListener;
        identityKnown = true;
    }

    /**
     * Rate limit of the log lines about this client's ACL denials: whether one may be logged at
     * {@code nowNanos}, at most one per {@code intervalNanos}. When it may, returns how many were
     * held back since the last one (0 or more) and starts a new interval; otherwise counts this one
     * as held back and returns -1.
     */
    public int deniedLogPermit(long nowNanos, long intervalNanos) {
        if (deniedLogged && nowNanos - deniedLoggedAtNanos < intervalNanos) {
            deniedSuppressed++;
            return -1;
        }
        int held = deniedSuppressed;
        deniedLogged = true;
        deniedLoggedAtNanos = nowNanos;
        deniedSuppressed = 0;
        return held;
    }

    public boolean hasSubscription(String filter) {
        return subscriptions != null && subscriptions.containsKey(filter);
    }

    /** The filters subscribed to now, as a copy. */
    public List<TopicFilter> subscribedFilters() {
        return subscriptions == null ? List.of() : List.copyOf(subscriptions.values());
    }

    public int subscriptionCount() {
        return subscriptions == null ? 0 : subscriptions.size();
    }

    /** Adds or replaces the subscription to {@code filter}. */
    public void putSubscription(TopicFilter filter) {
        if (subscriptions == null) {
            subscriptions = new HashMap<>(4);
        }
        subscriptions.put(filter.value(), filter);
    }

    public void removeSubscription(String filter) {
        if (subscriptions != null) {
            subscriptions.remove(filter);
        }
    }

    /** Whether an inbound QoS 2 message with this packet id awaits its PUBREL. */
    public boolean awaitsPubRel(int packetId) {
        return inboundQos2 != null && inboundQos2.contains(packetId);
    }

    /** Inbound QoS 2 messages awaiting PUBREL. */
    public int awaitingPubRelCount() {
        return inboundQos2 == null ? 0 : inboundQos2.size();
    }

    public void addAwaitingPubRel(int packetId) {
        if (inboundQos2 == null) {
            inboundQos2 = new HashSet<>(4);
        }
        inboundQos2.add(packetId);
    }

    public void addAwaitingPubRel(Collection<Integer> packetIds) {
        for (int id : packetIds) {
            addAwaitingPubRel(id);
        }
    }

    /** Forgets a packet id awaiting PUBREL; returns whether it was known. */
    public boolean removeAwaitingPubRel(int packetId) {
        return inboundQos2 != null && inboundQos2.remove(packetId);
    }

    /** A session that outlives its connection; only such sessions' queues are journaled. */
    public boolean isPersistent() {
        return expiryIntervalSeconds > 0;
    }

    public boolean isConnected() {
        return state == SessionState.CONNECTED;
    }

    public void setExpiryIntervalSeconds(long seconds) {
        expiryIntervalSeconds = seconds;
    }

    public void attach(Connection newConnection) {
        transition(SessionState.DISCONNECTED, SessionState.CONNECTED);
        connection = newConnection;
        delayedWill = null;
    }

    public void detach(long nowNanos) {
        transition(SessionState.CONNECTED, SessionState.DISCONNECTED);
        connection = null;
        disconnectedAtNanos = nowNanos;
        outbound.disconnected();
    }

    public void scheduleWill(WillMessage will, long fireAtNanos) {
        delayedWill = will;
        willFireAtNanos = fireAtNanos;
    }

    public WillMessage takeDelayedWill() {
        WillMessage will = delayedWill;
        delayedWill = null;
        return will;
    }

    /** Whether the session has outlived its expiry interval while disconnected. */
    public boolean isExpired(long nowNanos) {
        if (state != SessionState.DISCONNECTED || expiryIntervalSeconds == NEVER_EXPIRES) {
            return false;
        }
        return nowNanos - disconnectedAtNanos >= expiryIntervalSeconds * 1_000_000_000L;
    }

    /** Recovery: the session was restored from disk without a connection. */
    public void restoreDisconnected(long disconnectedAt) {
        disconnectedAtNanos = disconnectedAt;
    }

    public void end() {
        state = SessionState.ENDED;
        connection = null;
        outbound.clear();
        inboundQos2 = null;
    }

    private void transition(SessionState expected, SessionState next) {
        assert state == expected : "session " + clientId + " is " + state + ", expected " + expected;
        state = next;
    }
}
