package dev.cairn.tools;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import picocli.CommandLine;

/**
 * A {@code --topic FILTER} option: an MQTT topic filter parsed and matched by cairn-protocol's
 * {@link TopicFilter}, the broker's own rules (MQTT 5 section 4.7): {@code +} matches exactly one
 * level, a final {@code #} matches the parent level and any number of levels below it, and a
 * filter starting with a wildcard does not match topics starting with {@code $} [MQTT-4.7.2-1].
 * A shared subscription filter {@code $share/{ShareName}/{filter}} selects what its filter part
 * matches, as the group's members would receive. No configured limits apply: only the wire
 * format's ({@link TopicLimits#PROTOCOL}).
 */
public final class TopicArgument implements CommandLine.ITypeConverter<TopicFilter> {
    @Override
    public TopicFilter convert(String value) {
        try {
            return TopicFilter.parse(value, TopicLimits.PROTOCOL);
        } catch (InvalidTopicException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an MQTT topic filter: " + e.getMessage());
        }
    }

    /**
     * Whether {@code filter} matches a topic read from the journal; a stored topic that is not a
     * valid topic name (which the broker never stores) matches nothing.
     */
    public static boolean matches(TopicFilter filter, String topic) {
        try {
            return filter.matches(TopicName.parse(topic, TopicLimits.PROTOCOL));
        } catch (InvalidTopicException e) {
            return false;
        }
    }
}
