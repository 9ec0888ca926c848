package dev.cairn.broker.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends connections and sessions, and with them runs the will rules (section 3.1.2.5): the one
 * place where a protocol error becomes a DISCONNECT (5.0) or a bare close (3.1.1), where a
 * will is published, delayed or discarded, and where a session outlives its connection or
 * ends. Core thread only.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** What happens to the connection's will when it closes. */
    enum WillAction {
        PUBLISH,
        DISCARD
    }

    /** What the audit log names as the address of a delayed will's owner, which is offline. */
    private static final String DELAYED_WILL_ADDRESS = "none (delayed will of an offline session)";

    private final BrokerState state;
    private Router router;

    Lifecycle(BrokerState state) {
        this.state = state;
    }

    void setRouter(Router router) {
        this.router = router;
    }

    /**
     * The client broke a rule: 5.0 clients get DISCONNECT with the reason first (section 4.13),
     * 3.1.1 clients a close. The will is published, as for any close not caused by DISCONNECT.
     */
    void protocolViolation(Connection c, ReasonCode reason, String why) {
        LOG.info("closing connection {} ({}): {} [{}]", c.wire().id(), clientIdOf(c), why, reason);
        if (c.isV5() && c.phase() == ConnectionPhase.CONNECTED) {
            c.send(new Packet.Disconnect(reason, Properties.EMPTY));
        }
        close(c, WillAction.PUBLISH);
    }

    /** The server ends a connection for its own reason (takeover, keep alive, shutdown). */
    void serverDisconnect(Connection c, ReasonCode reason, WillAction willAction) {
        if (c.isV5() && c.phase() == ConnectionPhase.CONNECTED) {
            c.send(new Packet.Disconnect(reason, Properties.EMPTY));
        }
        close(c, willAction);
    }

    /** Closes the socket and applies the session and will rules; idempotent. */
    void close(Connection c, WillAction willAction) {
        boolean wasConnected = c.phase() == ConnectionPhase.CONNECTED;
        if (!c.markClosed()) {
            return;
        }
        c.releaseAuth();
        if (state.connections.remove(c)) {
            state.connectionCounts.closed(c, wasConnected);
        }
        c.wire().close();
        if (!wasConnected) {
            return;
        }
        Session session = c.session();
        c.detachSession();
        WillMessage will = willAction == WillAction.PUBLISH ? c.will() : null;
        c.clearWill();
        if (session == null || session.connection() != c) {
            return; // The session was already taken over by a newer connection.
        }
        session.detach(state.nowNanos);
        state.clientsConnected--;
        state.awaitingIndex.remove(session);
        if (session.expiryIntervalSeconds() != 0) {
            state.persistence.sessionClosed(session.clientId(), session.expiryIntervalSeconds());
        }
        if (will != null) {
            handleWill(session, will, c.wire().remoteAddress());
        }
        if (session.expiryIntervalSeconds() == 0) {
            endSession(session);
        }
    }

    /**
     * Publishes now or after the Will Delay Interval, whichever of that and the session's end
     * comes first [MQTT-3.1.3-9].
     */
    private void handleWill(Session session, WillMessage will, String address) {
        long delay = Math.min(will.delaySeconds(), session.expiryIntervalSeconds());
        if (delay <= 0) {
            publishWill(session, will, address);
        } else {
            session.scheduleWill(will, state.nowNanos + delay * 1_000_000_000L);
            state.persistence.willScheduled(session.clientId(), state.clock.currentTimeMillis() + delay * 1000L);
        }
    }

    /** A delayed will came due while its session still exists. */
    void fireDelayedWill(Session session) {
        WillMessage will = session.takeDelayedWill();
        state.persistence.willFired(session.clientId());
        publishWill(session, will, DELAYED_WILL_ADDRESS);
    }

    /**
     * Publishes {@code owner}'s will if the topic ACL in force now lets the owner write its topic
     * (a will is a PUBLISH by its owner, sent late). A session restored after a restart is judged
     * by the username and listener journaled with it. Only one journaled by a Cairn that kept no
     * owners (or whose listener is no longer configured) has no known identity until its client
     * connects again: with an ACL in force its delayed will is then not published rather than
     * published with rights the owner may not have (nor is it known which listener's ACL would
     * judge it: any listener with an ACL file is enough to refuse). Denials are counted and logged.
     */
    void publishWill(Session owner, WillMessage will, String address) {
        TopicName topic;
        try {
            topic = TopicName.parse(will.message().topic(), state.topicLimits);
        } catch (InvalidTopicException e) {
            // Validated at CONNECT; a failure here is a bug, not client input.
            throw new IllegalStateException("will topic became invalid: " + e.getMessage(), e);
        }
        // The broker's own $SYS topics take no client's will (SysTopics), whatever the ACL says.
        boolean allowed = !SysTopics.isSys(topic.value())
                && (owner.identityKnown()
                        ? state.acl(owner).canWrite(owner.username(), owner.clientId(), topic)
                        : !state.security.anyAclEnforcing());
        if (!allowed) {
            state.aclAudit.denied(AclAudit.Denial.WILL, owner, address, topic.value());
            return;
        }
        router.publish(will.publishAt(state.nowNanos), topic);
    }

    /**
     * Brings one offline session up to date with the clock, as the timers' next scan would: a
     * delayed will whose delay has run out goes out, and a session whose expiry interval has passed
     * ends. A CONNECT calls it before it looks at the session, because the scan runs only every
     * 100 ms: without it a client reconnecting in between would resume a session that had expired
     * [MQTT-3.1.2-23] and cancel a will that was due [MQTT-3.1.3-9]. Returns whether the session
     * ended.
     */
    boolean endIfDue(Session session) {
        if (session.delayedWill() != null && state.nowNanos - session.willFireAtNanos() >= 0) {
            fireDelayedWill(session);
        }
        if (session.isExpired(state.nowNanos)) {
            endSession(session);
            return true;
        }
        return false;
    }

    /** The session is gone: subscriptions removed, queue dropped, pending delayed will sent. */
    void endSession(Session session) {
        WillMessage pending = session.takeDelayedWill();
        if (state.sessions.get(session.clientId()) == session) {
            state.sessions.remove(session.clientId());
        }
        state.subscriptions.unsubscribeAll(session);
        state.awaitingIndex.remove(session);
        state.persistence.sessionExpired(session.clientId());
        session.end();
        if (pending != null) {
            publishWill(session, pending, DELAYED_WILL_ADDRESS);
        }
    }

    private static String clientIdOf(Connection c) {
        return c.session() == null ? "no session" : c.session().clientId();
    }
}
