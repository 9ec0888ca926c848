package dev.cairn.broker.core;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.broker.persistence.NoSpaceException;
import dev.cairn.broker.persistence.QueuedFor;
import dev.cairn.broker.routing.MatchVisitor;
import dev.cairn.broker.routing.SharedGroup;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path: matches the topic against the subscription tree, folds overlapping non-shared
 * subscriptions of one session into one delivery (highest QoS, every subscription identifier,
 * [MQTT-3.3.4-2], [MQTT-3.3.4-3]), picks one member per shared group, each pick a delivery of its
 * own with that shared subscription's options (so a session can get several: MQTT 5.0 section
 * 4.8.2), applies queue_overflow to the sessions whose queue is full, journals the message with
 * the persistent sessions it is queued for (QoS 1/2 and every retained message), updates the
 * retained store, and hands each delivery to {@link Deliveries}. Nothing leaves the broker before
 * the record is synced: the core loop releases packets only after the turn's sync. Core thread
 * only; the scratch collections are reused between publishes.
 */
final class Router implements MatchVisitor<Session, SubscriptionOptions> {
    /**
     * What {@link #publish} returns for a message refused as a whole: a queue it must enter is
     * full (queue_overflow reject), or the journal is short of disk space.
     */
    static final int REFUSED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final BrokerState state;
    private final Deliveries deliveries;
    /** Per session its first delivery; further ones (shared picks) hang off it in {@link Target#next}. */
    private final Map<Session, Target> targets = new LinkedHashMap<>();

