package dev.cairn.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of {@link SubscriptionTree}: subscribe, replace, unsubscribe, unsubscribeAll,
 * the counts, and that trie nodes are pruned once empty. Matching itself is covered by
 * {@link MatchingTableTest} and {@link SubscriptionTreeRandomizedTest}.
 */
class SubscriptionTreeTest {

    private static final TopicLimits LIMITS = new TopicLimits(1_000, 16);

    private final SubscriptionTree<String, Integer> tree = new SubscriptionTree<>();

    private static TopicFilter filter(String text) throws InvalidTopicException {
        return TopicFilter.parse(text, LIMITS);
    }

    private Recorder<String, Integer> match(String topic) throws InvalidTopicException {
        Recorder<String, Integer> recorder = new Recorder<>();
        tree.match(TopicName.parse(topic, LIMITS), recorder);
        return recorder;
    }

    @Test
    void subscribingTheSameFilterAgainReplacesTheOptions() throws Exception {
        assertTrue(tree.subscribe("alice", filter("a/+"), 1));

        boolean isNew = tree.subscribe("alice", filter("a/+"), 2);

        assertFalse(isNew);
        assertEquals(1, tree.size());
        assertEquals(1, tree.subscriptionCount("alice"));
        assertEquals(List.of("alice a/+ 2"), match("a/b").subscriptions);
    }

    @Test
    void overlappingFiltersOfOneSubscriberEachProduceACall() throws Exception {
        tree.subscribe("alice", filter("a/b"), 1);
        tree.subscribe("alice", filter("a/+"), 2);
        tree.subscribe("alice", filter("#"), 3);
        tree.subscribe("bob", filter("a/b"), 4);

        List<String> calls = match("a/b").sortedSubscriptions();

        assertEquals(List.of("alice # 3", "alice a/+ 2", "alice a/b 1", "bob a/b 4"), calls);
        assertEquals(3, tree.subscriptionCount("alice"));
        assertEquals(4, tree.size());
    }

    @Test
    void unsubscribeRemovesOnlyThatFilterAndPrunesItsNodes() throws Exception {
        tree.subscribe("alice", filter("a/b/c"), 1);
        tree.subscribe("alice", filter("a/x"), 1);
        assertEquals(4, tree.nodeCount());

        assertTrue(tree.unsubscribe("alice", filter("a/b/c")));

        assertEquals(2, tree.nodeCount());
        assertEquals(1, tree.size());
        assertTrue(match("a/b/c").isEmpty());
        assertEquals(List.of("alice a/x 1"), match("a/x").subscriptions);
    }

    @Test
    void unsubscribeOfAnUnknownSubscriptionReportsFalse() throws Exception {
        tree.subscribe("alice", filter("a"), 1);

        assertFalse(tree.unsubscribe("alice", filter("b")));
        assertFalse(tree.unsubscribe("bob", filter("a")));
        assertFalse(tree.unsubscribe("alice", filter("$share/g/a")));
        assertEquals(1, tree.size());
    }

    @Test
    void aSubscriptionAtAnInnerNodeKeepsTheNodeAlive() throws Exception {
        tree.subscribe("alice", filter("a"), 1);
        tree.subscribe("alice", filter("a/b"), 1);

        tree.unsubscribe("alice", filter("a/b"));

        assertEquals(1, tree.nodeCount());
        assertEquals(List.of("alice a 1"), match("a").subscriptions);
    }

    @Test
    void wildcardSlotsArePrunedToo() throws Exception {
        tree.subscribe("alice", filter("+/#"), 1);
        tree.subscribe("bob", filter("+"), 1);
        assertEquals(2, tree.nodeCount());

        tree.unsubscribe("alice", filter("+/#"));
        assertEquals(1, tree.nodeCount());
        tree.unsubscribe("bob", filter("+"));

        assertEquals(0, tree.nodeCount());
        assertTrue(match("x").isEmpty());
    }

    @Test
    void unsubscribeAllRemovesEverySubscriptionOfOneSubscriberOnly() throws Exception {
        tree.subscribe("alice", filter("a/b"), 1);
        tree.subscribe("alice", filter("a/#"), 1);
        tree.subscribe("alice", filter("$share/g/a/b"), 1);
        tree.subscribe("bob", filter("a/b"), 2);

        tree.unsubscribeAll("alice");

        assertEquals(0, tree.subscriptionCount("alice"));
        assertEquals(1, tree.size());
        assertEquals(2, tree.nodeCount());
        Recorder<String, Integer> recorder = match("a/b");
        assertEquals(List.of("bob a/b 2"), recorder.subscriptions);
        assertTrue(recorder.groups.isEmpty());
    }

