package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;
import dev.cairn.protocol.Properties;

/**
 * An application message as accepted from a publisher (or a will), immutable and shared by
 * every delivery of it: the payload is stored once, however many subscribers receive it.
 * {@code properties} are the forwardable MQTT 5 properties (payload format, content type,
 * response topic, correlation data, user properties) without Message Expiry Interval, Topic
 * Alias and Subscription Identifier, which are per delivery. {@code expiresAtNanos} is
 * {@link Long#MAX_VALUE} when the message never expires. {@code position} is the journal
 * position of its {@code MessageStored} record, or {@link #NOT_JOURNALED} (QoS 0, wills of QoS 0).
 */
public record Message(
        String topic,
        QoS qos,
        boolean retain,
        byte[] payload,
        Properties properties,
        String publisherClientId,
        long expiresAtNanos,
        long position) {

    public static final long NEVER_EXPIRES = Long.MAX_VALUE;
    public static final long NOT_JOURNALED = -1L;

    /** A message not (yet) in the journal. */
    public Message(
            String topic,
            QoS qos,
            boolean retain,
            byte[] payload,
            Properties properties,
            String publisherClientId,
            long expiresAtNanos) {
        this(topic, qos, retain, payload, properties, publisherClientId, expiresAtNanos, NOT_JOURNALED);
    }

    public Message withPosition(long newPosition) {
        return new Message(topic, qos, retain, payload, properties, publisherClientId, expiresAtNanos, newPosition);
    }

    /**
     * What this message counts against a session's queue in bytes (queued_bytes_max): the topic's
     * UTF-8 bytes plus the payload's, as storage counts its {@code MessageStored} so that a
     * restored queue resumes at the same figure. Computed without copying the topic.
     */
    public long queuedBytes() {
        long bytes = payload.length;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < topic.length()
                    && Character.isLowSurrogate(topic.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public boolean isJournaled() {
        return position != NOT_JOURNALED;
    }

    public boolean isExpired(long nowNanos) {
        return expiresAtNanos != NEVER_EXPIRES && nowNanos - expiresAtNanos >= 0;
    }

    /** Seconds left before expiry, rounded up, for the forwarded Message Expiry Interval. */
    public long remainingExpirySeconds(long nowNanos) {
        long remainingNanos = expiresAtNanos - nowNanos;
        return Math.max(1, (remainingNanos + 999_999_999L) / 1_000_000_000L);
    }
}
