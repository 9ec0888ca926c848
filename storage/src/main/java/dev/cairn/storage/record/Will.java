package dev.cairn.storage.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * A session's will message as given on CONNECT.
 *
 * @param properties the broker's encoded MQTT 5 will property block, opaque here
 * @param delaySeconds the MQTT 5 will delay interval, {@code 0} for none
 */
public record Will(String topic, int qos, boolean retain, byte[] properties, byte[] payload, long delaySeconds) {

    public Will {
        Checks.text(topic, "topic");
        Checks.qos(qos);
        Checks.bytes(properties, "properties");
        Checks.bytes(payload, "payload");
        if (delaySeconds < 0) {
            throw new IllegalArgumentException("delaySeconds must not be negative: " + delaySeconds);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Will that
                && topic.equals(that.topic)
                && qos == that.qos
                && retain == that.retain
                && Arrays.equals(properties, that.properties)
                && Arrays.equals(payload, that.payload)
                && delaySeconds == that.delaySeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, qos, retain, Arrays.hashCode(properties), Arrays.hashCode(payload), delaySeconds);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", properties=" + properties.length
                + "B, payload=" + payload.length + "B, delay=" + delaySeconds + "s]";
    }
}
