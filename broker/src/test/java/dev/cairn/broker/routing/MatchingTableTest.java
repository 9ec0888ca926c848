package dev.cairn.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of (filter, topic, matches?) rows, mostly the spec's own examples from section 4.7,
 * run against every matcher in the package so that they cannot drift apart.
 */
class MatchingTableTest {

    private static final TopicLimits LIMITS = new TopicLimits(1_000, 16);

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(
                        "[MQTT-4.7.1-1] # matches its parent", "sport/tennis/player1/#", "sport/tennis/player1", true),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
                Arguments.of(
                        "[MQTT-4.7.1-1] trailing empty level", "sport/tennis/player1/#", "sport/tennis/player1/", true),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis/player1/#", "sport/tennis/player2", false),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis/player1/#", "sport/tennis", false),
                Arguments.of("[MQTT-4.7.1-1]", "sport/#", "sport", true),
                Arguments.of("[MQTT-4.7.1-1]", "#", "sport/tennis", true),
                Arguments.of("[MQTT-4.7.1-1]", "#", "/", true),
                Arguments.of("[MQTT-4.7.1-2]", "sport/tennis/+", "sport/tennis/player1", true),
                Arguments.of("[MQTT-4.7.1-2]", "sport/tennis/+", "sport/tennis/player1/ranking", false),
                Arguments.of("[MQTT-4.7.1-2] + does not match the parent", "sport/+", "sport", false),
                Arguments.of("[MQTT-4.7.1-2] + matches an empty level", "sport/+", "sport/", true),
                Arguments.of("[MQTT-4.7.1-2]", "+/+", "/finance", true),
                Arguments.of("[MQTT-4.7.1-2]", "/+", "/finance", true),
                Arguments.of("[MQTT-4.7.1-2]", "+", "/finance", false),
                Arguments.of("[MQTT-4.7.1-2]", "+/tennis/#", "sport/tennis/player1/ranking", true),
                Arguments.of("[MQTT-4.7.2-1] # does not match $", "#", "$SYS/x", false),
                Arguments.of("[MQTT-4.7.2-1] + does not match $", "+/monitor/Clients", "$SYS/monitor/Clients", false),
                Arguments.of("[MQTT-4.7.2-1] + does not match $", "+", "$SYS", false),
                Arguments.of("[MQTT-4.7.2-1]", "$SYS/#", "$SYS/x", true),
                Arguments.of("[MQTT-4.7.2-1]", "$SYS/#", "$SYS", true),
                Arguments.of("[MQTT-4.7.2-1]", "$SYS/monitor/+", "$SYS/monitor/Clients", true),
                Arguments.of("[MQTT-4.7.2-1] $ later in the topic is ordinary", "+/$SYS", "a/$SYS", true),
                Arguments.of("[MQTT-4.7.2-1] $ later in the topic is ordinary", "#", "a/$SYS", true),
                Arguments.of("[MQTT-4.7.3-4] matching is case sensitive", "ACCOUNTS", "Accounts", false),
                Arguments.of("[MQTT-4.7.3-4] spaces are ordinary", "Accounts payable", "Accounts payable", true),
                Arguments.of(
                        "[MQTT-4.8.2-2] shared filters match by their filter part",
                        "$share/g/sport/+",
                        "sport/x",
                        true),
                Arguments.of("[MQTT-4.8.2-2]", "$share/g/sport/+", "$share/g/sport/x", false),
                Arguments.of("[MQTT-4.7.2-1] shared # does not match $", "$share/g/#", "$SYS/x", false),
                Arguments.of("exact", "a/b", "a/b", true),
                Arguments.of("exact", "a/b", "a/b/c", false),
                Arguments.of("exact", "a/b/c", "a/b", false));
    }

    @ParameterizedTest(name = "{0}: {1} ~ {2} = {3}")
    @MethodSource("table")
    void topicFilterMatches(String rule, String filter, String topic, boolean expected) throws Exception {
        assertEquals(expected, TopicFilter.parse(filter, LIMITS).matches(TopicName.parse(topic, LIMITS)));
    }

    @ParameterizedTest(name = "{0}: {1} ~ {2} = {3}")
    @MethodSource("table")
    void subscriptionTreeMatches(String rule, String filter, String topic, boolean expected) throws Exception {
        SubscriptionTree<String, Integer> tree = new SubscriptionTree<>();
        TopicFilter parsed = TopicFilter.parse(filter, LIMITS);
        tree.subscribe("alice", parsed, 1);
        Recorder<String, Integer> recorder = new Recorder<>();

        tree.match(TopicName.parse(topic, LIMITS), recorder);

        List<String> expectedCalls = expected ? List.of(filter) : List.of();
        assertEquals(expectedCalls, parsed.isShared() ? recorder.groups : recorder.subscriptionFilters);
        assertEquals(List.of(), parsed.isShared() ? recorder.subscriptions : recorder.groups);
    }

    @ParameterizedTest(name = "{0}: {1} ~ {2} = {3}")
    @MethodSource("table")
    void retainedMessagesMatch(String rule, String filter, String topic, boolean expected) throws Exception {
        RetainedMessages<String> retained = new RetainedMessages<>();
        retained.put(TopicName.parse(topic, LIMITS), "m");
        List<String> found = new ArrayList<>();

        retained.match(TopicFilter.parse(filter, LIMITS), (name, message) -> found.add(name.value()));

        assertEquals(expected ? List.of(topic) : List.of(), found);
    }
}
