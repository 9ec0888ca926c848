package dev.cairn.storage.record;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One accepted PUBLISH. The recipient list is the routing decision: every named session's queue
 * gets this record's position. With {@code retain} the message also becomes the topic's retained
 * message; {@code retain} with an empty payload clears it.
 *
 * @param properties the broker's encoded MQTT 5 property block, opaque here (empty for 3.1.1)
 * @param expiresAtMillis epoch millis after which the message is dropped, {@code -1} for never
 */
public record MessageStored(
        String publisherClientId,
        String topic,
        int qos,
        boolean retain,
        byte[] properties,
        byte[] payload,
        long receivedAtMillis,
        long expiresAtMillis,
        List<Recipient> recipients) implements JournalRecord {

    public MessageStored {
        Checks.text(publisherClientId, "publisherClientId");
        Checks.text(topic, "topic");
        Checks.qos(qos);
        Checks.bytes(properties, "properties");
        Checks.bytes(payload, "payload");
        recipients = List.copyOf(recipients);
    }

    @Override
    public RecordType type() {
        return RecordType.MESSAGE_STORED;
    }

    /** True if this message clears the topic's retained message rather than setting it. */
    public boolean clearsRetained() {
        return retain && payload.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageStored that
                && publisherClientId.equals(that.publisherClientId) && topic.equals(that.topic)
                && qos == that.qos && retain == that.retain
                && Arrays.equals(properties, that.properties) && Arrays.equals(payload, that.payload)
                && receivedAtMillis == that.receivedAtMillis && expiresAtMillis == that.expiresAtMillis
                && recipients.equals(that.recipients);
    }

    @Override
    public int hashCode() {
        return Objects.hash(publisherClientId, topic, qos, retain, Arrays.hashCode(properties),
                Arrays.hashCode(payload), receivedAtMillis, expiresAtMillis, recipients);
    }

    @Override
    public String toString() {
        return "MessageStored[publisher=" + publisherClientId + ", topic=" + topic + ", qos=" + qos
                + ", retain=" + retain + ", properties=" + properties.length + "B, payload="
                + payload.length + "B, receivedAt=" + receivedAtMillis + ", expiresAt=" + expiresAtMillis
                + ", recipients=" + recipients + "]";
    }
}
