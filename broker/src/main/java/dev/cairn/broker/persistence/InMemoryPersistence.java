package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.DeliveryState;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.broker.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * {@link Persistence} in memory: the same contract as {@link JournalPersistence} without a disk.
 * Each fact is appended as a record with the next position (0, 1, 2, ...); {@link #syncNow} makes
 * everything appended durable at once (nothing can be lost but the whole object); and
 * {@link #applyIndex} applies the synced records, in order, to the state the queue reads and
 * {@link #recovered()} see, by the same rules the index follows. A core started again on the same
 * instance (after the previous one stopped) therefore restores sessions, queues, in-flight
 * deliveries, delayed wills and retained messages exactly as a restart on the journal would.
 *
 * <p>For fast tests of the core and for a broker that keeps nothing across processes. Memory is
 * bounded as the broker's queues are: a message is held while a queue entry refers to it, a
 * retained message until it is replaced or cleared. Retention has nothing to delete.
 *
 * <p>Threads: the core thread; {@link #syncedPosition()} and {@link #lastAppendedPosition()}
 * from any. Successive cores may own it one after the other (a restart in a test).
 */
public final class InMemoryPersistence implements Persistence {
    private final Clock clock;
    /** Records appended and not yet applied, in position order. */
    private final ArrayDeque<PendingRecord> unapplied = new ArrayDeque<>();

    private long appendedRecords;

    private final Applied applied = new Applied();
    private volatile long lastAppended = -1;
    private volatile long synced = -1;

    /** @param clock the wall clock stamps session changes and turns message expiry into wall-clock time */
    public InMemoryPersistence(Clock clock) {
        this.clock = clock;
    }

    /** One appended record: its position and what it changes once applied. */
    private record PendingRecord(long position, Runnable change) {}

    @Override
    public Recovered recovered() {
        return new Snapshot();
    }

    /** Memory is bounded by the queue limits; there is no disk to watch. */
    @Override
    public void checkSpace(long nowNanos) {}

    /** No disk to watch, so no thresholds to apply. */
    @Override
    public void spaceThresholds(long freeMinBytes, long freeWarnBytes) {}

    /** Never short of space: what it holds is bounded by the broker's queue limits. */
    @Override
    public boolean refusesNewData() {
        return false;
    }

    @Override
    public long messageStored(Message m, List<QueuedFor> queuedFor, int inboundPacketId, long nowNanos) {
        long nowMillis = clock.currentTimeMillis();
        List<QueuedFor> recipients = List.copyOf(queuedFor);
        long expiresAtMillis = Conversions.expiresAtMillis(m.expiresAtNanos(), nowNanos, nowMillis);
        return append(position -> () -> applied.messageStored(
                new StoredMessage(m.withPosition(position), expiresAtMillis, nowMillis), recipients, inboundPacketId));
    }

    @Override
    public void sessionOpened(
            String clientId,
            boolean cleanStart,
            long expirySeconds,
            int protocolLevel,
            WillMessage will,
            Identity owner) {
        long nowMillis = clock.currentTimeMillis();
        append(position -> () -> applied.sessionOpened(
                clientId, cleanStart, new SessionRow(protocolLevel, expirySeconds, true, nowMillis, will, owner)));
    }

    @Override
    public void sessionClosed(String clientId, long expirySeconds) {
        long nowMillis = clock.currentTimeMillis();
        append(position -> () -> applied.sessionClosed(clientId, expirySeconds, nowMillis));
    }

    @Override
    public void sessionExpired(String clientId) {
        append(position -> () -> applied.removeSession(clientId));
    }

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {
        append(position -> () -> applied.clientSubscriptions(clientId).put(filter, options));
    }

    @Override
    public void unsubscribed(String clientId, String filter) {
        append(position -> () -> applied.clientSubscriptions(clientId).remove(filter));
    }

    @Override
    public void inboundQos2Released(String clientId, int packetId) {
        append(position -> () -> applied.clientInboundQos2(clientId).remove(packetId));
    }

    @Override
    public void willScheduled(String clientId, long fireAtMillis) {
        append(position -> () -> applied.wills.put(clientId, fireAtMillis));
    }

    @Override
    public void willFired(String clientId) {
        append(position -> () -> applied.willFired(clientId));
    }

    @Override
    public void willCancelled(String clientId) {
        append(position -> () -> applied.wills.remove(clientId));
    }

    @Override
    public SessionJournal sessionJournal(String clientId) {
        return new MemorySessionJournal(clientId);
    }

    /** Nothing to delete; reports what the journal's retention would need kept. */
    @Override
    public RetentionReport runRetention() {
        long appliedPosition = applied.appliedPosition;
        long oldestQueued = applied.oldestQueuedPosition();
        if (oldestQueued >= 0 && oldestQueued < appliedPosition) {
            return new RetentionReport(oldestQueued, "queue", 0, 0, 0, 0);
        }
        return new RetentionReport(appliedPosition, appliedPosition < 0 ? "nothing" : "index", 0, 0, 0, 0);
    }

    @Override
    public long syncedPosition() {
        return synced;
    }

    @Override
    public long lastAppendedPosition() {
        return lastAppended;
    }

    @Override
    public void syncNow() {
        synced = lastAppended;
    }

    @Override
    public boolean applyIndex(long syncedPosition) {
        boolean any = false;
        PendingRecord next;
        while ((next = unapplied.peekFirst()) != null && next.position() <= syncedPosition) {
            unapplied.removeFirst();
            next.change().run();
            applied.appliedPosition = next.position();
            any = true;
        }
        return any;
    }

    /** Like a clean stop of the journal: everything appended is kept for the next core. */
    @Override
    public void close() {
        syncNow();
        applyIndex(synced);
    }

    @Override
    public long appendedRecords() {
        return appendedRecords;
    }

    /** Nothing is written: always 0. */
    @Override
    public long appendedBytes() {
        return 0;
    }

    @Override
    public int unappliedRecords() {
        return unapplied.size();
    }

    /** Makes a record at the next position; {@code record} builds its change from that position. */
    private long append(LongFunction<Runnable> record) {
        appendedRecords++;
        long position = lastAppended + 1;
        unapplied.addLast(new PendingRecord(position, record.apply(position)));
        lastAppended = position;
        return position;
    }

    /** See {@link #sessionJournal}. Core thread only. */
    private final class MemorySessionJournal implements SessionJournal {
        private final String clientId;

        private MemorySessionJournal(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public void sent(Delivery d) {
            moveEntry(d, DeliveryState.sent(d.qos()));
        }

        @Override
        public void released(Delivery d) {
            moveEntry(d, DeliveryState.AWAITING_PUBCOMP);
        }

        private void moveEntry(Delivery d, DeliveryState state) {
            QueueKey key = new QueueKey(d.position(), d.copy());
            int packetId = d.packetId();
            append(position -> () -> applied.moveEntry(clientId, key, state, packetId));
        }

        @Override
        public void finished(Delivery d) {
            QueueKey key = new QueueKey(d.position(), d.copy());
            append(position -> () -> applied.removeEntry(clientId, key));
        }

        @Override
        public List<Delivery> read(long afterPosition, int afterCopy, int maxEntries) {
            List<Delivery> out = new ArrayList<>();
            NavigableMap<QueueKey, QueueEntry> queue = applied.queues.get(clientId);
            if (queue == null || maxEntries <= 0) {
                return out;
            }
            long nowNanos = clock.nanoTime();
            long nowMillis = clock.currentTimeMillis();
            for (Map.Entry<QueueKey, QueueEntry> e :
                    queue.tailMap(new QueueKey(afterPosition, afterCopy), false).entrySet()) {
                if (e.getValue().state == DeliveryState.QUEUED) {
                    out.add(e.getValue().delivery(e.getKey().copy(), nowNanos, nowMillis));
                    if (out.size() >= maxEntries) {
                        break;
                    }
                } // Else in flight: the queue holds it in memory already.
            }
            return out;
        }

        @Override
        public long oldestQueuedAtMillis() {
            NavigableMap<QueueKey, QueueEntry> queue = applied.queues.get(clientId);
            if (queue != null) {
                for (QueueEntry e : queue.values()) {
                    if (e.state == DeliveryState.QUEUED) {
                        return e.stored.receivedAtMillis();
                    }
                }
            }
            return -1;
        }
    }

    /** A queue entry's key: the message's position, then which of the session's copies it is. */
    private record QueueKey(long position, int copy) implements Comparable<QueueKey> {
        @Override
        public int compareTo(QueueKey o) {
            int byPosition = Long.compare(position, o.position);
            return byPosition != 0 ? byPosition : Integer.compare(copy, o.copy);
        }
    }

    /**
     * A message as stored: its expiry in wall-clock time, so it survives a change of monotonic
     * clock, and when it was received (as the journal's {@code MessageStored} keeps it).
     */
    private record StoredMessage(Message message, long expiresAtMillis, long receivedAtMillis) {
        /** As a retained message recovered now, or null if it has expired. */
        Message retainedAt(long nowNanos, long nowMillis) {
            return Conversions.retained(
                    message.topic(),
                    message.qos(),
                    message.payload(),
                    message.properties(),
                    expiresAtMillis,
                    nowNanos,
                    nowMillis);
        }

        /** The message in the monotonic time of the core reading it. */
        Message at(long nowNanos, long nowMillis) {
            Message m = message;
            // As read back from the journal, where a message without a publisher has an empty one.
            String publisher = m.publisherClientId() == null ? "" : m.publisherClientId();
            return new Message(
                    m.topic(),
                    m.qos(),
                    m.retain(),
                    m.payload(),
                    m.properties(),
                    publisher,
                    Conversions.expiresAtNanos(expiresAtMillis, nowNanos, nowMillis),
                    m.position());
        }
    }

    /** One delivery waiting or in flight in a session's queue. */
    private static final class QueueEntry {
        final StoredMessage stored;
        final QoS qos;
        final boolean retainAsPublished;
        final int[] subscriptionIds;
        DeliveryState state = DeliveryState.QUEUED;
        int packetId;

        QueueEntry(StoredMessage stored, QueuedFor q) {
            this.stored = stored;
            this.qos = q.qos();
            this.retainAsPublished = q.retainAsPublished();
            this.subscriptionIds =
                    q.subscriptionIds() == null ? null : q.subscriptionIds().clone();
        }

        Delivery delivery(int copy, long nowNanos, long nowMillis) {
            Message m = stored.at(nowNanos, nowMillis);
            boolean retain = retainAsPublished && m.retain();
            int[] ids = subscriptionIds == null || subscriptionIds.length == 0 ? null : subscriptionIds.clone();
            if (state == DeliveryState.QUEUED) {
                return new Delivery(m, qos, retain, ids, true, copy);
            }
            return Delivery.recovered(m, qos, retain, ids, copy, packetId, state);
        }
    }

    /** A session as its records left it. */
    private record SessionRow(
            int protocolLevel,
            long expirySeconds,
            boolean online,
            long changedAtMillis,
            WillMessage will,
            Identity owner) {}

    /**
     * The state the applied records lead to, kept by the rules the journal's index applies: a
     * clean start or an expiry drops everything keyed by the client; a queue entry exists from
     * its message's record until its acknowledgement; a will's time is kept apart from the will.
     */
    private static final class Applied {
        final Map<String, SessionRow> sessions = new TreeMap<>();
        final Map<String, NavigableMap<String, SubscriptionOptions>> subscriptions = new HashMap<>();
        final Map<String, Set<Integer>> inboundQos2 = new HashMap<>();
        final Map<String, NavigableMap<QueueKey, QueueEntry>> queues = new HashMap<>();
        final Map<String, Long> wills = new HashMap<>();
        final Map<String, StoredMessage> retained = new TreeMap<>();
        long appliedPosition = -1;

        NavigableMap<String, SubscriptionOptions> clientSubscriptions(String clientId) {
            return subscriptions.computeIfAbsent(clientId, c -> new TreeMap<>());
        }

        Set<Integer> clientInboundQos2(String clientId) {
            return inboundQos2.computeIfAbsent(clientId, c -> new TreeSet<>());
        }

        void messageStored(StoredMessage stored, List<QueuedFor> recipients, int inboundPacketId) {
            Message m = stored.message();
            if (inboundPacketId != 0) {
                clientInboundQos2(m.publisherClientId()).add(inboundPacketId);
            }
            if (m.retain()) {
                if (m.payload().length == 0) {
                    retained.remove(m.topic()); // [MQTT-3.3.1-6]
                } else {
                    retained.put(m.topic(), stored); // [MQTT-3.3.1-5]
                }
            }
            for (QueuedFor q : recipients) {
                queues.computeIfAbsent(q.clientId(), c -> new TreeMap<>())
                        .put(new QueueKey(m.position(), q.copy()), new QueueEntry(stored, q));
            }
        }

        void sessionOpened(String clientId, boolean cleanStart, SessionRow row) {
            if (cleanStart) {
                removeSession(clientId);
            }
            sessions.put(clientId, row);
        }

        void sessionClosed(String clientId, long expirySeconds, long atMillis) {
            SessionRow s = sessions.get(clientId);
            if (s != null) { // Else closed after it ended: nothing to keep.
                sessions.put(
                        clientId,
                        new SessionRow(s.protocolLevel(), expirySeconds, false, atMillis, s.will(), s.owner()));
            }
        }

        void willFired(String clientId) {
            wills.remove(clientId);
            SessionRow s = sessions.get(clientId);
            if (s != null) {
                sessions.put(
                        clientId,
                        new SessionRow(
                                s.protocolLevel(),
                                s.expirySeconds(),
                                s.online(),
                                s.changedAtMillis(),
                                null,
                                s.owner()));
            }
        }

        void removeSession(String clientId) {
            sessions.remove(clientId);
            subscriptions.remove(clientId);
            inboundQos2.remove(clientId);
            queues.remove(clientId);
            wills.remove(clientId);
        }

        void moveEntry(String clientId, QueueKey key, DeliveryState state, int packetId) {
            QueueEntry e = queue(clientId).get(key);
            if (e != null) {
                e.state = state;
                e.packetId = packetId;
            }
        }

        void removeEntry(String clientId, QueueKey key) {
            NavigableMap<QueueKey, QueueEntry> queue = queues.get(clientId);
            if (queue != null && queue.remove(key) != null && queue.isEmpty()) {
                queues.remove(clientId);
            }
        }

        private NavigableMap<QueueKey, QueueEntry> queue(String clientId) {
            return queues.getOrDefault(clientId, Collections.emptyNavigableMap());
        }

        long oldestQueuedPosition() {
            long oldest = -1;
            for (NavigableMap<QueueKey, QueueEntry> q : queues.values()) {
                long first = q.firstKey().position();
                oldest = oldest < 0 ? first : Math.min(oldest, first);
            }
            return oldest;
        }
    }

    /** The applied state as {@link Recovered}: what a core starting on this instance loads. */
    private final class Snapshot implements Recovered {
        @Override
        public List<RestoredSession> sessions() {
            List<RestoredSession> out = new ArrayList<>(applied.sessions.size());
            for (Map.Entry<String, SessionRow> e : applied.sessions.entrySet()) {
                String clientId = e.getKey();
                SessionRow s = e.getValue();
                Long fireAt = applied.wills.get(clientId);
                long willFireAtMillis = fireAt == null ? -1 : fireAt;
                WillMessage will = s.will() == null || willFireAtMillis < 0 ? null : s.will();
                long depth = 0;
                long bytes = 0;
                for (QueueEntry q : applied.queue(clientId).values()) {
                    depth++;
                    bytes += q.stored.message().queuedBytes();
                }
                out.add(new RestoredSession(
                        clientId,
                        s.protocolLevel(),
                        s.expirySeconds(),
                        s.online(),
                        s.changedAtMillis(),
                        will,
                        willFireAtMillis,
                        new LinkedHashMap<>(
                                applied.subscriptions.getOrDefault(clientId, Collections.emptyNavigableMap())),
                        new TreeSet<>(applied.inboundQos2.getOrDefault(clientId, Set.of())),
                        depth,
                        bytes,
                        s.owner()));
            }
            return out;
        }

        @Override
        public List<Message> retained() {
            long nowNanos = clock.nanoTime();
            long nowMillis = clock.currentTimeMillis();
            return applied.retained.values().stream()
                    .map(r -> r.retainedAt(nowNanos, nowMillis))
                    .filter(Objects::nonNull)
                    .toList();
        }

        @Override
        public InflightHead inflight(String clientId, int windowMax) {
            List<Delivery> out = new ArrayList<>();
            long nowNanos = clock.nanoTime();
            long nowMillis = clock.currentTimeMillis();
            long lastPosition = -1;
            int lastCopy = -1;
            long firstWaiting = -1;
            for (Map.Entry<QueueKey, QueueEntry> e : applied.queue(clientId).entrySet()) {
                if (e.getValue().state == DeliveryState.QUEUED) {
                    firstWaiting = e.getKey().position();
                    break;
                }
                if (out.size() >= windowMax) {
                    break;
                }
                out.add(e.getValue().delivery(e.getKey().copy(), nowNanos, nowMillis));
                lastPosition = e.getKey().position();
                lastCopy = e.getKey().copy();
            }
            return new InflightHead(out, lastPosition, lastCopy, firstWaiting);
        }
    }
}
