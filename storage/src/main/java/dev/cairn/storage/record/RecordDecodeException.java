package dev.cairn.storage.record;

/**
 * A frame that cannot be decoded, with the {@link Reason} and a sentence saying what was wrong.
 * The journal layer adds the position (see {@code JournalCorruptionException}).
 */
public final class RecordDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was wrong, in the order {@link RecordCodec} checks it. */
    public enum Reason {
        TOO_SHORT,
        LENGTH_MISMATCH,
        CRC_MISMATCH,
        BAD_MAGIC,
        UNKNOWN_VERSION,
        UNKNOWN_TYPE,
        BAD_FLAGS,
        MALFORMED_BODY
    }

    private final Reason reason;

    public RecordDecodeException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
