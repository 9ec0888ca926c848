package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.PropertyBlock;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.broker.time.Clock;
import dev.cairn.storage.Store;
import dev.cairn.storage.StoreConfig;
import dev.cairn.storage.index.IndexStore;
import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalFullException;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Released;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionClosed;
import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.Unsubscribed;
import dev.cairn.storage.record.WillCancelled;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.record.WillScheduled;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Persistence} on the storage module's data directory: turns session and routing decisions
 * into Chronicle Queue journal records, makes them durable once per core-loop turn
 * ({@link #syncNow}) under the {@code durability} policy, applies them to the RocksDB index once
 * they are ({@link #applyIndex}), and reads queued messages back. Everything runs on the core
 * thread, which owns the journal and the index from the first append on.
 */
public final class JournalPersistence implements Persistence {
    private final Store store;
    private final Journal journal;
    private final IndexStore index;
    private final Clock clock;
    private final JournalRetention retention;
    private final JournalSpace space;
    private List<PositionedRecord> unapplied = new ArrayList<>();
    private long appendedRecords;

    private JournalPersistence(Store store, Clock clock, BrokerConfig config) {
        this.store = store;
        this.journal = store.journal();
        this.index = store.index();
        this.clock = clock;
        this.space = new JournalSpace(
                journal, config.diskFreeMinBytes(), config.monitoring().diskFreeWarnBytes());
        this.retention = new JournalRetention(
                journal,
                index,
                this::append,
                config.journalRelocateAfterCycles(),
                config.journalRelocateBatchMax(),
                space::refusing);
    }

    /**
     * Checks the journal's free space when a check is due (at most once a second, and before a new
     * cycle file); core thread, every turn. See {@link #refusesNewData}.
     */
    @Override
    public void checkSpace(long nowNanos) {
        space.check(nowNanos);
    }

    /** New disk_free_min_bytes and disk_free_warn_bytes (a reload); core thread. */
    @Override
    public void spaceThresholds(long freeMinBytes, long freeWarnBytes) {
        space.thresholds(freeMinBytes, freeWarnBytes);
    }

    /**
     * Whether the journal's file system is below {@code disk_free_min_bytes} or the journal could
     * not write ahead (a full disk): then QoS 1/2 PUBLISHes, new persistent sessions and their
     * subscriptions must be refused before anything is journaled (docs/durability.md, "Full disk").
     */
    @Override
    public boolean refusesNewData() {
        return space.refusing();
    }

    /**
     * Opens (and recovers) the data directory; fails with the store's message if it cannot. The
     * journal rolls its cycle files by {@code clock}'s wall-clock time.
     */
    public static JournalPersistence open(BrokerConfig config, Clock clock) {
        StoreConfig storeConfig = StoreConfig.defaults(config.dataDir())
                .withSyncPolicy(config.durability())
                .withRollCycle(config.journalRollCycle())
                .withIndexMemtableBytesMax(config.indexMemoryMaxBytes());
        return new JournalPersistence(Store.open(storeConfig, clock::currentTimeMillis), clock, config);
    }

    /**
     * One retention step: deletes the journal cycle files nothing needs any more and relocates
     * queued messages from old cycles (docs/durability.md, "Retention"). Core thread only; the
     * relocation records it appends are made durable by this turn's {@link #syncNow}.
     */
    @Override
    public RetentionReport runRetention() {
        return retention.run();
    }

    @Override
    public Recovered recovered() {
        return new JournalRecovered(store.recoveredState(), journal, index, clock);
    }

    /**
     * Journals one accepted message with the persistent sessions it is queued for, and, for a QoS 2
     * PUBLISH from a persistent session, the publisher's packet id awaiting PUBREL (0 for none) in
     * the same record, so a crash cannot keep one without the other.
     *
     * @throws NoSpaceException when the journal's file system is too full for the record; nothing
     *     was appended
     */
    @Override
    public long messageStored(Message m, List<QueuedFor> queuedFor, int inboundPacketId, long nowNanos) {
        List<Recipient> recipients = new ArrayList<>(queuedFor.size());
        for (QueuedFor q : queuedFor) {
            recipients.add(new Recipient(
                    q.clientId(),
                    q.qos().value(),
                    q.retainAsPublished(),
                    q.subscriptionIds() == null ? new int[0] : q.subscriptionIds(),
                    q.copy()));
        }
        long nowMillis = clock.currentTimeMillis();
        try {
            return append(new MessageStored(
                    m.publisherClientId() == null ? "" : m.publisherClientId(),
                    m.topic(),
                    m.qos().value(),
                    m.retain(),
                    PropertyBlock.encode(m.properties()),
                    m.payload(),
                    nowMillis,
                    Conversions.expiresAtMillis(m.expiresAtNanos(), nowNanos, nowMillis),
                    recipients,
                    inboundPacketId));
        } catch (JournalFullException e) {
            throw new NoSpaceException(e);
        }
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
        append(new SessionOpened(
                clientId,
                cleanStart,
                expirySeconds,
                protocolLevel,
                nowMillis,
                will == null ? null : Conversions.will(will),
                Conversions.owner(owner)));
    }

    @Override
    public void sessionClosed(String clientId, long expirySeconds) {
        append(new SessionClosed(clientId, expirySeconds, clock.currentTimeMillis()));
    }

    @Override
    public void sessionExpired(String clientId) {
        append(new SessionExpired(clientId, clock.currentTimeMillis()));
    }

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {
        append(new Subscribed(clientId, filter, options.toByte(), options.subscriptionId()));
    }

    @Override
    public void unsubscribed(String clientId, String filter) {
        append(new Unsubscribed(clientId, filter));
    }

    @Override
    public void inboundQos2Released(String clientId, int packetId) {
        append(new InboundQos2Released(clientId, packetId));
    }

    @Override
    public void willScheduled(String clientId, long fireAtMillis) {
        append(new WillScheduled(clientId, fireAtMillis));
    }

    @Override
    public void willFired(String clientId) {
        append(new WillFired(clientId));
    }

    @Override
    public void willCancelled(String clientId) {
        append(new WillCancelled(clientId));
    }

    /**
     * One persistent session's view of the store, as its delivery log (journals sends, releases
     * and acks) and its backlog (reads its queue back: waiting entries only, messages from the
     * journal). One object for both: every session holds one (24 bytes less per connection than two).
     */
    @Override
    public SessionJournal sessionJournal(String clientId) {
        return new JournalSessionJournal(clientId);
    }

    /** See {@link #sessionJournal}. Core thread only. */
    private final class JournalSessionJournal implements SessionJournal {
        private final String clientId;

        private JournalSessionJournal(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public void sent(Delivery d) {
            append(new DeliverySent(clientId, d.position(), d.packetId(), d.copy()));
        }

        @Override
        public void released(Delivery d) {
            append(new DeliveryReleased(clientId, d.position(), d.packetId(), d.copy()));
        }

        @Override
        public void finished(Delivery d) {
            append(new DeliveryAcknowledged(clientId, d.position(), d.copy()));
        }

        @Override
        public List<Delivery> read(long afterPosition, int afterCopy, int maxEntries) {
            List<Delivery> out = new ArrayList<>();
            long nowNanos = clock.nanoTime();
            long nowMillis = clock.currentTimeMillis();
            QueueCursor queue = new QueueCursor(index, clientId, afterPosition, afterCopy, maxEntries);
            while (out.size() < maxEntries && queue.hasNext()) {
                QueueEntry e = queue.next();
                if (e.state() == dev.cairn.storage.index.DeliveryState.QUEUED) {
                    out.add(JournalRecovered.delivery(journal, e, nowNanos, nowMillis));
                } // Else in flight: the queue holds it in memory already.
            }
            return out;
        }

        @Override
        public long oldestQueuedAtMillis() {
            QueueCursor queue = new QueueCursor(index, clientId, -1, -1, 256);
            while (queue.hasNext()) {
                QueueEntry e = queue.next();
                if (e.state() == dev.cairn.storage.index.DeliveryState.QUEUED) {
                    return JournalRecovered.storedMessage(journal, e.position(), e.payloadPosition())
                            .receivedAtMillis();
                }
            }
            return -1;
        }
    }

    /** The journal position known durable; safe to read from any thread. */
    @Override
    public long syncedPosition() {
        return journal.syncedPosition();
    }

    /** The position of the last record appended: what this turn's effects depend on. */
    @Override
    public long lastAppendedPosition() {
        return journal.lastAppendedPosition();
    }

    /** Whether records were appended that are not known durable yet. */
    @Override
    public boolean hasUnsynced() {
        return journal.lastAppendedPosition() != journal.syncedPosition();
    }

    /** Group commit: one sync makes every record appended so far durable under the policy. */
    @Override
    public void syncNow() {
        journal.sync();
    }

    /**
     * Applies the records up to {@code syncedPosition} to the index in one write batch: the index
     * never holds a fact the journal could still lose. Returns whether anything was applied.
     */
    @Override
    public boolean applyIndex(long syncedPosition) {
        int n = 0;
        while (n < unapplied.size() && unapplied.get(n).position() <= syncedPosition) {
            n++;
        }
        if (n == 0) {
            return false;
        }
        List<PositionedRecord> batch;
        if (n == unapplied.size()) {
            batch = unapplied;
            unapplied = new ArrayList<>(Math.max(16, batch.size()));
        } else {
            batch = new ArrayList<>(unapplied.subList(0, n));
            unapplied.subList(0, n).clear();
        }
        index.apply(batch);
        return true;
    }

    @Override
    public long appendedRecords() {
        return appendedRecords;
    }

    @Override
    public long appendedBytes() {
        return journal.appendedBytes();
    }

    @Override
    public int unappliedRecords() {
        return unapplied.size();
    }

    private long append(JournalRecord record) {
        long position = journal.append(record);
        appendedRecords++;
        unapplied.add(new PositionedRecord(position, record));
        return position;
    }

    @Override
    public void close() {
        store.close();
    }
}
