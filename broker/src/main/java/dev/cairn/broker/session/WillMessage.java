package dev.cairn.broker.session;

import dev.cairn.broker.delivery.Message;

/**
 * A will from CONNECT: the message to publish, its Will Delay Interval (0 for 3.1.1) and its
 * Message Expiry Interval in seconds ({@link #NO_EXPIRY} for none), which starts counting when
 * the will is published, not at CONNECT.
 */
public record WillMessage(Message message, long delaySeconds, long expirySeconds) {
    public static final long NO_EXPIRY = -1;

    /** The message to publish now, with its expiry deadline counted from {@code nowNanos}. */
    public Message publishAt(long nowNanos) {
        if (expirySeconds == NO_EXPIRY) {
            return message;
        }
        return new Message(
                message.topic(),
                message.qos(),
                message.retain(),
                message.payload(),
                message.properties(),
                message.publisherClientId(),
                nowNanos + expirySeconds * 1_000_000_000L);
    }
}
