package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.PropertyBlock;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.SubscriptionOptions;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.broker.time.Clock;
import dev.cairn.storage.index.IndexStore;
import dev.cairn.storage.index.Presence;
import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.index.RecoveredSession;
import dev.cairn.storage.index.RecoveredState;
import dev.cairn.storage.index.RetainedMessage;
import dev.cairn.storage.index.SessionState;
import dev.cairn.storage.index.Subscription;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the store recovered, translated into broker values for the core to load at start:
 * sessions, retained messages, and each session's in-flight deliveries (read from the head of
 * its queue; the waiting rest stays on disk as backlog). Used once, on the core thread, before
 * the listener accepts connections.
 */
public final class Recovered {
    private final RecoveredState state;
    private final Journal journal;
    private final IndexStore index;
    private final Clock clock;

    Recovered(RecoveredState state, Journal journal, IndexStore index, Clock clock) {
        this.state = state;
        this.journal = journal;
        this.index = index;
        this.clock = clock;
    }

    public List<RestoredSession> sessions() {
        List<RestoredSession> out = new ArrayList<>(state.sessions().size());
        for (RecoveredSession r : state.sessions()) {
            SessionState s = r.state();
            Map<String, SubscriptionOptions> subs = new LinkedHashMap<>();
            for (Subscription sub : r.subscriptions()) {
                subs.put(sub.filter(), Conversions.options(sub.options(), sub.subscriptionId()));
            }
            WillMessage will = s.will() == null || r.willFireAtMillis() < 0 ? null
                    : Conversions.willMessage(s.clientId(), s.will());
            out.add(new RestoredSession(s.clientId(), s.protocolLevel(), s.sessionExpirySeconds(),
                    s.presence() == Presence.ONLINE, s.changedAtMillis(), will, r.willFireAtMillis(), subs,
                    new HashSet<>(r.inboundQos2().keySet()), r.queueDepth().messages(), r.queueDepth().bytes()));
        }
        return out;
    }

    /** Retained messages that have not expired, as messages held in memory. */
    public List<Message> retained() {
        long nowNanos = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        List<Message> out = new ArrayList<>(state.retained().size());
        for (RetainedMessage r : state.retained()) {
            if (r.expiresAtMillis() >= 0 && r.expiresAtMillis() <= nowMillis) {
                continue;
            }
            out.add(new Message(r.topic(), QoS.fromValue(r.qos()), true, r.payload(),
                    PropertyBlock.decode(r.properties()), null,
                    Conversions.expiresAtNanos(r.expiresAtMillis(), nowNanos, nowMillis)));
        }
        return out;
    }

    /**
     * The session's in-flight deliveries (sent, with their packet ids), which head its queue
     * because deliveries are sent in queue order; scanning stops at the first waiting entry.
     * Returns them with the queue key after which the waiting entries start.
     */
    public InflightHead inflight(String clientId, int windowMax) {
        List<Delivery> out = new ArrayList<>();
        long nowNanos = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        long lastInflight = -1;
        int lastInflightCopy = -1;
        QueueCursor queue = new QueueCursor(index, clientId, -1, -1, 256);
        while (out.size() < windowMax && queue.hasNext()) {
            QueueEntry e = queue.next();
            if (e.state() == dev.cairn.storage.index.DeliveryState.QUEUED) {
                break;
            }
            out.add(delivery(journal, e, nowNanos, nowMillis));
            lastInflight = e.position();
            lastInflightCopy = e.copy();
        }
        return new InflightHead(out, lastInflight, lastInflightCopy);
    }

    /**
     * In-flight deliveries of a session and the queue key {@code (lastPosition, lastCopy)} of the
     * last of them ({@code -1, -1} if none).
     */
    public record InflightHead(List<Delivery> deliveries, long lastPosition, int lastCopy) {
    }

    /** The message a queue entry reads: the original record, or retention's relocated copy of it. */
    static MessageStored storedMessage(Journal journal, long queuePosition, long payloadPosition) {
        JournalRecord record = journal.read(payloadPosition);
        if (record instanceof MessageStored stored) {
            return stored;
        }
        if (record instanceof MessageRelocated relocated) {
            return relocated.message();
        }
        throw new IllegalStateException("queue entry " + queuePosition + " reads its message at position "
                + payloadPosition + ", which holds a " + record.type() + " record, not a message; run the"
                + " tools' verify command");
    }

    /** The delivery a queue entry is: waiting, or in flight with its packet id and state. */
    static Delivery delivery(Journal journal, QueueEntry e, long nowNanos, long nowMillis) {
        MessageStored stored = storedMessage(journal, e.position(), e.payloadPosition());
        Message m = Conversions.message(stored, e.position(), nowNanos, nowMillis);
        QoS qos = QoS.fromValue(e.qos());
        boolean retain = e.retainAsPublished() && stored.retain();
        int[] ids = e.subscriptionIds().length == 0 ? null : e.subscriptionIds();
        if (e.state() == dev.cairn.storage.index.DeliveryState.QUEUED) {
            return new Delivery(m, qos, retain, ids, true, e.copy());
        }
        return Delivery.recovered(m, qos, retain, ids, e.copy(), e.packetId(),
                Conversions.deliveryState(e.state(), qos));
    }
}
