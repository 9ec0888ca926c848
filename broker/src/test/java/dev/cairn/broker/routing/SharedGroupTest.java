package dev.cairn.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Round-robin choice within a shared group [MQTT-4.8.2-1]: even spread over eligible members,
 * ineligible members skipped, and -1 when nobody is eligible.
 */
class SharedGroupTest {

    private static final TopicLimits LIMITS = new TopicLimits(1_000, 16);

    private final SubscriptionTree<String, Integer> tree = new SubscriptionTree<>();

    private SharedGroup<String, Integer> groupOf(String... members) throws InvalidTopicException {
        TopicFilter filter = TopicFilter.parse("$share/g/jobs", LIMITS);
        for (String member : members) {
            tree.subscribe(member, filter, 1);
        }
        Recorder<String, Integer> recorder = new Recorder<>();
        tree.match(TopicName.parse("jobs", LIMITS), recorder);
        assertEquals(1, recorder.groupObjects.size());
        return recorder.groupObjects.get(0);
    }

    private static Map<String, Integer> pickMany(SharedGroup<String, Integer> group, int picks, Set<String> eligible) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            int index = group.nextIndex(eligible::contains);
            counts.merge(index < 0 ? "none" : group.subscriber(index), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinSpreadsEvenlyOverAllMembers() throws Exception {
        SharedGroup<String, Integer> group = groupOf("a", "b", "c");

        Map<String, Integer> counts = pickMany(group, 300, Set.of("a", "b", "c"));

        assertEquals(Map.of("a", 100, "b", 100, "c", 100), counts);
    }

    @Test
    void consecutivePicksNeverRepeatAMemberWhileOthersAreEligible() throws Exception {
        SharedGroup<String, Integer> group = groupOf("a", "b", "c");

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(group.subscriber(group.nextIndex(member -> true)));
        }

        assertEquals(picks.subList(0, 3), picks.subList(3, 6));
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(picks.subList(0, 3)));
    }

    @Test
    void ineligibleMembersAreSkippedAndTheRestShareEvenly() throws Exception {
        SharedGroup<String, Integer> group = groupOf("a", "b", "c", "d");

        Map<String, Integer> counts = pickMany(group, 200, Set.of("b", "d"));

        assertEquals(Map.of("b", 100, "d", 100), counts);
    }

    @Test
    void noEligibleMemberGivesMinusOne() throws Exception {
        SharedGroup<String, Integer> group = groupOf("a", "b");

        assertEquals(-1, group.nextIndex(member -> false));
        assertEquals(Map.of("none", 3), pickMany(group, 3, Set.of()));
    }

    @Test
    void roundRobinStaysEvenAfterAMemberLeaves() throws Exception {
        SharedGroup<String, Integer> group = groupOf("a", "b", "c");
        pickMany(group, 2, Set.of("a", "b", "c"));

        tree.unsubscribe("c", TopicFilter.parse("$share/g/jobs", LIMITS));
        Map<String, Integer> counts = pickMany(group, 100, Set.of("a", "b", "c"));

        assertEquals(Map.of("a", 50, "b", 50), counts);
    }
}
