package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.PropertyBlock;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
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
 * What the store recovered (the index's {@link RecoveredState}, queues read lazily from the index
 * and the journal), translated into broker values for the core to load at start: sessions,
 * retained messages, and each session's in-flight deliveries (read from the head of its queue;
 * the waiting rest stays on disk as backlog). Used once, on the core thread, before the listener
 * accepts connections.
 */
final class JournalRecovered implements Recovered {
    private final RecoveredState state;
    private final Journal journal;
    private final IndexStore index;
    private final Clock clock;

    JournalRecovered(RecoveredState state, Journal journal, IndexStore index, Clock clock) {
        this.state = state;
        this.journal = journal;
        this.index = index;
        this.clock = clock;
    }

    @Override
    public List<RestoredSession> sessions() {
        List<RestoredSession> out = new ArrayList<>(state.sessions().size());
        for (RecoveredSession r : state.sessions()) {
            SessionState s = r.state();
            Map<String, SubscriptionOptions> subs = new LinkedHashMap<>();
            for (Subscription sub : r.subscriptions()) {
                subs.put(sub.filter(), SubscriptionOptions.fromByte(sub.options(), sub.subscriptionId()));
            }
            WillMessage will = s.will() == null || r.willFireAtMillis() < 0
                    ? null
                    : Conversions.willMessage(s.clientId(), s.will());
            out.add(new RestoredSession(
                    s.clientId(),
                    s.protocolLevel(),
                    s.sessionExpirySeconds(),
                    s.presence() == Presence.ONLINE,
                    s.changedAtMillis(),
                    will,
                    r.willFireAtMillis(),
                    subs,
                    new HashSet<>(r.inboundQos2().keySet()),
                    r.queueDepth().messages(),
                    r.queueDepth().bytes(),
                    Conversions.identity(s.owner())));
        }
        return out;
    }

    @Override
    public List<Message> retained() {
        long nowNanos = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        List<Message> out = new ArrayList<>(state.retained().size());
        for (RetainedMessage r : state.retained()) {
            Message m = Conversions.retained(
                    r.topic(),
                    QoS.fromValue(r.qos()),
                    r.payload(),
                    PropertyBlock.decode(r.properties()),
                    r.expiresAtMillis(),
                    nowNanos,
                    nowMillis);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public InflightHead inflight(String clientId, int windowMax) {
        List<Delivery> out = new ArrayList<>();
        long nowNanos = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        long lastInflight = -1;
        int lastInflightCopy = -1;
        long firstWaiting = -1;
        QueueCursor queue = new QueueCursor(index, clientId, -1, -1, 256);
        while (out.size() < windowMax && queue.hasNext()) {
            QueueEntry e = queue.next();
            if (e.state() == dev.cairn.storage.index.DeliveryState.QUEUED) {
                firstWaiting = e.position();
                break;
            }
            out.add(delivery(journal, e, nowNanos, nowMillis));
            lastInflight = e.position();
            lastInflightCopy = e.copy();
        }
        return new InflightHead(out, lastInflight, lastInflightCopy, firstWaiting);
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
        return Delivery.recovered(
                m, qos, retain, ids, e.copy(), e.packetId(), Conversions.deliveryState(e.state(), qos));
    }
}
