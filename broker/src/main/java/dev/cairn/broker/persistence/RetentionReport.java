package dev.cairn.broker.persistence;

/**
 * What one retention step did.
 *
 * @param neededPosition the oldest journal position still needed (-1: nothing applied yet)
 * @param neededBy what needs it: {@code "index"} (replay on restart starts there), {@code "queue"}
 *     (a queued or in-flight message is read there) or {@code "nothing"}
 * @param filesDeleted cycle files deleted
 * @param bytesDeleted their apparent size
 * @param entriesRelocated queue entries whose message was copied to the journal head
 * @param copiesWritten {@code MessageRelocated} records appended (one per message, shared by entries)
 */
public record RetentionReport(
        long neededPosition,
        String neededBy,
        int filesDeleted,
        long bytesDeleted,
        int entriesRelocated,
        int copiesWritten) {}
