package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Topic filters are validated once at parse time, shared subscriptions included. Each row names
 * the spec statement (or configured limit) it exercises; invalid rows check the exception names it.
 */
class TopicFilterTest {

    private static final TopicLimits LIMITS = new TopicLimits(40, 4);

    static Stream<Arguments> validFilters() {
        // rule, filter, shareName (null: not shared), filter part, hasWildcard
        return Stream.of(
                Arguments.of("[MQTT-4.7.3-1]", "a", null, "a", false),
                Arguments.of("[MQTT-4.7.1-1] # on its own", "#", null, "#", true),
                Arguments.of("[MQTT-4.7.1-1] # after a separator", "sport/tennis/#", null, "sport/tennis/#", true),
                Arguments.of("[MQTT-4.7.1-2] + on its own", "+", null, "+", true),
                Arguments.of("[MQTT-4.7.1-2] + at first and last levels", "+/tennis/+", null, "+/tennis/+", true),
                Arguments.of("[MQTT-4.7.1-2] + with #", "+/tennis/#", null, "+/tennis/#", true),
                Arguments.of("[MQTT-4.7.1-2] + next to empty levels", "/+/", null, "/+/", true),
                Arguments.of("[MQTT-4.7.2-1] $ filters are valid", "$SYS/#", null, "$SYS/#", true),
                Arguments.of(
                        "[MQTT-4.8.2-1] shared",
                        "$share/consumer1/sport/tennis/+",
                        "consumer1",
                        "sport/tennis/+",
                        true),
                Arguments.of(
                        "[MQTT-4.8.2-2] shared filter part may start empty",
                        "$share/g//finance",
                        "g",
                        "/finance",
                        false),
                Arguments.of("[MQTT-4.8.2-2] shared #", "$share/g/#", "g", "#", true),
                Arguments.of("$share without a slash is an ordinary filter", "$share", null, "$share", false),
                Arguments.of("topicLevelsMax counts the filter part only", "$share/g/a/b/c/d", "g", "a/b/c/d", false));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validFilters")
    void validFiltersParseIntoTheirParts(String rule, String text, String shareName, String part, boolean wildcard)
            throws Exception {
        TopicFilter filter = TopicFilter.parse(text, LIMITS);

        assertEquals(text, filter.value());
        assertEquals(shareName, filter.shareName());
        assertEquals(shareName != null, filter.isShared());
        assertEquals(part, filter.filter());
        assertEquals(wildcard, filter.hasWildcard());
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                Arguments.of("[MQTT-4.7.3-1]", ""),
                Arguments.of("[MQTT-4.7.3-2]", "a/\u0000"),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis#"),
                Arguments.of("[MQTT-4.7.1-1]", "sport/tennis/#/ranking"),
                Arguments.of("[MQTT-4.7.1-1]", "sport/#/"),
                Arguments.of("[MQTT-4.7.1-1]", "##"),
                Arguments.of("[MQTT-4.7.1-1]", "#/+"),
                Arguments.of("[MQTT-4.7.1-2]", "sport+"),
                Arguments.of("[MQTT-4.7.1-2]", "sport/+tennis/x"),
                Arguments.of("[MQTT-4.7.1-2]", "++"),
                Arguments.of("[MQTT-4.8.2-1]", "$share//sport"),
                Arguments.of("[MQTT-4.8.2-2]", "$share/g"),
                Arguments.of("[MQTT-4.8.2-2]", "$share/g/"),
                Arguments.of("[MQTT-4.8.2-2]", "$share/"),
                Arguments.of("[MQTT-4.8.2-2]", "$share/g+/sport"),
                Arguments.of("[MQTT-4.8.2-2]", "$share/#/sport"),
                Arguments.of("[MQTT-4.7.1-1]", "$share/g/sport#"),
                Arguments.of("topicLevelsMax", "a/b/c/d/e"),
                Arguments.of("topicLevelsMax", "$share/g/a/b/c/d/e"),
                Arguments.of("topicLengthMaxBytes", "x".repeat(41)),
                Arguments.of("topicLengthMaxBytes", "$share/g/" + "x".repeat(32)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidFilters")
    void invalidFiltersAreRefusedNamingTheRule(String rule, String text) {
        InvalidTopicException error = assertThrows(InvalidTopicException.class, () -> TopicFilter.parse(text, LIMITS));

        assertTrue(error.getMessage().contains(rule), () -> "message '" + error.getMessage() + "' lacks " + rule);
    }

    @Test
    void nonSharedFilterHasNoShareName() throws Exception {
        TopicFilter filter = TopicFilter.parse("a/b", LIMITS);

        assertFalse(filter.isShared());
        assertNull(filter.shareName());
    }

    @Test
    void equalityIsByTheFullString() throws Exception {
        TopicFilter plain = TopicFilter.parse("a/+", LIMITS);

        assertEquals(plain, TopicFilter.parse("a/+", LIMITS));
        assertEquals(plain.hashCode(), TopicFilter.parse("a/+", LIMITS).hashCode());
        assertNotEquals(plain, TopicFilter.parse("$share/g/a/+", LIMITS));
        assertNotEquals(TopicFilter.parse("$share/g/a/+", LIMITS), TopicFilter.parse("$share/h/a/+", LIMITS));
    }
}
