package dev.cairn.storage;

/** How much of the journal {@link Store#open} reads and verifies before replay. */
public enum OpenScan {
    /** Only what the index has not applied yet: the part that can be torn. Fast; the default. */
    UNAPPLIED_TAIL,
    /** Every record, to find mid-journal corruption at start instead of at the first read. */
    WHOLE_JOURNAL
}