    @Test
    void unsubscribeAllOfEveryoneLeavesAnEmptyTrie() throws Exception {
        tree.subscribe("alice", filter("a/b/c/d"), 1);
        tree.subscribe("bob", filter("a/+/c/#"), 1);
        tree.subscribe("carol", filter("$share/g/a/b"), 1);

        tree.unsubscribeAll("alice");
        tree.unsubscribeAll("bob");
        tree.unsubscribeAll("carol");
        tree.unsubscribeAll("nobody");

        assertEquals(0, tree.size());
        assertEquals(0, tree.nodeCount());
    }

    @Test
    void sharedSubscriptionsOfOneShareNameFormOneGroupPerFilter() throws Exception {
        tree.subscribe("alice", filter("$share/g/a/+"), 1);
        tree.subscribe("bob", filter("$share/g/a/+"), 2);
        tree.subscribe("carol", filter("$share/h/a/+"), 3);
        tree.subscribe("dave", filter("$share/g/a/#"), 4);
        tree.subscribe("erin", filter("a/+"), 5);

        Recorder<String, Integer> recorder = match("a/b");

        assertEquals(List.of("erin a/+ 5"), recorder.subscriptions);
        List<String> groups = recorder.groups;
        groups.sort(null);
        assertEquals(List.of("$share/g/a/#", "$share/g/a/+", "$share/h/a/+"), groups);
        SharedGroup<String, Integer> g = findGroup(recorder, "$share/g/a/+");
        assertEquals("g", g.shareName());
        assertEquals(2, g.size());
        assertEquals("alice", g.subscriber(0));
        assertEquals(2, g.options(1));
    }

    @Test
    void resubscribingToASharedGroupReplacesOptionsWithoutASecondMembership() throws Exception {
        tree.subscribe("alice", filter("$share/g/a"), 1);

        assertFalse(tree.subscribe("alice", filter("$share/g/a"), 7));

        SharedGroup<String, Integer> g = findGroup(match("a"), "$share/g/a");
        assertEquals(1, g.size());
        assertEquals(7, g.options(0));
        assertEquals(1, tree.size());
    }

    @Test
    void leavingASharedGroupKeepsTheOtherMembersAndDropsTheEmptyGroup() throws Exception {
        tree.subscribe("alice", filter("$share/g/a"), 1);
        tree.subscribe("bob", filter("$share/g/a"), 2);
        tree.subscribe("carol", filter("$share/g/a"), 3);

        tree.unsubscribe("alice", filter("$share/g/a"));
        SharedGroup<String, Integer> g = findGroup(match("a"), "$share/g/a");

        assertEquals(2, g.size());
        assertEquals(
                List.of("bob", "carol"),
                List.of(g.subscriber(0), g.subscriber(1)).stream().sorted().toList());
        tree.unsubscribe("bob", filter("$share/g/a"));
        tree.unsubscribe("carol", filter("$share/g/a"));
        assertTrue(match("a").isEmpty());
        assertEquals(0, tree.nodeCount());
    }

    @Test
    void theGroupObjectIsStableAcrossMatches() throws Exception {
        tree.subscribe("alice", filter("$share/g/a"), 1);

        SharedGroup<String, Integer> first = findGroup(match("a"), "$share/g/a");
        tree.subscribe("bob", filter("$share/g/a"), 1);
        SharedGroup<String, Integer> second = findGroup(match("a"), "$share/g/a");

        // The round-robin cursor lives in the group, so it must survive between publishes.
        assertSame(first, second);
        assertEquals(2, second.size());
    }

    @Test
    void dollarTopicsReachOnlyFiltersThatSpellTheDollarLevel() throws Exception {
        tree.subscribe("alice", filter("#"), 1);
        tree.subscribe("alice", filter("+/monitor/Clients"), 1);
        tree.subscribe("alice", filter("$share/g/#"), 1);
        tree.subscribe("bob", filter("$SYS/#"), 2);
        tree.subscribe("bob", filter("$SYS/+/Clients"), 2);

        Recorder<String, Integer> recorder = match("$SYS/monitor/Clients");

        assertEquals(List.of("bob $SYS/# 2", "bob $SYS/+/Clients 2"), recorder.sortedSubscriptions());
        assertTrue(recorder.groups.isEmpty());
    }

    private static SharedGroup<String, Integer> findGroup(Recorder<String, Integer> recorder, String value) {
        for (SharedGroup<String, Integer> group : recorder.groupObjects) {
            if (group.filter().value().equals(value)) {
                return group;
            }
        }
        throw new AssertionError("no group " + value + " in " + recorder.groups);
    }
}
