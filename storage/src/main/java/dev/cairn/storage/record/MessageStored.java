package dev.cairn.storage.record;

import java.nio.charset.StandardCharsets;
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
 * @param inboundPacketId for a QoS 2 PUBLISH from a persistent session, the publisher's packet id,
 *     remembered until PUBREL in the same record as the message (format version 2) so a crash can
 *     never keep the message but forget the id; {@code 0} otherwise
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
        List<Recipient> recipients,
        int inboundPacketId)
        implements JournalRecord {

    public MessageStored {
        if (inboundPacketId != 0) {
            Checks.packetId(inboundPacketId);
        }
        Checks.text(publisherClientId, "publisherClientId");
        Checks.text(topic, "topic");
        Checks.qos(qos);
        Checks.bytes(properties, "properties");
        Checks.bytes(payload, "payload");
        recipients = List.copyOf(recipients);
    }

    /** A message that carries no inbound QoS 2 packet id (every message of format version 1). */
    public MessageStored(
            String publisherClientId,
            String topic,
            int qos,
            boolean retain,
            byte[] properties,
            byte[] payload,
            long receivedAtMillis,
            long expiresAtMillis,
            List<Recipient> recipients) {
        this(
                publisherClientId,
                topic,
                qos,
                retain,
                properties,
                payload,
                receivedAtMillis,
                expiresAtMillis,
                recipients,
                0);
    }

    MessageStored withInboundPacketId(int packetId) {
        return new MessageStored(
                publisherClientId,
                topic,
                qos,
                retain,
                properties,
                payload,
                receivedAtMillis,
                expiresAtMillis,
                recipients,
                packetId);
    }

    @Override
    public RecordType type() {
        return RecordType.MESSAGE_STORED;
    }

    /**
     * What this message counts against a session's queue limit in bytes (queued_bytes_max): the
     * topic's UTF-8 bytes plus the payload's. The broker counts its in-memory copy the same way.
     */
    public long queuedBytes() {
        return topic.getBytes(StandardCharsets.UTF_8).length + (long) payload.length;
    }

    /** True if this message clears the topic's retained message rather than setting it. */
    public boolean clearsRetained() {
        return retain && payload.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageStored that
                && publisherClientId.equals(that.publisherClientId)
                && topic.equals(that.topic)
                && qos == that.qos
                && retain == that.retain
                && Arrays.equals(properties, that.properties)
                && Arrays.equals(payload, that.payload)
                && receivedAtMillis == that.receivedAtMillis
                && expiresAtMillis == that.expiresAtMillis
                && recipients.equals(that.recipients)
                && inboundPacketId == that.inboundPacketId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                publisherClientId,
                topic,
                qos,
                retain,
                Arrays.hashCode(properties),
                Arrays.hashCode(payload),
                receivedAtMillis,
                expiresAtMillis,
                recipients,
                inboundPacketId);
    }

    @Override
    public String toString() {
        return "MessageStored[publisher=" + publisherClientId + ", topic=" + topic + ", qos=" + qos
                + ", retain=" + retain + ", properties=" + properties.length + "B, payload="
                + payload.length + "B, receivedAt=" + receivedAtMillis + ", expiresAt=" + expiresAtMillis
                + ", recipients=" + recipients + ", inboundPacketId=" + inboundPacketId + "]";
    }
}
