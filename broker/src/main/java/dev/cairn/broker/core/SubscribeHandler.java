package dev.cairn.broker.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.Properties;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.routing.InvalidTopicException;
import dev.cairn.broker.routing.TopicFilter;
import dev.cairn.broker.routing.TopicName;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.SubscriptionOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE (sections 3.8, 3.10): one reason code per filter, the
 * subscriptions-per-client limit, and retained messages sent after the SUBACK as the Retain
 * Handling option says (never for shared subscriptions [MQTT-3.8.4-?]). Core thread only.
 */
final class SubscribeHandler {
    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final Deliveries deliveries;

    SubscribeHandler(BrokerState state, Lifecycle lifecycle, Deliveries deliveries) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.deliveries = deliveries;
    }

    void onSubscribe(Connection c, Packet.Subscribe p) {
        Session session = c.session();
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        for (Packet.Subscription s : p.subscriptions()) {
            if (s.noLocal() && s.filter().startsWith("$share/")) {
                lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription"); // [MQTT-3.8.3-4]
                return;
            }
        }
        List<ReasonCode> reasons = new ArrayList<>(p.subscriptions().size());
        List<Runnable> retainedSends = new ArrayList<>();
        for (Packet.Subscription s : p.subscriptions()) {
            reasons.add(subscribeOne(session, s, subscriptionId, retainedSends));
        }
        c.send(new Packet.SubAck(p.packetId(), reasons, Properties.EMPTY)); // [MQTT-3.8.4-1]
        retainedSends.forEach(Runnable::run);
    }

    private ReasonCode subscribeOne(Session session, Packet.Subscription s, int subscriptionId,
                                    List<Runnable> retainedSends) {
        TopicFilter filter;
        try {
            filter = TopicFilter.parse(s.filter(), state.topicLimits);
        } catch (InvalidTopicException e) {
            return ReasonCode.TOPIC_FILTER_INVALID;
        }
        boolean replacing = session.hasSubscription(filter.value());
        if (!replacing && session.subscriptionCount() >= state.config.subscriptionsPerClientMax()) {
            return ReasonCode.QUOTA_EXCEEDED;
        }
        if (session.isPersistent() && state.persistence.refusesNewData()) {
            // A persistent session's subscription lives in the journal, which is short of disk
            // space: 0x97 Quota exceeded (MQTT 5.0 section 3.9.3, an administrative limit,
            // disk_free_min_bytes); a 3.1.1 client gets 0x80 Failure. The SUBACK still answers
            // every filter, in order [MQTT-3.9.3-1]; nothing of the refused one is kept.
            return ReasonCode.QUOTA_EXCEEDED;
        }
        QoS granted = QoS.min(s.maxQos(), QoS.fromValue(state.config.qosMax()));
        SubscriptionOptions options = new SubscriptionOptions(granted, s.noLocal(), s.retainAsPublished(),
                s.retainHandling(), subscriptionId);
        boolean isNew = state.subscriptions.subscribe(session, filter, options);
        session.putSubscription(filter);
        state.persistence.subscribed(session.clientId(), filter.value(), options);
        if (!filter.isShared() && sendsRetained(s.retainHandling(), isNew)) {
            retainedSends.add(() -> sendRetained(session, filter, options));
        }
        return ReasonCode.granted(granted);
    }

    private static boolean sendsRetained(RetainHandling handling, boolean isNew) {
        switch (handling) {
            case SEND_ON_SUBSCRIBE:
                return true; // [MQTT-3.3.1-9]
            case SEND_IF_NEW_SUBSCRIPTION:
                return isNew; // [MQTT-3.3.1-10]
            case DO_NOT_SEND:
                return false; // [MQTT-3.3.1-11]
            default:
                throw new IllegalArgumentException("unknown retain handling " + handling);
        }
    }

    private void sendRetained(Session session, TopicFilter filter, SubscriptionOptions options) {
        int[] ids = options.subscriptionId() == 0 ? null : new int[] {options.subscriptionId()};
        long now = state.nowNanos;
        List<Message> expired = new ArrayList<>();
        state.retained.match(filter, (topic, message) -> {
            if (message.isExpired(now)) {
                expired.add(message);
                return;
            }
            // Retained messages sent because of a subscription keep RETAIN=1 [MQTT-3.3.1-8].
            deliveries.deliver(session, new Delivery(message, QoS.min(message.qos(), options.qos()), true, ids));
        });
        for (Message m : expired) {
            removeExpiredRetained(m);
        }
    }

    private void removeExpiredRetained(Message m) {
        try {
            TopicName name = TopicName.parse(m.topic(),
                    state.topicLimits);
            if (state.retained.get(name) == m) {
                state.retained.remove(name);
            }
        } catch (InvalidTopicException e) {
            throw new IllegalStateException("retained topic became invalid: " + e.getMessage(), e);
        }
    }

    void onUnsubscribe(Connection c, Packet.Unsubscribe p) {
        Session session = c.session();
        List<ReasonCode> reasons = new ArrayList<>(p.filters().size());
        for (String raw : p.filters()) {
            TopicFilter filter;
            try {
                filter = TopicFilter.parse(raw, state.topicLimits);
            } catch (InvalidTopicException e) {
                reasons.add(ReasonCode.TOPIC_FILTER_INVALID);
                continue;
            }
            boolean existed = state.subscriptions.unsubscribe(session, filter);
            session.removeSubscription(filter.value());
            if (existed) {
                state.persistence.unsubscribed(session.clientId(), filter.value());
            }
            reasons.add(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        c.send(new Packet.UnsubAck(p.packetId(), reasons, Properties.EMPTY)); // [MQTT-3.10.4-4]
    }
}
