package dev.cairn.storage.index;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Received;
import dev.cairn.storage.record.InboundQos2Released;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionClosed;
import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.Unsubscribed;
import dev.cairn.storage.record.WillCancelled;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.record.WillScheduled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns journal records into index mutations for one atomic batch. Pure: reads the index through
 * {@link Lookup} and sees its own earlier mutations through an overlay, because a batch often
 * stores a message and sends it, or opens a clean session and subscribes, in one go.
 * Confined to the applying thread; one instance per batch.
 */
final class BatchApplier {
    /** Reads the committed index. */
    interface Lookup {
        byte[] get(Cf cf, byte[] key);
    }

    private static final byte[] TOMBSTONE = new byte[0];
    /** Column families keyed by client id then more: a session's entries are one key range. */
    private static final Cf[] CLIENT_KEYED = {Cf.SUBSCRIPTIONS, Cf.QUEUES, Cf.INBOUND_QOS2};

    private final Lookup committed;
    private final List<Mutation> mutations = new ArrayList<>();
    private final Map<Cf, Map<ByteBuffer, byte[]>> overlay = new EnumMap<>(Cf.class);
    private final Map<Cf, List<byte[][]>> deletedRanges = new EnumMap<>(Cf.class);

    BatchApplier(Lookup committed) {
        this.committed = committed;
    }

    List<Mutation> mutations() {
        return mutations;
    }

    void apply(long position, JournalRecord record) {
        switch (record.type()) {
            case MESSAGE_STORED:
                messageStored(position, (MessageStored) record);
                break;
            case SESSION_OPENED:
                sessionOpened((SessionOpened) record);
                break;
            case SESSION_CLOSED:
                sessionClosed((SessionClosed) record);
                break;
            case SESSION_EXPIRED:
                removeSession(((SessionExpired) record).clientId());
                break;
            case SUBSCRIBED: {
                Subscribed r = (Subscribed) record;
                put(
                        Cf.SUBSCRIPTIONS,
                        Keys.subscription(r.clientId(), r.filter()),
                        Values.subscription(r.options(), r.subscriptionId()));
                break;
            }
            case UNSUBSCRIBED: {
                Unsubscribed r = (Unsubscribed) record;
                delete(Cf.SUBSCRIPTIONS, Keys.subscription(r.clientId(), r.filter()));
                break;
            }
            default:
                applyDeliveryOrWill(position, record);
        }
    }

    private void applyDeliveryOrWill(long position, JournalRecord record) {
        switch (record.type()) {
            case DELIVERY_SENT: {
                DeliverySent r = (DeliverySent) record;
                moveEntry(r.clientId(), r.position(), r.copy(), DeliveryState.SENT, r.packetId());
                break;
            }
            case DELIVERY_RELEASED: {
                DeliveryReleased r = (DeliveryReleased) record;
                moveEntry(r.clientId(), r.position(), r.copy(), DeliveryState.RELEASED, r.packetId());
                break;
            }
            case DELIVERY_ACKNOWLEDGED:
                acknowledged((DeliveryAcknowledged) record);
                break;
            case INBOUND_QOS2_RECEIVED: {
                InboundQos2Received r = (InboundQos2Received) record;
                put(Cf.INBOUND_QOS2, Keys.inbound(r.clientId(), r.packetId()), Values.i64(r.position()));
                break;
            }
            case INBOUND_QOS2_RELEASED: {
                InboundQos2Released r = (InboundQos2Released) record;
                delete(Cf.INBOUND_QOS2, Keys.inbound(r.clientId(), r.packetId()));
                break;
            }
            case WILL_SCHEDULED: {
                WillScheduled r = (WillScheduled) record;
                put(Cf.WILLS, Keys.client(r.clientId()), Values.i64(r.fireAtMillis()));
                break;
            }
            case WILL_FIRED:
                willFired(((WillFired) record).clientId());
                break;
            case WILL_CANCELLED:
                delete(Cf.WILLS, Keys.client(((WillCancelled) record).clientId()));
                break;
            case MESSAGE_RELOCATED:
                relocated(position, (MessageRelocated) record);
                break;
            case TAIL_DISCARDED:
                break; // Journal bookkeeping only; nothing to index.
            default:
                throw new IllegalArgumentException("no index rule for " + record.type());
        }
    }

