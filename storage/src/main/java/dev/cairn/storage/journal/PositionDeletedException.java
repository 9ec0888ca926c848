package dev.cairn.storage.journal;

/**
 * A read named a position in a cycle file that retention has deleted. Nothing live may refer to
 * such a position (retention only deletes what neither the index's applied position nor any queue
 * entry needs), so this is a bug or a store restored inconsistently, never normal operation.
 */
public final class PositionDeletedException extends IllegalArgumentException {
    private final long position;

    public PositionDeletedException(long position, long firstPosition) {
        super("journal position " + position + " was deleted by retention (the journal now starts at " + firstPosition
                + ")");
        this.position = position;
    }

    public long position() {
        return position;
    }
}
