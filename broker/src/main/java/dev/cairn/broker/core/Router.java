package dev.cairn.broker.core;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.persistence.QueuedFor;
import dev.cairn.broker.routing.MatchVisitor;
import dev.cairn.broker.routing.SharedGroup;
import dev.cairn.broker.routing.TopicFilter;
import dev.cairn.broker.routing.TopicName;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.SubscriptionOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The publish path: matches the topic against the subscription tree, folds overlapping
 * subscriptions of one session into one delivery (highest QoS, every subscription identifier,
 * [MQTT-3.3.4-2], [MQTT-3.3.4-3]), picks one member per shared group, journals the message
 * with the persistent sessions it is queued for (QoS 1/2 and every retained message), updates
 * the retained store, and hands each delivery to {@link Deliveries}. Nothing leaves the broker
 * before the record is synced: the core loop releases packets only after the turn's sync.
 * Core thread only; the scratch collections are reused between publishes.
 */
final class Router implements MatchVisitor<Session, SubscriptionOptions> {
    private final BrokerState state;
    private final Deliveries deliveries;
    private final Map<Session, Target> targets = new LinkedHashMap<>();
    private final List<SharedGroup<Session, SubscriptionOptions>> groups = new ArrayList<>();
    private final List<QueuedFor> queuedFor = new ArrayList<>();
    private Message current;
    private Session publisher;

    Router(BrokerState state, Deliveries deliveries) {
        this.state = state;
        this.deliveries = deliveries;
    }

    /** Routes one message from the broker itself (a will); returns how many sessions got it. */
    int publish(Message message, TopicName topic) {
        return publish(message, topic, null, 0);
    }

    /**
     * Routes one accepted message; returns how many sessions it was given to.
     *
     * @param inboundPacketId the publisher's QoS 2 packet id to remember until PUBREL, journaled
     *     with the message; 0 for none
     */
    int publish(Message message, TopicName topic, Session from, int inboundPacketId) {
        state.stats.messagesReceived++;
        current = message;
        publisher = from;
        try {
            state.subscriptions.match(topic, this);
            pickSharedMembers();
            Message stored = journal(message, inboundPacketId);
            if (message.retain()) {
                retain(stored, topic);
            }
            for (Map.Entry<Session, Target> e : targets.entrySet()) {
                Target t = e.getValue();
                QoS qos = QoS.min(message.qos(), t.qos);
                deliveries.deliver(e.getKey(), new Delivery(stored, qos, t.retain, t.subscriptionIds(),
                        isJournaled(stored, e.getKey(), qos)));
            }
            return targets.size();
        } finally {
            targets.clear();
            groups.clear();
            queuedFor.clear();
            current = null;
            publisher = null;
        }
    }

    @Override
    public void onSubscription(Session subscriber, TopicFilter filter, SubscriptionOptions options) {
        if (options.noLocal() && subscriber == publisher) {
            return; // [MQTT-3.8.3-3]: never back to the publisher's own session.
        }
        targets.computeIfAbsent(subscriber, s -> new Target()).add(options, current.retain());
    }

    @Override
    public void onSharedGroup(SharedGroup<Session, SubscriptionOptions> group) {
        groups.add(group);
    }

    /**
     * One member per matching shared group [MQTT-4.8.2-?], round robin, preferring connected
     * members; a group with nobody online queues the message at a persistent member instead of
     * losing it. A shared pick is a separate delivery even if the member also matched directly.
     */
    private void pickSharedMembers() {
        for (SharedGroup<Session, SubscriptionOptions> group : groups) {
            int index = group.nextIndex(Session::isConnected);
            if (index < 0) {
                index = group.nextIndex(Session::isPersistent);
            }
            if (index < 0) {
                continue;
            }
            Session member = group.subscriber(index);
            Target t = targets.get(member);
            if (t == null) {
                targets.put(member, t = new Target());
            }
            t.add(group.options(index), current.retain());
        }
    }

    /** Appends MessageStored for QoS 1/2 and retained messages; returns the message with its position. */
    private Message journal(Message message, int inboundPacketId) {
        if (message.qos() == QoS.AT_MOST_ONCE && !message.retain()) {
            return message;
        }
        for (Map.Entry<Session, Target> e : targets.entrySet()) {
            Target t = e.getValue();
            QoS qos = QoS.min(message.qos(), t.qos);
            if (e.getKey().isPersistent() && qos != QoS.AT_MOST_ONCE) {
                queuedFor.add(new QueuedFor(e.getKey().clientId(), qos, t.retain, t.subscriptionIds()));
            }
        }
        long position = state.persistence.messageStored(message, queuedFor, inboundPacketId, state.nowNanos);
        return message.withPosition(position);
    }

    private static boolean isJournaled(Message stored, Session session, QoS qos) {
        return stored.isJournaled() && session.isPersistent() && qos != QoS.AT_MOST_ONCE;
    }

    private void retain(Message message, TopicName topic) {
        if (message.payload().length == 0) {
            state.retained.remove(topic); // [MQTT-3.3.1-6], [MQTT-3.3.1-7]
        } else {
            state.retained.put(topic, message); // [MQTT-3.3.1-5]
        }
    }

    /** One session's folded view of every subscription of it that matched. */
    private static final class Target {
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retain;
        int[] ids = new int[0];

        void add(SubscriptionOptions options, boolean messageRetain) {
            if (options.qos().value() > qos.value()) {
                qos = options.qos();
            }
            retain |= options.retainAsPublished() && messageRetain; // [MQTT-3.3.1-12], [MQTT-3.3.1-13]
            if (options.subscriptionId() != 0) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = options.subscriptionId();
            }
        }

        int[] subscriptionIds() {
            return ids.length == 0 ? null : ids;
        }
    }
}
