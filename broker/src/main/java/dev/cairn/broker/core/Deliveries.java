package dev.cairn.broker.core;

import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
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

    Deliveries(BrokerState state) {
        this.state = state;
    }

    void deliver(Session session, Delivery delivery) {
        if (!session.isConnected() && !delivery.journaled()) {
            state.stats.messagesDroppedNoSession++;
            return; // QoS 0 is not kept for a disconnected session (section 3.1.2.4 allows either).
        }
        if (!session.outbound().offer(delivery, session.isConnected())) {
            state.stats.messagesDroppedQueueFull++;
            if (state.stats.messagesDroppedQueueFull % 1000 == 1) {
                LOG.warn("queue of session {} is full ({} messages, {} bytes; queued_messages_max {}, queued_bytes_max"
                        + " {}); message on {} not queued ({} dropped so far)", session.clientId(),
                        session.outbound().queuedCount(), session.outbound().queuedBytes(),
                        state.config.queuedMessagesMax(), state.config.queuedBytesMax(), delivery.message().topic(),
                        state.stats.messagesDroppedQueueFull);
            }
            return;
        }
        state.stats.messagesDelivered++;
        pump(session);
    }

    /** Sends what the session's window and its connection's writability allow. */
    void pump(Session session) {
        Connection c = session.connection();
        if (c == null) {
            return;
        }
        c.setNow(state.nowNanos);
        if (session.outbound().pump(c, window(c), state.nowNanos) == OutboundQueue.PumpResult.AWAITING_INDEX) {
            state.awaitingIndex.add(session);
        }
    }

    /** A session regained a connection: re-send in-flight messages, then continue the queue. */
    void resume(Session session) {
        Connection c = session.connection();
        c.setNow(state.nowNanos);
        session.outbound().resendInflight(c, window(c));
        pump(session);
    }

    private int window(Connection c) {
        return Math.min(c.clientReceiveMaximum(), state.config.inflightOutboundMax());
    }
}
