package dev.cairn.protocol;

import java.util.Objects;

/**
 * The topic name of a PUBLISH (or a will, or a retained message), parsed and validated once at
 * the edge. It is matched against the subscription trie on every publish, so the levels are split
 * here, once, and kept. Immutable, so any thread may share it.
 */
public final class TopicName {

    private final String value;
    private final String[] levels;

    private TopicName(String value, String[] levels) {
        this.value = value;
        this.levels = levels;
    }

    /**
     * Parses a topic name: at least one character [MQTT-4.7.3-1], no wildcard [MQTT-4.7.0-1], no
     * U+0000 [MQTT-4.7.3-2], and within {@code limits}.
     *
     * @throws InvalidTopicException naming the rule the topic breaks
     */
    public static TopicName parse(String topic, TopicLimits limits) throws InvalidTopicException {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(limits, "limits");
        TopicSyntax.checkText(topic, limits, "topic name");
        if (TopicSyntax.hasWildcard(topic)) {
            throw new InvalidTopicException(
                    "[MQTT-4.7.0-1] a topic name must not contain the wildcard characters + or #");
        }
        String[] levels = TopicSyntax.splitLevels(topic);
        TopicSyntax.checkLevelCount(levels, limits, "topic name");
        return new TopicName(topic, levels);
    }

    public String value() {
        return value;
    }

    public int levelCount() {
        return levels.length;
    }

    public String level(int i) {
        return levels[i];
    }

    /**
     * Whether the topic begins with {@code $}; filters starting with a wildcard do not match it
     * [MQTT-4.7.2-1].
     */
    public boolean isDollar() {
        return value.charAt(0) == '$';
    }

    /** The split levels without a copy, for {@link TopicFilter#matches}; callers must not write. */
    String[] levels() {
        return levels;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicName && ((TopicName) other).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
