package dev.cairn.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link SubscriptionTree#match} must give exactly what a brute-force scan with the reference
 * {@link TopicFilter#matches} gives. Method: with a fixed seed, subscribe thousands of random
 * filters (exact, +, #, $ levels, empty levels, shared), unsubscribe some of them again, then
 * compare both answers as sorted lists for thousands of random topics. A small alphabet of levels
 * makes overlaps, and so interesting matches, common.
 */
class SubscriptionTreeRandomizedTest {

    private static final TopicLimits LIMITS = new TopicLimits(1_000, 16);
    private static final String[] LITERALS = {"a", "b", "c", "", "$SYS", "$x"};
    private static final String[] SHARE_NAMES = {"g1", "g2"};

    private final Random random = new Random(20240607L);

    @Test
    void treeMatchEqualsBruteForceOverRandomFiltersAndTopics() throws Exception {
        SubscriptionTree<Integer, Integer> tree = new SubscriptionTree<>();
        // The model: (subscriber, full filter string) -> options, as the tree should hold it.
        Map<String, Integer> model = new HashMap<>();
        Map<String, TopicFilter> filters = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            int subscriber = random.nextInt(60);
            TopicFilter filter = TopicFilter.parse(randomFilter(), LIMITS);
            int options = random.nextInt(3);
            tree.subscribe(subscriber, filter, options);
            model.put(subscriber + " " + filter.value(), options);
            filters.put(filter.value(), filter);
        }
        List<String> keys = new ArrayList<>(model.keySet());
        keys.sort(null);
        for (String key : keys) {
            if (random.nextInt(4) == 0) {
                String[] parts = key.split(" ", 2);
                tree.unsubscribe(Integer.valueOf(parts[0]), filters.get(parts[1]));
                model.remove(key);
            }
        }
        assertEquals(model.size(), tree.size());
        List<Held> held = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : model.entrySet()) {
            String[] parts = entry.getKey().split(" ", 2);
            held.add(new Held(parts[0], filters.get(parts[1]), entry.getValue()));
        }

        int topicsWithMatches = 0;
        for (int i = 0; i < 3_000; i++) {
            TopicName topic = TopicName.parse(randomTopic(), LIMITS);
            Recorder<Integer, Integer> recorder = new Recorder<>();
            tree.match(topic, recorder);
            assertEquals(bruteForceSubscriptions(held, topic), recorder.sortedSubscriptions(), topic::value);
            assertEquals(bruteForceGroups(held, topic), groupsSeen(recorder), topic::value);
            topicsWithMatches += recorder.isEmpty() ? 0 : 1;
        }
        // Guards the generator: a comparison of two empty answers proves nothing.
        assertTrue(topicsWithMatches > 1_000, "only " + topicsWithMatches + " topics matched anything");

        for (int subscriber = 0; subscriber < 60; subscriber++) {
            tree.unsubscribeAll(subscriber);
        }
        assertEquals(0, tree.size());
        assertEquals(0, tree.nodeCount());
    }

    private String randomFilter() {
        int levels = 1 + random.nextInt(4);
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                part.append('/');
            }
            int kind = random.nextInt(10);
            if (kind == 0 && i == levels - 1) {
                part.append('#');
            } else if (kind <= 2) {
                part.append('+');
            } else {
                part.append(LITERALS[random.nextInt(LITERALS.length)]);
            }
        }
        // A filter of one empty level is the empty string, which is not a filter [MQTT-4.7.3-1].
        String filter = part.length() == 0 ? "+" : part.toString();
        if (random.nextInt(5) == 0) {
            return "$share/" + SHARE_NAMES[random.nextInt(SHARE_NAMES.length)] + "/" + filter;
        }
        return filter;
    }

    private String randomTopic() {
        int levels = 1 + random.nextInt(5);
        StringBuilder topic = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                topic.append('/');
            }
            topic.append(LITERALS[random.nextInt(LITERALS.length)]);
        }
        // A topic of one empty level is the empty string, which is not a topic [MQTT-4.7.3-1].
        return topic.length() == 0 ? "a" : topic.toString();
    }

    /** One subscription the tree should hold. */
    private record Held(String subscriber, TopicFilter filter, int options) {}

    private static List<String> bruteForceSubscriptions(List<Held> held, TopicName topic) {
        List<String> expected = new ArrayList<>();
        for (Held subscription : held) {
            if (!subscription.filter().isShared() && subscription.filter().matches(topic)) {
                expected.add(
                        subscription.subscriber() + " " + subscription.filter().value() + " " + subscription.options());
            }
        }
        expected.sort(null);
        return expected;
    }

    /** Each matching shared group, as its filter and its sorted "member options" set. */
    private static Map<String, TreeSet<String>> bruteForceGroups(List<Held> held, TopicName topic) {
        Map<String, TreeSet<String>> expected = new TreeMap<>();
        for (Held subscription : held) {
            TopicFilter filter = subscription.filter();
            if (filter.isShared() && filter.matches(topic)) {
                expected.computeIfAbsent(filter.value(), key -> new TreeSet<>())
                        .add(subscription.subscriber() + " " + subscription.options());
            }
        }
        return expected;
    }

    private static Map<String, TreeSet<String>> groupsSeen(Recorder<Integer, Integer> recorder) {
        Map<String, TreeSet<String>> seen = new TreeMap<>();
        for (SharedGroup<Integer, Integer> group : recorder.groupObjects) {
            TreeSet<String> members = new TreeSet<>();
            for (int i = 0; i < group.size(); i++) {
                members.add(group.subscriber(i) + " " + group.options(i));
            }
            if (seen.put(group.filter().value(), members) != null) {
                throw new AssertionError("group " + group.filter().value() + " reported twice");
            }
        }
        return seen;
    }
}