    private void messageStored(long position, MessageStored m) {
        if (m.inboundPacketId() != 0) {
            put(Cf.INBOUND_QOS2, Keys.inbound(m.publisherClientId(), m.inboundPacketId()), Values.i64(position));
        }
        if (m.retain()) {
            byte[] topicKey = Keys.topic(m.topic());
            if (m.clearsRetained()) {
                delete(Cf.RETAINED, topicKey);
            } else {
                put(
                        Cf.RETAINED,
                        topicKey,
                        Values.retained(new RetainedMessage(
                                m.topic(), m.qos(), m.properties(), m.payload(), m.expiresAtMillis(), position)));
            }
        }
        long bytes = m.recipients().isEmpty() ? 0 : m.queuedBytes();
        for (Recipient recipient : m.recipients()) {
            byte[] key = Keys.queueEntry(recipient.clientId(), position, recipient.copy());
            if (get(Cf.QUEUES, key) == null) {
                addDepth(recipient.clientId(), 1, bytes);
            }
            put(
                    Cf.QUEUES,
                    key,
                    Values.queueEntry(new QueueEntry(
                            position,
                            recipient.qos(),
                            DeliveryState.QUEUED,
                            0,
                            recipient.retainAsPublished(),
                            recipient.subscriptionIds(),
                            bytes,
                            position,
                            recipient.copy())));
            put(
                    Cf.PAYLOAD_REFS,
                    Keys.payloadRef(position, recipient.clientId(), recipient.copy()),
                    Values.i64(position));
        }
    }

    /**
     * Each named entry that still exists reads its message here from now on. References of
     * sessions removed meanwhile stay behind as stale {@code payload_refs}; readers skip them.
     */
    private void relocated(long position, MessageRelocated r) {
        for (QueueRef ref : r.refs()) {
            byte[] key = Keys.queueEntry(ref.clientId(), ref.queuePosition(), ref.copy());
            byte[] value = get(Cf.QUEUES, key);
            if (value == null) {
                continue; // Acknowledged in the same turn the copy was made.
            }
            QueueEntry entry = Values.queueEntry(ref.queuePosition(), ref.copy(), value);
            delete(Cf.PAYLOAD_REFS, Keys.payloadRef(entry.payloadPosition(), ref.clientId(), ref.copy()));
            put(Cf.QUEUES, key, Values.queueEntry(entry.withPayloadPosition(position)));
            put(
                    Cf.PAYLOAD_REFS,
                    Keys.payloadRef(position, ref.clientId(), ref.copy()),
                    Values.i64(ref.queuePosition()));
        }
    }

    private void sessionOpened(SessionOpened r) {
        if (r.cleanStart()) {
            removeSession(r.clientId());
        }
        put(
                Cf.SESSIONS,
                Keys.client(r.clientId()),
                Values.session(new SessionState(
                        r.clientId(),
                        r.protocolLevel(),
                        r.sessionExpirySeconds(),
                        Presence.ONLINE,
                        r.atMillis(),
                        r.will(),
                        r.owner())));
    }

    private void sessionClosed(SessionClosed r) {
        byte[] key = Keys.client(r.clientId());
        byte[] value = get(Cf.SESSIONS, key);
        if (value == null) {
            return; // Closed after it expired or was never opened: nothing to keep.
        }
        SessionState s = Values.session(r.clientId(), value);
        put(
                Cf.SESSIONS,
                key,
                Values.session(new SessionState(
                        r.clientId(),
                        s.protocolLevel(),
                        r.sessionExpirySeconds(),
                        Presence.OFFLINE,
                        r.atMillis(),
                        s.will(),
                        s.owner())));
    }

    private void willFired(String clientId) {
        delete(Cf.WILLS, Keys.client(clientId));
        byte[] key = Keys.client(clientId);
        byte[] value = get(Cf.SESSIONS, key);
        if (value != null) {
            SessionState s = Values.session(clientId, value);
            put(
                    Cf.SESSIONS,
                    key,
                    Values.session(new SessionState(
                            clientId,
                            s.protocolLevel(),
                            s.sessionExpirySeconds(),
                            s.presence(),
                            s.changedAtMillis(),
                            null,
                            s.owner())));
        }
    }