    private final List<SharedGroup<Session, SubscriptionOptions>> groups = new ArrayList<>();
    private final List<QueuedFor> queuedFor = new ArrayList<>();
    private final List<Session> full = new ArrayList<>();
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
     * Routes one message; returns how many sessions' subscriptions matched it, or {@link #REFUSED}
     * when the message was refused as a whole (nothing journaled, delivered or retained) because a
     * queue it must enter is full and queue_overflow is reject, or because it needs the journal
     * (QoS 1/2, or retained) and the journal is short of disk space
     * ({@link dev.cairn.broker.persistence.Persistence#refusesNewData}). A will is never refused;
     * one that the journal has no room for at all is dropped with a WARN.
     *
     * @param from the publishing session; null for a will, which is never refused
     * @param inboundPacketId the publisher's QoS 2 packet id to remember until PUBREL, journaled
     *     with the message; 0 for none
     */
    int publish(Message message, TopicName topic, Session from, int inboundPacketId) {
        state.stats.messagesReceived++;
        state.stats.receivedByQos[message.qos().value()]++;
        state.stats.receivedBytesByQos[message.qos().value()] += message.payload().length;
        if (from != null && needsJournal(message) && state.persistence.refusesNewData()) {
            state.stats.messagesRejectedDiskFull++; // JournalSpace logs when refusing starts and ends.
            return REFUSED;
        }
        current = message;
        publisher = from;
        try {
            state.subscriptions.match(topic, this);
            pickSharedMembers();
            int matched = targets.size();
            if (!admit(message)) {
                return REFUSED;
            }
            Message stored;
            try {
                stored = journal(message, inboundPacketId);
            } catch (NoSpaceException e) {
                return noSpace(message, e);
            }
            if (message.retain()) {
                retain(stored, topic);
            }
            deliverToTargets(stored, false);
            return matched;
        } finally {
            clear();
        }
    }

    /**
     * Publishes one of the broker's own {@code $SYS} messages (QoS 0, retained): kept in the
     * in-memory {@code $SYS} store for later subscribers and sent to the connected sessions whose
     * subscriptions match, which the topic ACL judges at delivery like any other message. Nothing
     * is journaled and nothing counts as received from a client; a disconnected session is
     * skipped (QoS 0 is not kept for it, and it is not a drop of anything a client sent).
     */
    void publishSys(Message message, TopicName topic) {
        assert message.qos() == QoS.AT_MOST_ONCE && message.retain() && !message.isJournaled();
        current = message;
        publisher = null;
        try {
            state.sysRetained.put(topic, message);
            state.subscriptions.match(topic, this);
            pickSharedMembers();
            deliverToTargets(message, true);
        } finally {
            clear();
        }
    }

    private void deliverToTargets(Message stored, boolean connectedOnly) {
        for (Map.Entry<Session, Target> e : targets.entrySet()) {
            if (connectedOnly && !e.getKey().isConnected()) {
                continue;
            }
            for (Target t = e.getValue(); t != null; t = t.next) {
                QoS qos = QoS.min(stored.qos(), t.qos);
                deliveries.deliver(
                        e.getKey(),
                        new Delivery(
                                stored,
                                qos,
                                t.retain,
                                t.subscriptionIds(),
                                isJournaled(stored, e.getKey(), qos),
                                t.copy));
            }
        }
    }

    private void clear() {
        targets.clear();
        groups.clear();
        queuedFor.clear();
        full.clear();
        current = null;
        publisher = null;
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
     * losing it. Members whose queue is full come last of all. A shared pick is a separate
     * delivery even if the member also matched directly or was picked by another group: one copy
     * per subscription that selects it (MQTT 5.0 section 4.8.2), each with its own options.
     * Called after the match, so a session's non-shared fold is always its copy 0.
     */
    private void pickSharedMembers() {
        if (groups.isEmpty()) {
            return;
        }
        long bytes = current.queuedBytes();
        Predicate<Session> hasRoom = s -> !deliveries.queueFull(s, current.qos(), bytes);
        for (SharedGroup<Session, SubscriptionOptions> group : groups) {
            // Members whose queue has room first: a full one would refuse (or lose) what another takes.
            int index = group.nextIndex(s -> s.isConnected() && hasRoom.test(s));
            if (index < 0) {
                index = group.nextIndex(s -> s.isPersistent() && hasRoom.test(s));
            }
            if (index < 0) {
                index = group.nextIndex(Session::isConnected);
            }
            if (index < 0) {
                index = group.nextIndex(Session::isPersistent);
            }
            if (index < 0) {
                continue;
            }
            Session member = group.subscriber(index);
            Target pick = new Target();
            pick.add(group.options(index), current.retain());
            Target first = targets.get(member);
            if (first == null) {
                targets.put(member, pick);
            } else {
                first.append(pick);
            }
        }
    }

    /**
     * Applies queue_overflow before anything is journaled, so that a session whose queue is full
     * is never named in the MessageStored record (its index queue would otherwise hold an entry
     * its queue in memory does not count). With reject, a client's QoS 1/2 PUBLISH that a full
     * persistent session's queue would have to take is refused as a whole: false. Otherwise
     * (drop-new, a will, which no client waits to have acknowledged, or full queues of
     * non-persistent sessions only, which hold nothing durable: they end with their connection)
     * the full sessions are left out, counted and logged, and everyone else gets the message.
     */
    private boolean admit(Message message) {
        long bytes = message.queuedBytes();
        for (Map.Entry<Session, Target> e : targets.entrySet()) {
            // Each copy the session gets with QoS 1/2 takes a place in its queue.
            int copies = 0;
            for (Target t = e.getValue(); t != null; t = t.next) {
                if (QoS.min(message.qos(), t.qos) != QoS.AT_MOST_ONCE) {
                    copies++;
                }
            }
            if (copies > 0 && deliveries.queueFull(e.getKey(), copies, bytes)) {
                full.add(e.getKey());
            }
        }
        if (full.isEmpty()) {
            return true;
        }
        if (state.limits.queueOverflow() == BrokerConfig.QueueOverflow.REJECT && publisher != null) {
            for (Session s : full) {
                if (s.isPersistent()) {
                    refused(message, s);
                    return false;
                }
            }
        }
        for (Session s : full) {
            targets.remove(s);
            deliveries.droppedQueueFull(s, message.topic());
        }
        return true;
    }

    private static boolean needsJournal(Message message) {
        return message.qos() != QoS.AT_MOST_ONCE || message.retain();
    }

    /**
     * The journal had no room for the message although it did not refuse new data a moment
     * before (the disk filled between two checks, or disk_free_min_bytes is 0): nothing was
     * appended. A client's PUBLISH is refused like one refused up front; a will is dropped.
     */
    private int noSpace(Message message, NoSpaceException e) {
        if (publisher != null) {
            state.stats.messagesRejectedDiskFull++;
            return REFUSED;
        }
        LOG.warn(
                "will of {} on {} dropped: the journal has no room to store it ({})",
                message.publisherClientId(),
                message.topic(),
                e.getMessage());
        return 0;
    }

    /** Counts, and logs every 1,000th, PUBLISH refused for a full queue. */
    private void refused(Message message, Session fullSession) {
        state.stats.messagesRejectedQueueFull++;
        if (state.stats.messagesRejectedQueueFull % 1000 == 1) {
            OutboundQueue q = fullSession.outbound();
            LOG.warn(
                    "PUBLISH from {} on {} refused, not stored: the queue of session {} is full ({} messages, {} bytes;"
                            + " queued_messages_max {}, queued_bytes_max {}{}; queue_overflow reject). An MQTT 5 publisher gets"
                            + " 0x97 Quota exceeded, an MQTT 3.1.1 publisher's connection is closed without an"
                            + " acknowledgement ({} refused so far)",
                    message.publisherClientId(),
                    message.topic(),
                    fullSession.clientId(),
                    q.queuedCount(),
                    q.queuedBytes(),
                    state.limits.queuedMessagesMax(),
                    state.limits.queuedBytesMax(),
                    fullSession.isPersistent()
                            ? ""
                            : ", queued_messages_in_memory_max " + state.config.queuedMessagesInMemoryMax(),
                    state.stats.messagesRejectedQueueFull);
        }
    }

    /** Appends MessageStored for QoS 1/2 and retained messages; returns the message with its position. */
    private Message journal(Message message, int inboundPacketId) {
        if (message.qos() == QoS.AT_MOST_ONCE && !message.retain()) {
            return message;
        }
        for (Map.Entry<Session, Target> e : targets.entrySet()) {
            if (!e.getKey().isPersistent()) {
                continue;
            }
            for (Target t = e.getValue(); t != null; t = t.next) {
                QoS qos = QoS.min(message.qos(), t.qos);
                if (qos != QoS.AT_MOST_ONCE) {
                    queuedFor.add(new QueuedFor(e.getKey().clientId(), t.copy, qos, t.retain, t.subscriptionIds()));
                }
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

    /**
     * One delivery to a session: the fold of every non-shared subscription of it that matched, or
     * one shared group's pick. {@code copy} numbers a session's deliveries of the message in queue
     * order, 0 first; {@code next} is the session's next one.
     */
    private static final class Target {
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retain;
        int[] ids = new int[0];
        int copy;
        Target next;

        void append(Target further) {
            Target last = this;
            while (last.next != null) {
                last = last.next;
            }
            further.copy = last.copy + 1;
            last.next = further;
        }

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
