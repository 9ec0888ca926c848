package dev.cairn.tools;

/**
 * MQTT topic filter matching (MQTT 5 section 4.7): {@code +} matches exactly one level, a final
 * {@code #} matches the parent level and any number of levels below it, and a filter starting
 * with a wildcard does not match topics starting with {@code $} [MQTT-4.7.2-1]. Kept here rather
 * than borrowed from the broker: the tool must not depend on the broker module. Immutable.
 */
public final class TopicMatcher {
    private final String filter;
    private final String[] levels;

    private TopicMatcher(String filter) {
        this.filter = filter;
        this.levels = filter.split("/", -1);
    }

    /** @throws IllegalArgumentException if the filter is not a valid MQTT topic filter */
    public static TopicMatcher of(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("a topic filter is at least one character");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be a whole last level in '" + filter + "'");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level in '" + filter + "'");
            }
        }
        return new TopicMatcher(filter);
    }

    public boolean matches(String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] topicLevels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                return true;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!levels[i].equals("+") && !levels[i].equals(topicLevels[i])) {
                return false;
            }
        }
        return levels.length == topicLevels.length;
    }

    @Override
    public String toString() {
        return filter;
    }
}
