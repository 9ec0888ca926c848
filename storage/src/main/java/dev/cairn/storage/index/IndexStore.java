package dev.cairn.storage.index;

import dev.cairn.storage.record.PositionedRecord;
import java.util.List;

/**
 * The index derived from the journal. An I/O seam: the broker's persistence adapter talks to this.
 *
 * <p>Threads: {@link #apply} and {@link #close} belong to one owner thread (asserted). The queries
 * may be called from any thread and see whole applied batches only.
 */
public interface IndexStore extends AutoCloseable {

    /** The last journal position applied, or {@code -1} for an empty index. */
    long appliedPosition();

    /**
     * Applies records in position order in one atomic write that also stores the new
     * {@link #appliedPosition()}. Records at or below the applied position are skipped, so
     * applying the same records twice leaves the same state. Apply only records whose position
     * is synced: RocksDB's WAL is off and the journal is replayed from the applied position.
     */
    void apply(List<PositionedRecord> records);

    /** Sessions (with subscriptions, inbound QoS 2 ids, will timers, queue depths) and retained messages. */
    RecoveredState loadState();

    /**
     * Up to {@code maxEntries} queue entries of a session with keys after
     * {@code (afterPosition, afterCopy)} (use position {@code -1} for the start), in key order:
     * by position, then copy. {@code afterCopy} {@code -1} starts at the position's copy 0;
     * {@link Integer#MAX_VALUE} starts after all its copies.
     */
    List<QueueEntry> queueScan(String clientId, long afterPosition, int afterCopy, int maxEntries);

    /** Up to {@code maxEntries} queue entries of a session after every copy at {@code afterPosition}. */
    default List<QueueEntry> queueScan(String clientId, long afterPosition, int maxEntries) {
        return queueScan(clientId, afterPosition, Integer.MAX_VALUE, maxEntries);
    }

    /** The entries in a session's queue (in-flight ones included) and the bytes of their messages. */
    QueueDepth queueDepth(String clientId);

    /**
     * Retention: the smallest journal position any queue entry reads its message from (see
     * {@link QueueEntry#payloadPosition()}), or {@code -1} when every queue is empty. One seek in
     * the {@code payload_refs} column family; references left behind by removed sessions are
     * pruned on the way (at most {@link #STALE_REFS_PRUNED_MAX} per call; past that the answer is
     * the first unchecked reference, which errs on keeping more). Owner thread only.
     */
    long oldestQueuedPosition();

    /**
     * Retention: up to {@code maxRefs} live queue entries whose message is at a position below
     * {@code positionExclusive}, in payload position order (entries sharing a message are adjacent).
     */
    List<PayloadRef> payloadRefsBefore(long positionExclusive, int maxRefs);

    /** Most stale references {@link #oldestQueuedPosition()} prunes per call. */
    int STALE_REFS_PRUNED_MAX = 100_000;

    /**
     * Makes everything applied so far durable: the memtables go to synced SST files, so a crash
     * after this returns keeps at least this state (the WAL is off; without a flush a crash
     * reverts the index to its last flush and recovery replays the journal from there). Owner
     * thread. Retention calls it before deleting journal files the index no longer needs.
     */
    void flush();

    @Override
    void close();
}
