package dev.cairn.broker.core;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.routing.MatchVisitor;
import dev.cairn.broker.routing.SharedGroup;
import dev.cairn.broker.routing.TopicFilter;
import dev.cairn.broker.routing.TopicName;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.SubscriptionOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path: updates the retained store, matches the topic against the subscription
 * tree, folds overlapping subscriptions of one session into one delivery (highest QoS, every
 * subscription identifier, [MQTT-3.3.4-2], [MQTT-3.3.4-3]), picks one member per shared
 * group, and hands each delivery to {@link Deliveries}. Core thread only; the scratch maps are
 * reused between publishes.
 */
final class Router implements MatchVisitor<Session, SubscriptionOptions> {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final BrokerState state;
    private final Deliveries deliveries;
    private final Map<Session, Target> targets = new HashMap<>();
    private final List<SharedGroup<Session, SubscriptionOptions>> groups = new ArrayList<>();
    private Message current;
    private Session publisher;

    Router(BrokerState state, Deliveries deliveries) {
        this.state = state;
        this.deliveries = deliveries;
    }

    /** Routes one accepted message; returns how many sessions it was given to. */
    int publish(Message message, TopicName topic, Session from) {
        state.stats.messagesReceived++;
        if (message.retain()) {
            retain(message, topic);
        }
        current = message;
        publisher = from;
        try {
            state.subscriptions.match(topic, this);
            int count = targets.size();
            for (Map.Entry<Session, Target> e : targets.entrySet()) {
                Target t = e.getValue();
                deliveries.deliver(e.getKey(), new Delivery(message, QoS.min(message.qos(), t.qos), t.retain,
                        t.subscriptionIds()));
            }
            for (SharedGroup<Session, SubscriptionOptions> group : groups) {
                count += deliverToGroup(group, message);
            }
            return count;
        } finally {
            targets.clear();
            groups.clear();
            current = null;
            publisher = null;
        }
    }

    @Override
    public void onSubscription(Session subscriber, TopicFilter filter, SubscriptionOptions options) {
        if (options.noLocal() && subscriber == publisher) {
            return; // [MQTT-3.8.3-3]: never back to the publisher's own connection.
        }
        Target t = targets.computeIfAbsent(subscriber, s -> new Target());
        t.add(options, current.retain());
    }

    @Override
    public void onSharedGroup(SharedGroup<Session, SubscriptionOptions> group) {
        groups.add(group);
    }

    private int deliverToGroup(SharedGroup<Session, SubscriptionOptions> group, Message message) {
        // Prefer a connected member; a message for a group with nobody online goes to a
        // member with a persistent session so it waits there instead of being lost.
        int index = group.nextIndex(Session::isConnected);
        if (index < 0) {
            index = group.nextIndex(s -> true);
        }
        if (index < 0) {
            return 0;
        }
        SubscriptionOptions options = group.options(index);
        int[] ids = options.subscriptionId() == 0 ? null : new int[] {options.subscriptionId()};
        boolean retain = options.retainAsPublished() && message.retain();
        deliveries.deliver(group.subscriber(index),
                new Delivery(message, QoS.min(message.qos(), options.qos()), retain, ids));
        return 1;
    }

    private void retain(Message message, TopicName topic) {
        if (message.payload().length == 0) {
            state.retained.remove(topic); // [MQTT-3.3.1-6], [MQTT-3.3.1-7]
        } else {
            state.retained.put(topic, message); // [MQTT-3.3.1-5]
            LOG.trace("retained message set on {}", topic.value());
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
