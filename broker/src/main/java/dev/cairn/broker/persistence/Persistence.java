package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.delivery.Backlog;
import dev.cairn.broker.delivery.DeliveryLog;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import java.util.List;

/**
 * The core's only door to durable state: every fact the broker must not forget (a stored
 * message and the sessions it is queued for, a session opened, closed or ended, a subscription,
 * a delivery sent, released or acknowledged, a will scheduled, fired or cancelled) is handed
 * here as it is decided, and the core lets no packet that depends on it leave before
 * {@link #syncedPosition()} covers it. Implementations: {@link JournalPersistence} (the Chronicle
 * Queue journal and the RocksDB index of the storage module) and {@link InMemoryPersistence} (the
 * same contract without a disk, for fast tests and non-durable brokers); a replicated one would
 * make {@link #syncNow} wait for a quorum.
 *
 * <p>The contract, which {@code PersistenceContractTest} runs against every implementation:
 * <ul>
 * <li><b>Positions.</b> Every fact is appended as a record with a position; positions grow
 *     strictly in append order (a later append never gets a lower position, whatever the wall
 *     clock does). {@link #messageStored} returns its record's position, which the core keeps as
 *     the message's identity in queues.</li>
 * <li><b>Durability.</b> An appended record is durable once {@link #syncedPosition()} is at or
 *     past its position. {@link #syncNow} (group commit, once per core-loop turn) makes every
 *     record appended before the call durable before it returns, so afterwards
 *     {@code syncedPosition() == lastAppendedPosition()} and {@link #hasUnsynced()} is false.
 *     "Durable" means what the implementation promises: on disk under the {@code durability}
 *     policy for the journal, the life of the object for the in-memory one.</li>
 * <li><b>Reads see applied records.</b> The queue reads ({@link SessionJournal#read}) and
 *     {@link #recovered()} see a record only after {@link #applyIndex} has applied it, and
 *     {@code applyIndex} applies only records at or below the synced position it is given, in
 *     append order: nothing read back can be a fact that could still be lost.</li>
 * <li><b>Recovery.</b> {@link #recovered()}, called once at start before any append, returns
 *     the state every durable record leads to: each session that has not ended (with its
 *     subscriptions, inbound QoS 2 packet ids, scheduled will, presence when the records stopped,
 *     and its queue depth in messages and bytes), every retained message that has not expired,
 *     and, per session, the deliveries in flight at the head of its queue.</li>
 * </ul>
 *
 * <p>Threads: the core thread only, which owns the implementation from the first call on;
 * {@link #syncedPosition()} may be read from any thread.
 */
public interface Persistence extends AutoCloseable {
    /**
     * What the durable records say at start: sessions, retained messages, in-flight deliveries.
     * Called once, before the first append.
     */
    Recovered recovered();

    /**
     * Looks at the storage's free space when a check is due (cheap to call every turn); see
     * {@link #refusesNewData}.
     */
    void checkSpace(long nowNanos);

    /**
     * New thresholds of {@link #checkSpace} (a reload: {@code disk_free_min_bytes},
     * {@code disk_free_warn_bytes}); the next check, due at once, applies them.
     */
    void spaceThresholds(long freeMinBytes, long freeWarnBytes);

    /**
     * Whether the storage is short of space (below {@code disk_free_min_bytes}, or it could not
     * reserve room ahead): then QoS 1/2 PUBLISHes, new persistent sessions and their subscriptions
     * must be refused before anything is appended (docs/durability.md, "Full disk").
     */
    boolean refusesNewData();

    /**
     * Appends one accepted message with the persistent sessions it is queued for, and, for a
     * QoS 2 PUBLISH from a persistent session, the publisher's packet id awaiting PUBREL (0 for
     * none) in the same record, so a crash cannot keep one without the other. A retained message
     * (an empty payload clears the topic's) is kept for {@link Recovered#retained}.
     *
     * @param nowNanos the core's monotonic now, to turn the message's expiry into wall-clock time
     * @return the record's position, greater than every position returned before
     * @throws NoSpaceException when the storage is too full for the record; nothing was appended
     */
    long messageStored(Message m, List<QueuedFor> queuedFor, int inboundPacketId, long nowNanos);

    /**
     * A CONNECT took or resumed the session; a clean start first drops everything it had. {@code
     * owner} (the connection's username and listener) is kept with the session and recovered.
     */
    void sessionOpened(
            String clientId,
            boolean cleanStart,
            long expirySeconds,
            int protocolLevel,
            WillMessage will,
            Identity owner);

    /** The session's connection ended; its expiry interval runs from now. */
    void sessionClosed(String clientId, long expirySeconds);

    /** The session ended: its subscriptions, queue, inbound QoS 2 ids and will go with it. */
    void sessionExpired(String clientId);

    void subscribed(String clientId, String filter, SubscriptionOptions options);

    void unsubscribed(String clientId, String filter);

    /** PUBREL arrived for an inbound QoS 2 packet id stored with its message. */
    void inboundQos2Released(String clientId, int packetId);

    /** The session's will is delayed until {@code fireAtMillis} (wall clock). */
    void willScheduled(String clientId, long fireAtMillis);

    void willFired(String clientId);

    /** The client reconnected within the will delay [MQTT-3.1.3-9]. */
    void willCancelled(String clientId);

    /** One persistent session's queue: the log of its deliveries and the reader of its backlog. */
    SessionJournal sessionJournal(String clientId);

    /**
     * One retention step: frees what no queue, retained message or recovery needs any more. The
     * records it appends become durable with this turn's {@link #syncNow}.
     */
    RetentionReport runRetention();

    /** The highest position known durable, -1 before the first; any thread. */
    long syncedPosition();

    /** The position of the last record appended (or recovered), -1 if none. */
    long lastAppendedPosition();

    /** Whether records were appended that are not known durable yet. */
    default boolean hasUnsynced() {
        return lastAppendedPosition() != syncedPosition();
    }

    /** Group commit: makes every record appended so far durable before it returns. */
    void syncNow();

    /** Records appended since this persistence was opened (recovered ones not counted), for the metrics; core thread. */
    long appendedRecords();

    /** Bytes appended to storage since it was opened (0 where nothing is written), for the metrics; core thread. */
    long appendedBytes();

    /** Records appended and not yet applied by {@link #applyIndex}, for the metrics; core thread. */
    int unappliedRecords();

    /**
     * Applies the records appended up to {@code syncedPosition} (in append order) to the state the
     * reads and a later recovery see. Returns whether anything was applied, so the core can move
     * backlogs that waited for it.
     */
    boolean applyIndex(long syncedPosition);

    /** Releases the storage; what was synced stays recoverable. */
    @Override
    void close();

    /**
     * A persistent session's view of its queue: journals each delivery's state changes and reads
     * the waiting entries back in queue order, each a {@code (position, copy)} key. Core thread
     * only.
     */
    interface SessionJournal extends DeliveryLog, Backlog {
        /**
         * When the oldest entry waiting in the queue (not in flight) was received, in wall-clock
         * milliseconds, or -1 when none waits; like {@link #read}, it sees only applied records.
         * For the admin API and the metrics' oldest queued message: one seek and one message read.
         */
        @Override
        long oldestQueuedAtMillis();
    }
}
