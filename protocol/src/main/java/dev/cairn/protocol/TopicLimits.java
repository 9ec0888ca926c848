package dev.cairn.protocol;

/**
 * The size limits a topic name or topic filter must stay within, checked once when it is parsed.
 * The broker's values come from its configuration ({@code BrokerConfig}); this record only
 * refuses limits that could never be met or that the protocol forbids. Immutable, so any thread
 * may share it.
 *
 * @param topicLengthMaxBytes the longest topic, in bytes of its UTF-8 encoding; at most 65,535
 *     because a UTF-8 Encoded String cannot be longer [MQTT-4.7.3-3]
 * @param topicLevelsMax the most {@code /}-separated levels a topic may have; bounds the depth of
 *     the routing tries and so the recursion of every match
 */
public record TopicLimits(int topicLengthMaxBytes, int topicLevelsMax) {

    /** The longest string the MQTT wire format can carry [MQTT-4.7.3-3]. */
    static final int PROTOCOL_LENGTH_MAX_BYTES = 65_535;

    /**
     * No limit beyond the wire format's: the longest string, and as many levels as it can hold
     * (one more than its separators). For reading topics that something else already admitted,
     * such as the tools' filters over the journal.
     */
    public static final TopicLimits PROTOCOL =
            new TopicLimits(PROTOCOL_LENGTH_MAX_BYTES, PROTOCOL_LENGTH_MAX_BYTES + 1);

    public TopicLimits {
        if (topicLengthMaxBytes < 1 || topicLengthMaxBytes > PROTOCOL_LENGTH_MAX_BYTES) {
            throw new IllegalArgumentException("topicLengthMaxBytes must be in [1, 65535], not " + topicLengthMaxBytes);
        }
        if (topicLevelsMax < 1) {
            throw new IllegalArgumentException("topicLevelsMax must be at least 1, not " + topicLevelsMax);
        }
    }
}
