package dev.cairn.storage.journal;

import dev.cairn.storage.record.JournalRecord;

/** Receives records during {@link Journal#replayFrom}, on the replaying thread. */
@FunctionalInterface
public interface RecordConsumer {
    void accept(long position, JournalRecord record);
}
