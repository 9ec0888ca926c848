package dev.cairn.storage.journal;

/**
 * An earlier append failed part way (for example the memory map faulted because the cycle file
 * was truncated under it), so the end of the journal may hold a partial record. The journal
 * takes no further append or sync: a record after a partial one would turn a torn tail, which
 * recovery discards, into corruption in the middle of the journal. The process must stop and
 * recover on restart; the cause is the original failure.
 */
public final class JournalFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public JournalFailedException(Throwable cause) {
        super(
                "the journal refuses appends and syncs after an append failed part way (" + cause
                        + "); restart the broker to recover the journal",
                cause);
    }
}
