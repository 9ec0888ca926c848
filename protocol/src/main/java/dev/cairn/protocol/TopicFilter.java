package dev.cairn.protocol;

import java.util.Objects;

/**
 * The topic filter of a SUBSCRIBE or UNSUBSCRIBE, parsed and validated once at the edge. A shared
 * subscription {@code $share/{ShareName}/{filter}} keeps its share name apart from the filter
 * part; the levels and wildcards describe the filter part only, because that is what is matched
 * against topics. Equality is by the full original string, which is how UNSUBSCRIBE identifies a
 * subscription. Immutable, so any thread may share it.
 */
public final class TopicFilter {

    private static final String SHARE_PREFIX = "$share/";

    private final String value;
    private final String shareName;
    private final String filter;
    private final String[] levels;
    private final boolean wildcard;

    private TopicFilter(String value, String shareName, String filter, String[] levels) {
        this.value = value;
        this.shareName = shareName;
        this.filter = filter;
        this.levels = levels;
        this.wildcard = TopicSyntax.hasWildcard(filter);
    }

    /**
     * Parses a topic filter: at least one character [MQTT-4.7.3-1], no U+0000 [MQTT-4.7.3-2],
     * {@code #} only as the whole last level [MQTT-4.7.1-1], {@code +} only as a whole level
     * [MQTT-4.7.1-2], a well-formed shared subscription prefix [MQTT-4.8.2-1] [MQTT-4.8.2-2],
     * and within {@code limits}: the byte length counts the whole string, the level count only
     * the filter part.
     *
     * @throws InvalidTopicException naming the rule the filter breaks
     */
    public static TopicFilter parse(String filter, TopicLimits limits) throws InvalidTopicException {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(limits, "limits");
        TopicSyntax.checkText(filter, limits, "topic filter");
        String shareName = null;
        String part = filter;
        if (filter.startsWith(SHARE_PREFIX)) {
            int separator = filter.indexOf('/', SHARE_PREFIX.length());
            shareName = checkShareName(filter, separator);
            part = filter.substring(separator + 1);
            if (part.isEmpty()) {
                throw new InvalidTopicException(
                        "[MQTT-4.8.2-2] the ShareName must be followed by '/' and a topic filter");
            }
        }
        String[] levels = TopicSyntax.splitLevels(part);
        TopicSyntax.checkLevelCount(levels, limits, "topic filter");
        checkWildcards(levels);
        return new TopicFilter(filter, shareName, part, levels);
    }

    private static String checkShareName(String filter, int separator) throws InvalidTopicException {
        if (separator < 0) {
            throw new InvalidTopicException("[MQTT-4.8.2-2] the ShareName must be followed by '/' and a topic filter");
        }
        String shareName = filter.substring(SHARE_PREFIX.length(), separator);
        if (shareName.isEmpty()) {
            throw new InvalidTopicException(
                    "[MQTT-4.8.2-1] a shared subscription needs a ShareName of at least one character");
        }
        if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
            throw new InvalidTopicException("[MQTT-4.8.2-2] a ShareName must not contain + or #");
        }
        return shareName;
    }

    private static void checkWildcards(String[] levels) throws InvalidTopicException {
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0
                    && (!level.equals(TopicSyntax.MULTI_LEVEL_WILDCARD) || i != levels.length - 1)) {
                throw new InvalidTopicException(
                        "[MQTT-4.7.1-1] the wildcard # must be the whole last level of a topic filter");
            }
            if (level.indexOf('+') >= 0 && !level.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD)) {
                throw new InvalidTopicException(
                        "[MQTT-4.7.1-2] the wildcard + must occupy a whole level of a topic filter");
            }
        }
    }

    /**
     * Whether this filter's filter part matches {@code topic}. This is the plain reference
     * algorithm; the broker's subscription trie must agree with it, and its tests check that it
     * does.
     * A filter starting with a wildcard does not match a topic starting with {@code $}
     * [MQTT-4.7.2-1].
     */
    public boolean matches(TopicName topic) {
        String[] topicLevels = topic.levels();
        if (topic.isDollar() && isWildcard(levels[0])) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals(TopicSyntax.MULTI_LEVEL_WILDCARD)) {
                // "#" also matches the parent level, so "sport/#" matches "sport".
                return true;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD) && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return levels.length == topicLevels.length;
    }

    private static boolean isWildcard(String level) {
        return level.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD) || level.equals(TopicSyntax.MULTI_LEVEL_WILDCARD);
    }

    public boolean isShared() {
        return shareName != null;
    }

    /** The ShareName of a shared subscription, or null if this filter is not shared. */
    public String shareName() {
        return shareName;
    }

    /** The filter part: the whole string, or what follows {@code $share/{ShareName}/}. */
    public String filter() {
        return filter;
    }

    /** The full original string, {@code $share/} prefix included. */
    public String value() {
        return value;
    }

    /** Whether the filter part contains {@code +} or {@code #}. */
    public boolean hasWildcard() {
        return wildcard;
    }

    /** The number of levels of the filter part: "a/+/#" has three. */
    public int levelCount() {
        return levels.length;
    }

    /** Level {@code i} of the filter part, counted from 0; a wildcard level is "+" or "#". */
    public String level(int i) {
        return levels[i];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicFilter && ((TopicFilter) other).value.equals(value);
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
