package dev.cairn.storage.journal;

import dev.cairn.storage.record.RecordDecodeException;

/**
 * A record in the journal failed its checks where a torn tail cannot explain it. Carries the
 * position and what was wrong; the message says how to repair.
 */
public final class JournalCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long position;
    private final RecordDecodeException.Reason reason;

    public JournalCorruptionException(long position, RecordDecodeException.Reason reason, String message) {
        super(message);
        this.position = position;
        this.reason = reason;
    }

    public JournalCorruptionException(long position, RecordDecodeException cause) {
        super(
                "journal record at position " + position + " (" + Positions.describe(position) + ") is corrupt: "
                        + cause.getMessage(),
                cause);
        this.position = position;
        this.reason = cause.reason();
    }

    /** The position of the first bad record. */
    public long position() {
        return position;
    }

    public RecordDecodeException.Reason reason() {
        return reason;
    }
}