    private void removeSession(String clientId) {
        // Subscriptions, queue entries and inbound QoS 2 ids are only written for a session the index
        // holds, so a client it does not know has none: no range tombstones then. A clean-start
        // CONNECT of a new client is the common case, and RocksDB reads get slower with every range
        // tombstone they must consider until compaction drops it.
        byte[] client = Keys.client(clientId); // never mutated, so one array serves every mutation
        if (get(Cf.SESSIONS, client) != null) {
            byte[] start = Keys.clientStart(clientId);
            byte[] end = Keys.clientEnd(clientId);
            // Its payload_refs (keyed by position, not client) go stale; readers skip and prune them.
            for (Cf cf : CLIENT_KEYED) {
                deleteRange(cf, start, end);
            }
        }
        delete(Cf.QUEUE_DEPTHS, client);
        delete(Cf.WILLS, client);
        delete(Cf.SESSIONS, client);
    }

    private void moveEntry(String clientId, long position, int copy, DeliveryState state, int packetId) {
        byte[] key = Keys.queueEntry(clientId, position, copy);
        byte[] value = get(Cf.QUEUES, key);
        if (value != null) {
            put(
                    Cf.QUEUES,
                    key,
                    Values.queueEntry(Values.queueEntry(position, copy, value).withState(state, packetId)));
        }
    }

    private void acknowledged(DeliveryAcknowledged r) {
        byte[] key = Keys.queueEntry(r.clientId(), r.position(), r.copy());
        byte[] value = get(Cf.QUEUES, key);
        if (value != null) {
            QueueEntry entry = Values.queueEntry(r.position(), r.copy(), value);
            delete(Cf.PAYLOAD_REFS, Keys.payloadRef(entry.payloadPosition(), r.clientId(), r.copy()));
            delete(Cf.QUEUES, key);
            addDepth(r.clientId(), -1, -entry.messageBytes());
        }
    }

    /** Keeps a session's {@link QueueDepth} equal to the sum over its entries; none stored when empty. */
    private void addDepth(String clientId, long deltaMessages, long deltaBytes) {
        byte[] key = Keys.client(clientId);
        byte[] value = get(Cf.QUEUE_DEPTHS, key);
        QueueDepth depth =
                (value == null ? QueueDepth.EMPTY : Values.queueDepth(value)).plus(deltaMessages, deltaBytes);
        if (depth.messages() <= 0) {
            delete(Cf.QUEUE_DEPTHS, key);
        } else {
            put(Cf.QUEUE_DEPTHS, key, Values.queueDepth(depth));
        }
    }

    private byte[] get(Cf cf, byte[] key) {
        byte[] pending = overlay.getOrDefault(cf, Map.of()).get(ByteBuffer.wrap(key));
        if (pending != null) {
            return pending == TOMBSTONE ? null : pending;
        }
        for (byte[][] range : deletedRanges.getOrDefault(cf, List.of())) {
            if (Arrays.compareUnsigned(key, range[0]) >= 0 && Arrays.compareUnsigned(key, range[1]) < 0) {
                return null;
            }
        }
        return committed.get(cf, key);
    }

    private void put(Cf cf, byte[] key, byte[] value) {
        overlay.computeIfAbsent(cf, c -> new HashMap<>()).put(ByteBuffer.wrap(key), value);
        mutations.add(Mutation.put(cf, key, value));
    }

    private void delete(Cf cf, byte[] key) {
        overlay.computeIfAbsent(cf, c -> new HashMap<>()).put(ByteBuffer.wrap(key), TOMBSTONE);
        mutations.add(Mutation.delete(cf, key));
    }

    private void deleteRange(Cf cf, byte[] start, byte[] end) {
        Map<ByteBuffer, byte[]> pending = overlay.get(cf);
        if (pending != null) {
            pending.keySet().removeIf(k -> {
                byte[] key = new byte[k.remaining()];
                k.duplicate().get(key);
                return Arrays.compareUnsigned(key, start) >= 0 && Arrays.compareUnsigned(key, end) < 0;
            });
        }
        deletedRanges.computeIfAbsent(cf, c -> new ArrayList<>()).add(new byte[][] {start, end});
        mutations.add(Mutation.deleteRange(cf, start, end));
    }
}
