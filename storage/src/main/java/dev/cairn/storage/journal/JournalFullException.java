package dev.cairn.storage.journal;

/**
 * An append was refused because the blocks the record would go to cannot be allocated (the
 * journal's file system is full, or too full to start a new cycle file). Nothing was written:
 * the journal is as it was before the call and takes the next record that fits. The caller must
 * not acknowledge anything that depended on the record.
 */
public final class JournalFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalFullException(String message) {
        super(message);
    }
}
