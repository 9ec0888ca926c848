package dev.cairn.broker.core;

import dev.cairn.broker.acl.TopicAcl;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.broker.delivery.ReadCheck;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves deliveries into sessions' outbound queues and from there onto the wire, within each
 * client's window: min(client Receive Maximum [MQTT-3.3.4-9], our inflight_outbound_max).
 * Core thread only.
 */
final class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final BrokerState state;
    private String lastTopic;
    private TopicName lastTopicName;

    Deliveries(BrokerState state) {
        this.state = state;
    }

    void deliver(Session session, Delivery delivery) {
        if (!session.isConnected() && !delivery.journaled()) {
            state.stats.messagesDroppedNoSession++;
            return; // QoS 0 is not kept for a disconnected session (section 3.1.2.4 allows either).
        }
        if (!session.outbound().offer(delivery, session.isConnected())) {
            droppedQueueFull(session, delivery.message().topic());
            return;
        }
        state.stats.messagesDelivered++;
        state.stats.deliveredByQos[delivery.qos().value()]++;
        state.stats.deliveredBytesByQos[delivery.qos().value()] +=
                delivery.message().payload().length;
        pump(session);
    }

    /**
     * Whether {@link #deliver} would find no room for a QoS 1/2 delivery of {@code messageBytes}
     * in the session's queue, so the router can apply queue_overflow before it journals anything.
     * A QoS 0 delivery, or one to a disconnected session that is not persistent, is never queued
     * at all and so never "full" here.
     */
    boolean queueFull(Session session, QoS qos, long messageBytes) {
        return qos != QoS.AT_MOST_ONCE && queueFull(session, 1, messageBytes);
    }

    /**
     * Whether the session's queue lacks room for {@code copies} QoS 1/2 deliveries of one message of
     * {@code messageBytes} (a session gets several when shared groups pick it besides its own
     * subscriptions), by the queue's own rule ({@link OutboundQueue#fits}): they are journaled
     * exactly when the session is persistent.
     */
    boolean queueFull(Session session, int copies, long messageBytes) {
        if (!(session.isPersistent() || session.isConnected())) {
            return false;
        }
        return !session.outbound().fits(copies, messageBytes, session.isPersistent(), session.isConnected());
    }

    /** Counts, and logs every 1,000th, message not queued for a session because its queue is full. */
    void droppedQueueFull(Session session, String topic) {
        state.stats.messagesDroppedQueueFull++;
        if (state.stats.messagesDroppedQueueFull % 1000 == 1) {
            OutboundQueue q = session.outbound();
            LOG.warn(
                    "queue of session {} is full ({} messages, {} bytes; queued_messages_max {}, queued_bytes_max {});"
                            + " message on {} not queued for it ({} dropped so far)",
                    session.clientId(),
                    q.queuedCount(),
                    q.queuedBytes(),
                    state.limits.queuedMessagesMax(),
                    state.limits.queuedBytesMax(),
                    topic,
                    state.stats.messagesDroppedQueueFull);
        }
    }

    /**
     * Sends what the session's window and its connection's writability allow. With a topic ACL in
     * force each message is judged as it is about to leave ({@link #mayRead}).
     */
    void pump(Session session) {
        Connection c = session.connection();
        if (c == null) {
            return;
        }
        c.setNow(state.nowNanos);
        TopicAcl acl = state.acl(session);
        ReadCheck check = acl.enforcing() ? m -> mayRead(acl, session, m) : ReadCheck.ANY;
        OutboundQueue q = session.outbound();
        long expired = q.expiredCount();
        long tooLarge = c.droppedTooLargeCount();
        if (q.pump(c, window(c), state.nowNanos, check) == OutboundQueue.PumpResult.AWAITING_INDEX) {
            state.awaitingIndex.add(session);
        }
        state.stats.messagesDroppedExpired += q.expiredCount() - expired;
        state.stats.messagesDroppedTooLarge += c.droppedTooLargeCount() - tooLarge;
    }

    /**
     * Whether the session's client may read the message's topic under the rules in force now. The
     * subscription was judged when it was made, but a message can reach a session without that
     * check meaning what it meant then: the rules changed while it waited in the queue (offline,
     * or on disk), a retained message or a shared group's pick arrived, or a wildcard subscription
     * covers topics a deny rule names. A refused message leaves the queue for good, as an expired
     * one does (its finished record journaled), and is counted and logged.
     */
    private boolean mayRead(TopicAcl acl, Session session, Message m) {
        if (acl.canRead(session.username(), session.clientId(), topicName(m.topic()))) {
            return true;
        }
        state.aclAudit.denied(AclAudit.Denial.DELIVERY, session, m.topic());
        return false;
    }

    /** The parsed topic, remembered for the next call: a fan-out judges one topic many times. */
    private TopicName topicName(String topic) {
        if (topic != lastTopic) {
            try {
                lastTopicName = TopicName.parse(topic, TopicLimits.PROTOCOL);
            } catch (InvalidTopicException e) {
                throw new IllegalStateException("a stored topic became invalid: " + e.getMessage(), e);
            }
            lastTopic = topic;
        }
        return lastTopicName;
    }

    /** A session regained a connection: re-send in-flight messages, then continue the queue. */
    void resume(Session session) {
        Connection c = session.connection();
        c.setNow(state.nowNanos);
        long tooLarge = c.droppedTooLargeCount();
        session.outbound().resendInflight(c, window(c));
        state.stats.messagesDroppedTooLarge += c.droppedTooLargeCount() - tooLarge;
        pump(session);
    }

    private int window(Connection c) {
        return Math.min(c.clientReceiveMaximum(), state.config.inflightOutboundMax());
    }
}
