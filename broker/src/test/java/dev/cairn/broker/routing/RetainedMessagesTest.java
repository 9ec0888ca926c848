package dev.cairn.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The retained store: put, replace, get, remove with pruning, and matching by filter with
 * wildcards and the {@code $} rule [MQTT-4.7.2-1], checked against the reference matcher.
 */
class RetainedMessagesTest {

    private static final TopicLimits LIMITS = new TopicLimits(1_000, 16);

    private final RetainedMessages<String> retained = new RetainedMessages<>();

    private static TopicName topic(String text) throws InvalidTopicException {
        return TopicName.parse(text, LIMITS);
    }

    private List<String> match(String filter) throws InvalidTopicException {
        List<String> found = new ArrayList<>();
        retained.match(TopicFilter.parse(filter, LIMITS), (name, message) -> found.add(name.value() + "=" + message));
        found.sort(null);
        return found;
    }

    @Test
    void putReturnsThePreviousMessageAndReplacesIt() throws Exception {
        assertNull(retained.put(topic("a/b"), "one"));

        String previous = retained.put(topic("a/b"), "two");

        assertEquals("one", previous);
        assertEquals("two", retained.get(topic("a/b")));
        assertEquals(1, retained.size());
    }

    @Test
    void getOfAnInnerLevelWithoutAMessageIsNull() throws Exception {
        retained.put(topic("a/b/c"), "m");

        assertNull(retained.get(topic("a/b")));
        assertNull(retained.get(topic("a/b/c/d")));
        assertEquals("m", retained.get(topic("a/b/c")));
    }

    @Test
    void removeReturnsTheMessageAndPrunesEmptyNodes() throws Exception {
        retained.put(topic("a/b/c"), "deep");
        retained.put(topic("a"), "top");
        assertEquals(3, retained.nodeCount());

        String removed = retained.remove(topic("a/b/c"));

        assertEquals("deep", removed);
        assertEquals(1, retained.nodeCount());
        assertEquals(1, retained.size());
        assertEquals("top", retained.get(topic("a")));
        assertEquals("top", retained.remove(topic("a")));
        assertEquals(0, retained.nodeCount());
        assertEquals(0, retained.size());
    }

    @Test
    void removeOfAnAbsentTopicChangesNothing() throws Exception {
        retained.put(topic("a/b"), "m");

        assertNull(retained.remove(topic("a")));
        assertNull(retained.remove(topic("a/b/c")));
        assertNull(retained.remove(topic("x")));
        assertEquals(1, retained.size());
        assertEquals(2, retained.nodeCount());
    }

    @Test
    void wildcardFiltersFindTheRetainedTopicsTheyMatch() throws Exception {
        for (String text : List.of(
                "sport",
                "sport/tennis",
                "sport/tennis/player1",
                "sport/golf",
                "/finance",
                "$SYS/uptime",
                "$SYS/clients/count")) {
            retained.put(topic(text), "m");
        }

        assertEquals(List.of("sport/golf=m", "sport/tennis=m"), match("sport/+"));
        assertEquals(List.of("sport/golf=m", "sport/tennis/player1=m", "sport/tennis=m", "sport=m"), match("sport/#"));
        assertEquals(List.of("sport/tennis/player1=m"), match("sport/tennis/player1"));
        assertEquals(List.of("/finance=m"), match("+/finance"));
        assertEquals(List.of("/finance=m", "sport/golf=m", "sport/tennis=m"), match("+/+"));
        assertEquals(List.of(), match("sport/tennis/player1/+"));
    }

    @Test
    void filtersStartingWithAWildcardDoNotReachDollarTopics() throws Exception {
        retained.put(topic("$SYS/uptime"), "u");
        retained.put(topic("$SYS"), "s");
        retained.put(topic("normal"), "n");

        assertEquals(List.of("normal=n"), match("#"));
        assertEquals(List.of("normal=n"), match("+"));
        assertEquals(List.of(), match("+/uptime"));
        assertEquals(List.of("$SYS/uptime=u", "$SYS=s"), match("$SYS/#"));
        assertEquals(List.of("$SYS/uptime=u"), match("$SYS/+"));
    }

    @Test
    void forEachVisitsEveryRetainedMessageOnce() throws Exception {
        retained.put(topic("a"), "1");
        retained.put(topic("a/b"), "2");
        retained.put(topic("$SYS/x"), "3");
        retained.put(topic("/"), "4");

        TreeMap<String, String> seen = new TreeMap<>();
        retained.forEach((name, message) -> assertNull(seen.put(name.value(), message), name::value));

        assertEquals(List.of("$SYS/x", "/", "a", "a/b"), List.copyOf(seen.keySet()));
    }

    @Test
    void matchAgreesWithTheReferenceMatcherOverRandomTopicsAndFilters() throws Exception {
        // Method: fixed seed, a few hundred random topics from a small alphabet, then every filter
        // compared with a scan using TopicFilter.matches.
        Random random = new Random(7L);
        String[] literals = {"a", "b", "", "$SYS"};
        for (int i = 0; i < 400; i++) {
            retained.put(topic(randomLevels(random, literals, "a")), "m" + i);
        }
        int nonEmpty = 0;
        for (int i = 0; i < 1_000; i++) {
            String[] filterLiterals = {"a", "b", "", "$SYS", "+", "+", "#"};
            String text = randomLevels(random, filterLiterals, "+");
            boolean hashNotLast = text.indexOf('#') >= 0 && text.indexOf('#') != text.length() - 1;
            if (hashNotLast) {
                continue;
            }
            TopicFilter filter = TopicFilter.parse(text, LIMITS);
            List<String> expected = new ArrayList<>();
            retained.forEach((name, message) -> {
                if (filter.matches(name)) {
                    expected.add(name.value() + "=" + message);
                }
            });
            expected.sort(null);
            assertEquals(expected, match(text), text);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 200, "only " + nonEmpty + " filters matched anything");
    }

    private static String randomLevels(Random random, String[] literals, String whenEmpty) {
        int levels = 1 + random.nextInt(4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                text.append('/');
            }
            text.append(literals[random.nextInt(literals.length)]);
        }
        return text.length() == 0 ? whenEmpty : text.toString();
    }
}
