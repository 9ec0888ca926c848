package dev.cairn.storage.record;

/** Written by recovery only: the documents at positions {@code firstPosition..lastPosition}, just before this record, were a torn tail and never happened. Readers skip them. */
public record TailDiscarded(long firstPosition, long lastPosition, long atMillis) implements JournalRecord {

    public TailDiscarded {
        if (lastPosition < firstPosition) {
            throw new IllegalArgumentException("lastPosition < firstPosition");
        }
    }

    @Override
    public RecordType type() {
        return RecordType.TAIL_DISCARDED;
    }
}
