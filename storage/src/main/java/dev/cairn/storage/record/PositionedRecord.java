package dev.cairn.storage.record;

import java.util.Objects;

/** A record together with its journal position, as replay and the index see it. */
public record PositionedRecord(long position, JournalRecord record) {
    public PositionedRecord {
        Objects.requireNonNull(record, "record");
    }
}
