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
}
