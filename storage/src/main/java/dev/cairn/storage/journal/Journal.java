package dev.cairn.storage.journal;

import dev.cairn.storage.record.JournalRecord;
import java.util.List;

/**
 * The append-only journal of durable facts. The I/O seam between the broker's core loop and disk.
 *
 * <p>Threads: {@link #append}, {@link #sync} and {@link #close} belong to one owner thread, the
 * first thread that appends (asserted). {@link #syncedPosition()} and {@link #lastAppendedPosition()}
 * may be read from any thread. {@link #read} and {@link #replayFrom} may be called from any thread,
 * also while the owner appends; they see at least every record appended before the call.
 */
public interface Journal extends AutoCloseable {
    /** "Before the first record": replaying from here replays everything. */
    long NO_POSITION = -1L;

    /**
     * Appends one record to the memory-mapped journal. Cheap: no I/O wait. The record is durable
     * only once {@link #syncedPosition()} reaches the returned position.
     *
     * @return the record's position, greater than every position returned before
     * @throws JournalFullException when the blocks the record would go to cannot be allocated (a
     *     full disk); nothing was appended, and the journal takes the next record that fits
     * @throws JournalFailedException when an earlier append failed part way; the journal takes
     *     nothing more and the process must restart to recover it
     */
    long append(JournalRecord record);

    /**
     * Whether the journal's last attempt to write blocks ahead of its records failed (a full
     * disk): it still appends what fits into the blocks written before, and refuses the rest with
     * {@link JournalFullException}. Owner thread.
     */
    boolean spaceExhausted();

    /** After {@link #spaceExhausted()}: tries to write ahead again; returns whether it now can. Owner thread. */
    boolean retrySpace();

    /** Whether the next append would start a new cycle file (or is the first since open). Owner thread. */
    boolean newCycleDue();

    /** Bytes of records appended since the journal was opened (frames only); any thread. */
    long appendedBytes();

    /** Bytes free for this process on the journal's file system (one {@code statvfs}). */
    long usableBytes();

    /**
     * Makes every record appended so far durable under the {@link SyncPolicy}, then advances
     * {@link #syncedPosition()} to {@link #lastAppendedPosition()}. With {@code FSYNC} this blocks
     * until the disk has the data.
     */
    void sync();

    /** The highest position known durable, or {@link #NO_POSITION}. */
    long syncedPosition();

    /** The position of the last record appended (or found on open), or {@link #NO_POSITION}. */
    long lastAppendedPosition();

    /**
     * Hands every record after {@code positionExclusive} to {@code consumer}, in position order,
     * up to the end of the journal as of the call. Torn records covered by a
     * {@link dev.cairn.storage.record.TailDiscarded} are skipped; the marker itself is delivered.
     *
     * @throws JournalCorruptionException at the first bad record that is not a discarded tail
     */
    void replayFrom(long positionExclusive, RecordConsumer consumer);

    /**
     * Reads the record at {@code position} (random access, for fetching queued payloads).
     *
     * @throws IllegalArgumentException if no record has this position
     * @throws JournalCorruptionException if the record there fails its checks
     */
    JournalRecord read(long position);

    SyncPolicy syncPolicy();

    /** The position of the first record still on disk, or {@link #NO_POSITION} if the journal is empty. */
    long firstPosition();

    /** The cycle files on disk, oldest first. */
    List<CycleFile> cycleFiles();

    /** The cycle the journal's clock is in now (a new append would go to this cycle). */
    int currentCycle();

    /** The cycle that holds {@code position}. */
    int cycleOf(long position);

    /** The lowest position a record of {@code cycle} can have. */
    long cycleStart(int cycle);

    /**
     * Retention: deletes every cycle file wholly before the cycle of {@code position} and before
     * the cycle being appended to, then makes the deletion durable. Owner thread only. Before any
     * file goes, {@code position} is recorded as the {@link #retentionFloor()} (fsynced), so a
     * later open can tell an index that needs deleted records from one that does not.
     *
     * <p>The caller guarantees that nothing live refers to a position below {@code position};
     * reads there then fail with {@link PositionDeletedException}, and replay starts at the first
     * remaining record.
     *
     * @return the files deleted, oldest first (empty if none)
     */
    List<CycleFile> deleteCyclesBefore(long position);

    /**
     * The highest position ever passed to {@link #deleteCyclesBefore} that deleted something, or
     * {@link #NO_POSITION} if retention never deleted a file: records before it may be gone.
     */
    long retentionFloor();

    @Override
    void close();
}
