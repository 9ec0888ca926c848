package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Topic names are validated once at parse time. Each row of the tables names the spec statement
 * (or the configured limit) it exercises, and the invalid rows check that the exception names it.
 */
class TopicNameTest {

    private static final TopicLimits LIMITS = new TopicLimits(32, 4);

    static Stream<Arguments> validNames() {
        return Stream.of(
                Arguments.of("[MQTT-4.7.3-1] one character", "a", new String[] {"a"}),
                Arguments.of("[MQTT-4.7.3-1] the separator alone is two empty levels", "/", new String[] {"", ""}),
                Arguments.of("levels are split at every /", "sport/tennis/player1", new String[] {
                    "sport", "tennis", "player1"
                }),
                Arguments.of("empty levels are kept", "/finance//x", new String[] {"", "finance", "", "x"}),
                Arguments.of("[MQTT-4.7.3-4] spaces and case are kept", "A b/c D", new String[] {"A b", "c D"}),
                Arguments.of("[MQTT-4.7.2-1] $ topics are valid names", "$SYS/broker", new String[] {"$SYS", "broker"}),
                Arguments.of("exactly topicLevelsMax levels", "a/b/c/d", new String[] {"a", "b", "c", "d"}),
                Arguments.of("exactly topicLengthMaxBytes bytes (16 two-byte chars)", "é".repeat(16), new String[] {
                    "é".repeat(16)
                }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validNames")
    void validNamesParseIntoTheirLevels(String rule, String topic, String[] expectedLevels) throws Exception {
        TopicName name = TopicName.parse(topic, LIMITS);

        assertEquals(topic, name.value());
        assertEquals(expectedLevels.length, name.levelCount());
        String[] actual = new String[name.levelCount()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = name.level(i);
        }
        assertArrayEquals(expectedLevels, actual);
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("[MQTT-4.7.3-1]", ""),
                Arguments.of("[MQTT-4.7.0-1]", "sport/+"),
                Arguments.of("[MQTT-4.7.0-1]", "sport/#"),
                Arguments.of("[MQTT-4.7.0-1]", "sport/ten+nis"),
                Arguments.of("[MQTT-4.7.0-1]", "#"),
                Arguments.of("[MQTT-4.7.3-2]", "a\u0000b"),
                Arguments.of("[MQTT-1.5.4-1]", "a\uD800b"),
                Arguments.of("topicLevelsMax", "a/b/c/d/e"),
                Arguments.of("topicLengthMaxBytes", "x".repeat(33)),
                Arguments.of("topicLengthMaxBytes", "é".repeat(17)),
                Arguments.of("topicLengthMaxBytes", "\uD83D\uDE00".repeat(9)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidNames")
    void invalidNamesAreRefusedNamingTheRule(String rule, String topic) {
        InvalidTopicException error = assertThrows(InvalidTopicException.class, () -> TopicName.parse(topic, LIMITS));

        assertTrue(error.getMessage().contains(rule), () -> "message '" + error.getMessage() + "' lacks " + rule);
    }

    @Test
    void fourByteCharactersCountAsFourBytes() throws Exception {
        // Eight emoji are 32 bytes in UTF-8 but only 16 chars in Java: the limit is in bytes.
        TopicName name = TopicName.parse("\uD83D\uDE00".repeat(8), LIMITS);

        assertEquals(1, name.levelCount());
    }

    @Test
    void dollarMeansTheFirstCharacterIsDollar() throws Exception {
        assertTrue(TopicName.parse("$SYS/x", LIMITS).isDollar());
        assertTrue(TopicName.parse("$", LIMITS).isDollar());
        assertFalse(TopicName.parse("a/$SYS", LIMITS).isDollar());
        assertFalse(TopicName.parse("/$SYS", LIMITS).isDollar());
    }

    @Test
    void equalityIsByValue() throws Exception {
        TopicName first = TopicName.parse("a/b", LIMITS);
        TopicName second = TopicName.parse("a/b", LIMITS);

        assertEquals(first, second);
        assertEquals(first.hashCode(), second.hashCode());
        assertNotEquals(first, TopicName.parse("a/B", LIMITS));
    }

    @Test
    void limitsThatCanNeverBeMetAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TopicLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicLimits(65_536, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicLimits(1, 0));
    }
}
