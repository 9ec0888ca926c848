package dev.cairn.broker.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE (sections 3.8, 3.10): one reason code per filter, the
 * subscriptions-per-client limit, and retained messages sent after the SUBACK as the Retain
 * Handling option says (never for shared subscriptions [MQTT-3.8.4-?]). Core thread only.
 *
 * <p>A filter that breaks the protocol's syntax (a wildcard not alone in its level or {@code #}
 * not last, an empty filter, a shared subscription without a ShareName or a filter part) is a
 * protocol violation, not a per-filter failure: 3.1.1 closes the connection without SUBACK or
 * UNSUBACK ([MQTT-4.7.1-2], [MQTT-4.7.1-3], [MQTT-4.7.3-1] with [MQTT-4.8.0-1]); 5.0 sends
 * DISCONNECT 0x82 Protocol Error and closes ([MQTT-4.7.1-1], [MQTT-4.7.1-2], [MQTT-4.7.3-1],
 * [MQTT-4.8.2-1], [MQTT-4.8.2-2] with [MQTT-4.13.1-1]). 0x82, not 0x81, because the packet
 * parses field by field; the string it carries is data the protocol does not allow, which is
 * section 4.13.1's definition of a Protocol Error. Nothing of such a packet is applied, not even
 * its valid filters. The per-filter failure codes (0x8F Topic Filter invalid, "correctly formed
 * but not allowed", and 0x97 Quota exceeded; 0x80 in 3.1.1) are kept for filters over a
 * configured limit and for policy; a filter the topic ACL does not let the client read gets 0x87
 * Not authorized (3.1.1: 0x80).
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
        for (Packet.Subscription s : p.subscriptions()) {
            if (s.options().noLocal() && s.filter().startsWith("$share/")) {
                lifecycle.protocolViolation(
                        c, ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription"); // [MQTT-3.8.3-4]
                return;
            }
        }
        List<String> raw = new ArrayList<>(p.subscriptions().size());
        p.subscriptions().forEach(s -> raw.add(s.filter()));
        List<TopicFilter> filters = parseAll(c, raw, "SUBSCRIBE");
        if (filters == null) {
            return;
        }
        List<ReasonCode> reasons = new ArrayList<>(p.subscriptions().size());
        List<Runnable> retainedSends = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            reasons.add(subscribeOne(session, p.subscriptions().get(i), filters.get(i), c.isBridge(), retainedSends));
        }
        c.send(new Packet.SubAck(p.packetId(), reasons, Properties.EMPTY)); // [MQTT-3.8.4-1]
        retainedSends.forEach(Runnable::run);
    }

    /**
     * Parses every filter of one packet before any is applied. Returns the filters in order, with
     * null for one over a configured limit, or null after ending the connection when one breaks
     * the protocol's syntax (see the class comment).
     */
    private List<TopicFilter> parseAll(Connection c, List<String> raw, String packetName) {
        List<TopicFilter> filters = new ArrayList<>(raw.size());
        for (String r : raw) {
            try {
                filters.add(TopicFilter.parse(r, state.topicLimits));
            } catch (InvalidTopicException e) {
                if (!e.isLimit()) {
                    lifecycle.protocolViolation(
                            c,
                            ReasonCode.PROTOCOL_ERROR,
                            packetName + " with a malformed topic filter: " + e.getMessage());
                    return null;
                }
                filters.add(null);
            }
        }
        return filters;
    }

    private ReasonCode subscribeOne(
            Session session, Packet.Subscription s, TopicFilter filter, boolean bridge, List<Runnable> retainedSends) {
        if (filter == null) {
            return ReasonCode.TOPIC_FILTER_INVALID; // Well formed, but over a configured limit.
        }
        if (!state.acl(session).canSubscribe(session.username(), session.clientId(), filter)) {
            // The topic ACL grants no read on the whole filter (TopicAcl.canSubscribe): 0x87 Not
            // authorized (MQTT 5.0 section 3.9.3); a 3.1.1 SUBACK carries 0x80 Failure. An
            // existing subscription to the same filter is left as it was; what it matches is
            // judged again at every delivery.
            state.aclAudit.denied(AclAudit.Denial.SUBSCRIBE, session, filter.value());
            return ReasonCode.NOT_AUTHORIZED;
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
        QoS granted = QoS.min(s.options().qos(), QoS.fromValue(state.config.qosMax()));
        SubscriptionOptions asked = s.options().withQos(granted);
        // A 3.x client that marked its CONNECT as a bridge's (try_private): what mosquitto implies
        // for it, since 3.1.1 cannot ask. No Local, so that the bridge is not sent back what it
        // published here [MQTT-3.8.3-3]; Retain As Published, so that a retained message it
        // forwards stays retained on its side [MQTT-3.3.1-12]. Retained messages are still sent on
        // every subscribe, as for any 3.x subscription. Not on a shared subscription, where No
        // Local is not allowed [MQTT-3.8.3-4].
        SubscriptionOptions options = bridge && !filter.isShared()
                ? new SubscriptionOptions(granted, true, true, asked.retainHandling(), asked.subscriptionId())
                : asked;
        boolean isNew = state.subscriptions.subscribe(session, filter, options);
        session.putSubscription(filter);
        state.persistence.subscribed(session.clientId(), filter.value(), options);
        if (!filter.isShared() && sendsRetained(options.retainHandling(), isNew)) {
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
        if (filter.value().startsWith("$")) {
            // The broker's own $SYS messages, kept apart from the clients' (never expire).
            state.sysRetained.match(
                    filter,
                    (topic, message) -> deliveries.deliver(
                            session, new Delivery(message, QoS.min(message.qos(), options.qos()), true, ids)));
        }
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
            TopicName name = TopicName.parse(m.topic(), state.topicLimits);
            if (state.retained.get(name) == m) {
                state.retained.remove(name);
            }
        } catch (InvalidTopicException e) {
            throw new IllegalStateException("retained topic became invalid: " + e.getMessage(), e);
        }
    }

    void onUnsubscribe(Connection c, Packet.Unsubscribe p) {
        Session session = c.session();
        List<TopicFilter> filters = parseAll(c, p.filters(), "UNSUBSCRIBE");
        if (filters == null) {
            return;
        }
        List<ReasonCode> reasons = new ArrayList<>(p.filters().size());
        for (TopicFilter filter : filters) {
            if (filter == null) {
                reasons.add(ReasonCode.TOPIC_FILTER_INVALID); // Over a limit: it cannot have been subscribed.
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
