package dev.cairn.broker.session;

import dev.cairn.broker.delivery.Message;

/**
 * A will from CONNECT: the message to publish, its Will Delay Interval (0 for 3.1.1) and its
 * Message Expiry Interval ({@link #NO_EXPIRY} when none was given). The message is held without
 * an expiry deadline because the interval counts from when the will is published, not from
 * CONNECT (section 3.1.3.2.4): use {@link #publishedAt}.
 */
public record WillMessage(Message message, long delaySeconds, long expiryIntervalSeconds) {
    public static final long NO_EXPIRY = -1;

    /** The message to route when the will is published at {@code nowNanos}. */
    public Message publishedAt(long nowNanos) {
        if (expiryIntervalSeconds == NO_EXPIRY) {
            return message;
        }
        Message m = message;
        return new Message(m.topic(), m.qos(), m.retain(), m.payload(), m.properties(), m.publisherClientId(),
                nowNanos + expiryIntervalSeconds * 1_000_000_000L);
    }
}
