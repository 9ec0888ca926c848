package dev.cairn.broker.delivery;

/**
 * The bounds of one session's {@link OutboundQueue}, from the configuration.
 *
 * @param messagesMax most messages waiting to be sent, in memory and on disk (queued_messages_max)
 * @param bytesMax most bytes of those messages, counted by {@link Message#queuedBytes()}
 *     (queued_bytes_max)
 * @param inMemoryMax most waiting messages held in memory while connected; the whole queue of a
 *     session that cannot spill to disk (queued_messages_in_memory_max)
 */
public record QueueLimits(long messagesMax, long bytesMax, int inMemoryMax) {
    public QueueLimits {
        if (messagesMax < 1 || bytesMax < 1 || inMemoryMax < 1) {
            throw new IllegalArgumentException(
                    "queue limits must be positive: " + messagesMax + ", " + bytesMax + ", " + inMemoryMax);
        }
    }
}
