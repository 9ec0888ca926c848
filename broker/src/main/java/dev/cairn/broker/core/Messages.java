package dev.cairn.broker.core;

import dev.cairn.broker.delivery.Message;
import dev.cairn.protocol.Properties;

/** Turning received properties into what a message carries forward. */
final class Messages {
    private Messages() {}

    /**
     * The properties forwarded unaltered to subscribers [MQTT-3.3.2-4], [MQTT-3.3.2-15],
     * [MQTT-3.3.2-16], [MQTT-3.3.2-17], [MQTT-3.3.2-20]: everything but Topic Alias, Subscription
     * Identifier and Message Expiry Interval (recomputed per delivery) and will-only ones.
     */
    static Properties forwardable(Properties in) {
        if (in.isEmpty()) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder()
                .payloadFormatIndicator(in.payloadFormatIndicator())
                .contentType(in.contentType())
                .responseTopic(in.responseTopic())
                .correlationData(in.correlationData());
        in.userProperties().forEach(u -> b.addUserProperty(u.name(), u.value()));
        return b.build();
    }

    /** The absolute expiry deadline from a Message Expiry Interval, or never. */
    static long expiryOf(Properties in, long nowNanos) {
        Long seconds = in.messageExpiryIntervalSeconds();
        return seconds == null ? Message.NEVER_EXPIRES : nowNanos + seconds * 1_000_000_000L;
    }
}
