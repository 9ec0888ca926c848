package dev.cairn.broker.delivery;

import java.util.List;

/**
 * Reads a session's queued deliveries back from disk, in queue order: the entries of the
 * session's queue in the index after a key {@code (position, copy)} (copy {@code -1}: from the
 * position's first copy on), with their messages read from the journal.
 * It returns only entries still waiting to be sent (entries already in flight are skipped) and
 * sees only what the index has applied, i.e. records synced by the end of the last turn.
 */
public interface Backlog {
    List<Delivery> read(long afterPosition, int afterCopy, int maxEntries);

    /**
     * When the oldest entry waiting in the queue (not in flight) was received, in wall-clock
     * milliseconds, or -1 when none waits or this backlog cannot tell; like {@link #read}, it
     * sees only applied records.
     */
    default long oldestQueuedAtMillis() {
        return -1;
    }
}
