package dev.cairn.storage.record;

import java.util.List;

/**
 * Retention moved a still-needed message forward: this record carries a copy of the message, and
 * each named queue entry now reads its message here instead of at its old position. The entries
 * keep their queue positions (their keys, hence their order, packet ids and delivery states), so
 * a relocation is invisible to the sessions; only the journal position that pins disk changes.
 *
 * @param refs the queue entries whose message this is, at least one
 * @param message the message as first stored, with no recipients (the refs say whose it is)
 */
public record MessageRelocated(List<QueueRef> refs, MessageStored message) implements JournalRecord {

    public MessageRelocated {
        refs = List.copyOf(refs);
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("a relocated message needs at least one queue entry");
        }
        if (!message.recipients().isEmpty()) {
            throw new IllegalArgumentException("a relocated message names its queue entries in refs, not recipients");
        }
    }

    @Override
    public RecordType type() {
        return RecordType.MESSAGE_RELOCATED;
    }
}
