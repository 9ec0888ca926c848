package dev.cairn.storage.index;

/**
 * Where an index upgrade learns the sizes older formats did not keep: the journal, which holds
 * every message a queue entry reads (see {@link RocksIndexStore#upgrade}).
 */
@FunctionalInterface
public interface MessageSizes {
    /** The {@code MessageStored.queuedBytes()} of the message at this journal position. */
    long queuedBytesAt(long payloadPosition);
}
