package dev.cairn.storage.index;

/**
 * How much one session's queue holds in the index: its entries (in-flight ones included) and the
 * bytes of their messages, counted as {@link dev.cairn.storage.record.MessageStored#queuedBytes()}
 * (topic UTF-8 bytes plus payload bytes). The broker bounds both per session.
 *
 * @param bytes {@code -1} when read from an index of a format that did not store it (before 3)
 */
public record QueueDepth(long messages, long bytes) {
    public static final QueueDepth EMPTY = new QueueDepth(0, 0);

    QueueDepth plus(long deltaMessages, long deltaBytes) {
        return new QueueDepth(messages + deltaMessages, bytes + deltaBytes);
    }
}
