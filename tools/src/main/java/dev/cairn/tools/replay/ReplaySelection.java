package dev.cairn.tools.replay;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyDecoder;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.tools.TopicArgument;
import java.util.List;

/**
 * Decides, per stored message, whether replay publishes it and how: the filters, the retain
 * policy, the expiry left, the property block decoded. Counts what it skipped and why, for the
 * summary. Confined to the replaying thread.
 */
final class ReplaySelection {
    private final List<String> publishers;
    private final TopicFilter topic;
    private final Long sinceMillis;
    private final Long untilMillis;
    private final boolean keepRetain;
    private final boolean includeExpired;
    private long published;
    private long expired;
    private long retainedClears;
    private long undecodableProperties;
    private long withProperties;
    private long damaged;

    ReplaySelection(
            List<String> publishers,
            TopicFilter topic,
            Long sinceMillis,
            Long untilMillis,
            boolean keepRetain,
            boolean includeExpired) {
        this.publishers = publishers;
        this.topic = topic;
        this.sinceMillis = sinceMillis;
        this.untilMillis = untilMillis;
        this.keepRetain = keepRetain;
        this.includeExpired = includeExpired;
    }

    /** The message to publish, or {@code null} if it is filtered out or skipped. */
    ReplayTarget.Outgoing select(long position, MessageStored m, long nowMillis) {
        if ((publishers != null && !publishers.contains(m.publisherClientId()))
                || (topic != null && !TopicArgument.matches(topic, m.topic()))
                || (sinceMillis != null && m.receivedAtMillis() < sinceMillis)
                || (untilMillis != null && m.receivedAtMillis() >= untilMillis)) {
            return null;
        }
        if (m.clearsRetained() && !keepRetain) {
            retainedClears++;
            return null;
        }
        Long expirySeconds = null;
        if (m.expiresAtMillis() >= 0) {
            long leftMillis = m.expiresAtMillis() - nowMillis;
            if (leftMillis <= 0 && !includeExpired) {
                expired++;
                return null;
            }
            expirySeconds = leftMillis <= 0 ? null : (leftMillis + 999) / 1000;
        }
        Properties properties;
        try {
            properties = PropertyDecoder.decodeBlock(m.properties());
        } catch (IllegalArgumentException e) {
            undecodableProperties++;
            properties = Properties.EMPTY;
        }
        if (!properties.isEmpty()) {
            withProperties++;
        }
        published++;
        return new ReplayTarget.Outgoing(
                position, m.topic(), m.payload(), m.qos(), keepRetain && m.retain(), properties, expirySeconds);
    }

    void countDamaged() {
        damaged++;
    }

    String summary(boolean dryRun, int protocol, String server) {
        StringBuilder b = new StringBuilder(dryRun ? "would replay " : "replayed ")
                .append(published)
                .append(" message(s)")
                .append(dryRun ? "" : " to " + server + " with MQTT " + (protocol == 5 ? "5" : "3.1.1"))
                .append("; skipped: ")
                .append(expired)
                .append(" expired, ")
                .append(retainedClears)
                .append(" retained-message clears (--retain strip), ")
                .append(damaged)
                .append(" damaged documents");
        if (protocol == 3 && withProperties > 0) {
            b.append("; properties dropped from ").append(withProperties).append(" message(s) (MQTT 3.1.1)");
        }
        if (undecodableProperties > 0) {
            b.append("; ")
                    .append(undecodableProperties)
                    .append(" property block(s) did not decode and were sent without");
        }
        return b.toString();
    }
}
