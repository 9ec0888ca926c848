package dev.cairn.broker.config;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code bridge.NAME.topic.N} line: mosquitto's {@code topic PATTERN [DIRECTION [QOS
 * [LOCAL_PREFIX REMOTE_PREFIX]]]}. For {@code out} (and {@code both}) the bridge subscribes locally
 * to {@code LOCAL_PREFIX + PATTERN}; a message it forwards keeps the part after the local prefix
 * and gets the remote prefix in front ({@link #toRemote}), so {@code plant/# out 1 edge/ site7/}
 * sends {@code edge/plant/oven} as {@code site7/plant/oven}. For {@code in} (and {@code both}) it
 * subscribes on the remote to {@code REMOTE_PREFIX + PATTERN} and publishes what arrives with the
 * remote prefix swapped for the local one ({@link #toLocal}). Immutable; any thread.
 *
 * @param number the N of the key, for messages
 * @param qos the subscription's maximum QoS: a message forwards at the lower of its own and this
 */
public record BridgeTopic(
        int number, String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Which way a topic's messages go: local to remote, remote to local, or both. */
    public enum Direction {
        OUT("out"),
        IN("in"),
        BOTH("both");

        private final String configName;

        Direction(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** Whether local messages go to the remote: {@code out} and {@code both}. */
        public boolean sendsOut() {
            return this != IN;
        }

        /** Whether the remote's messages come here: {@code in} and {@code both}. */
        public boolean receivesIn() {
            return this != OUT;
        }
    }

    /** How an empty pattern or prefix is written, as in mosquitto.conf. */
    static final String EMPTY = "\"\"";

    /** The local subscription's filter: the local prefix, then the pattern. */
    public String localFilter() {
        return localPrefix + pattern;
    }

    /** The filter on the remote side: the remote prefix, then the pattern. */
    public String remoteFilter() {
        return remotePrefix + pattern;
    }

    /** The local filter parsed, to match local topics with (parse it once and keep it). */
    public TopicFilter localTopicFilter() {
        return parsedFilter(localFilter());
    }

    /** The remote filter parsed, to match remote topics with (parse it once and keep it). */
    public TopicFilter remoteTopicFilter() {
        return parsedFilter(remoteFilter());
    }

    /**
     * The local topic of a remote message this line brings in (one its {@link #remoteTopicFilter} matches): the
     * remote prefix taken off, the local prefix put on.
     */
    public String toLocal(String remoteTopic) {
        if (!remoteTopic.startsWith(remotePrefix)) {
            throw new IllegalArgumentException(
                    "topic " + remoteTopic + " does not start with the remote prefix " + remotePrefix);
        }
        return localPrefix + remoteTopic.substring(remotePrefix.length());
    }

    /**
     * The remote topic of a local message this line forwards (one its {@link #localTopicFilter} matches): the local
     * prefix taken off, the remote prefix put on.
     */
    public String toRemote(String localTopic) {
        if (!localTopic.startsWith(localPrefix)) {
            throw new IllegalArgumentException(
                    "topic " + localTopic + " does not start with the local prefix " + localPrefix);
        }
        return remotePrefix + localTopic.substring(localPrefix.length());
    }

    /**
     * Parses one topic line's value; errors name {@code key}. Checks what mosquitto checks: both
     * prefixes or neither, no wildcard in a prefix, a pattern or prefixes that make valid filters.
     */
    static BridgeTopic parse(String key, int number, String value) {
        List<String> tokens = new ArrayList<>();
        for (String t : value.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                tokens.add(t.equals(EMPTY) ? "" : t);
            }
        }
        if (tokens.isEmpty() || tokens.size() > 5) {
            throw new ConfigException(
                    key + " must be PATTERN [out|in|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]], got '" + value + "'");
        }
        if (tokens.size() == 4) {
            throw new ConfigException(key + " has a local prefix but no remote prefix: give both (\"\" for an empty"
                    + " one), got '" + value + "'");
        }
        String pattern = tokens.get(0);
        Direction direction = tokens.size() > 1
                ? ConfigLoader.choice(key + " direction", tokens.get(1), Direction.values(), Direction::configName)
                : Direction.OUT;
        int qos = tokens.size() > 2 ? (int) ConfigLoader.number(key + " QoS", tokens.get(2), 0, 2) : 0;
        String localPrefix = tokens.size() > 3 ? tokens.get(3) : "";
        String remotePrefix = tokens.size() > 3 ? tokens.get(4) : "";
        for (String prefix : List.of(localPrefix, remotePrefix)) {
            if (prefix.contains("+") || prefix.contains("#")) {
                throw new ConfigException(key + ": a prefix must not contain a wildcard, got '" + prefix + "'");
            }
        }
        if (pattern.isEmpty() && (localPrefix.isEmpty() || remotePrefix.isEmpty())) {
            throw new ConfigException(key + ": an empty pattern needs a local and a remote prefix (the topics"
                    + " themselves), got '" + value + "'");
        }
        BridgeTopic topic = new BridgeTopic(number, pattern, direction, qos, localPrefix, remotePrefix);
        for (String filter : List.of(topic.localFilter(), topic.remoteFilter())) {
            try {
                TopicFilter f = TopicFilter.parse(filter, TopicLimits.PROTOCOL);
                if (f.isShared()) {
                    throw new ConfigException(key + ": " + filter + " is a shared subscription; a bridge forwards"
                            + " every message of its topics");
                }
            } catch (InvalidTopicException e) {
                throw new ConfigException(key + ": '" + filter + "' is not a valid topic filter: " + e.getMessage());
            }
        }
        return topic;
    }

    private static TopicFilter parsedFilter(String filter) {
        try {
            return TopicFilter.parse(filter, TopicLimits.PROTOCOL);
        } catch (InvalidTopicException e) {
            throw new IllegalStateException("a checked bridge filter became invalid: " + e.getMessage(), e);
        }
    }
}
