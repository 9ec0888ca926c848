package dev.cairn.storage.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * The retained message of a topic, stored whole in the index (not as a journal position) so that
 * retained messages never pin old journal files.
 *
 * @param expiresAtMillis epoch millis, {@code -1} for never
 * @param position the journal position of the PUBLISH that set it, for diagnostics only
 */
public record RetainedMessage(
        String topic, int qos, byte[] properties, byte[] payload, long expiresAtMillis, long position) {

    @Override
    public boolean equals(Object other) {
        return other instanceof RetainedMessage that
                && topic.equals(that.topic)
                && qos == that.qos
                && Arrays.equals(properties, that.properties)
                && Arrays.equals(payload, that.payload)
                && expiresAtMillis == that.expiresAtMillis
                && position == that.position;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                topic, qos, Arrays.hashCode(properties), Arrays.hashCode(payload), expiresAtMillis, position);
    }

    @Override
    public String toString() {
        return "RetainedMessage[" + topic + ", qos=" + qos + ", payload=" + payload.length + "B, expiresAt="
                + expiresAtMillis + ", position=" + position + "]";
    }
}
