package dev.cairn.broker.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: the compiled ACL answers read, write and subscribe checks as mosquitto's acl_file rules
 * say: sections by username, patterns with substitution for everyone, deny over grants, and
 * nothing allowed that is not granted. Method: tables of (client, topic, expected) against small
 * files, and a randomized comparison of the trie with a plain scan of the rules.
 */
class TopicAclTest {

    private static TopicAcl acl(String text) {
        return TopicAcl.compile(AclFile.parse(text, "test"));
    }

    private static TopicName topic(String t) throws InvalidTopicException {
        return TopicName.parse(t, TopicLimits.PROTOCOL);
    }

    private static TopicFilter filter(String f) throws InvalidTopicException {
        return TopicFilter.parse(f, TopicLimits.PROTOCOL);
    }

    private static String user(String u) {
        return u.equals("-") ? null : u;
    }

    /** A read or write check as a table row names it; "-" is a client without a username. */
    private static boolean check(TopicAcl acl, String access, String username, String clientId, String topic)
            throws InvalidTopicException {
        return access.equals("read")
                ? acl.canRead(user(username), clientId, topic(topic))
                : acl.canWrite(user(username), clientId, topic(topic));
    }

    @Test
    void withoutAnAclFileEverythingIsAllowed() throws Exception {
        TopicAcl all = TopicAcl.ALLOW_ALL;

        assertFalse(all.enforcing());
        assertTrue(all.canRead(null, "c", topic("$SYS/x")));
        assertTrue(all.canWrite("u", "c", topic("a/b")));
        assertTrue(all.canSubscribe(null, "c", filter("#")));
    }

    @Test
    void anEmptyAclFileDeniesEverything() throws Exception {
        TopicAcl none = acl("# nothing granted\n");

        assertTrue(none.enforcing());
        assertFalse(none.canRead(null, "c", topic("a")));
        assertFalse(none.canWrite("u", "c", topic("a")));
        assertFalse(none.canSubscribe("u", "c", filter("a")));
    }

    /** The rules of mosquitto's own example file, as mosquitto's documentation explains them. */
    @ParameterizedTest(name = "{0}/{1} {2} {3}: {4}")
    @CsvSource({
        // client without a username: the anonymous section, "topic read $SYS/#"
        "-, anon, read, $SYS/broker/uptime, true",
        "-, anon, write, $SYS/broker/uptime, false",
        "-, anon, read, foo/bar, false",
        // roger: "topic foo/bar" is readwrite; the anonymous section is not his
        "roger, r1, read, foo/bar, true",
        "roger, r1, write, foo/bar, true",
        "roger, r1, read, foo/baz, false",
        "roger, r1, read, $SYS/broker/uptime, false",
        // every client: "pattern write $SYS/broker/connection/%c/state"
        "roger, r1, write, $SYS/broker/connection/r1/state, true",
        "roger, r1, write, $SYS/broker/connection/r2/state, false",
        "-, bridge7, write, $SYS/broker/connection/bridge7/state, true",
        "someone, bridge7, write, $SYS/broker/connection/bridge7/state, true",
        "someone, bridge7, read, foo/bar, false",
    })
    void mosquittosExampleFileMeansWhatItsCommentsSay(
            String username, String clientId, String access, String topic, boolean allowed) throws Exception {
        TopicAcl example = acl(AclFileTest.MOSQUITTO_EXAMPLE);

        assertEquals(allowed, check(example, access, username, clientId, topic));
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
        "alice, read, plant/a/temp, true",
        "alice, write, plant/a/temp, false",
        "alice, read, plant/secret/temp, false", // deny wins over the broader read grant
        "alice, write, plant/secret/temp, false",
        "alice, read, plant, true", // "plant/#" matches its parent level too
        "alice, read, sensor/alice/data, true", // pattern with %u
        "alice, write, sensor/alice/data, true",
        "alice, write, sensor/bob/data, false",
        "alice, read, clients/c-alice/inbox, true", // pattern with %c
        "alice, read, clients/other/inbox, false",
        "alice, write, cmd/x/y/z, true",
        "alice, read, cmd/x/y/z, false",
        "alice, read, $SYS/broker/load, false", // "#"-like wildcards at the root never match "$" topics
        "bob, read, plant/a/temp, false", // bob has no section: only the patterns apply
        "bob, read, sensor/bob/data, true",
        "bob, read, $SYS/broker/load, true",
        "-, read, sensor//data, false", // %u never matches a client without a username
        "-, read, public/news, true",
        "-, write, public/news, false",
    })
    void sectionsPatternsAndDenyDecideTogether(String username, String access, String topic, boolean allowed)
            throws Exception {
        TopicAcl rules = acl("topic read public/#\n"
                + "user alice\n"
                + "topic read plant/#\n"
                + "topic deny plant/secret/#\n"
                + "topic write cmd/+/#\n"
                + "topic readwrite +/+/+/+/+/+/nothing\n"
                + "user bob\n"
                + "topic read $SYS/broker/+\n"
                + "pattern readwrite sensor/%u/data\n"
                + "pattern read clients/c-%u/inbox\n");
        String clientId = "c-" + (username.equals("-") ? "anon" : username);

        assertEquals(allowed, check(rules, access, username, clientId, topic));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "plant/#, true", // the grant itself
        "plant/+/temp, true", // inside the grant
        "plant/a/temp, true",
        "plant, true",
        "#, false", // wider than any grant
        "+/a/temp, false",
        "plant/secret/#, false", // wholly denied
        "plant/secret/x, false",
        "plant/+/x, true", // partly denied (plant/secret/x): granted, filtered at delivery
        "cmd/+, false", // write only
        "sensor/alice/data, true",
        "sensor/+/data, false", // the pattern covers alice's level only
        "$SYS/#, false",
        "$SYS/broker/load, true",
        "$SYS/broker/+, true",
        "$SYS/+/load, false",
        "$share/g/plant/+/temp, true", // a shared subscription is judged by its filter part
        "$share/g/#, false",
    })
    void aSubscriptionIsGrantedWhenOneReadRuleCoversItAndNoDenyRuleDoes(String subscription, boolean granted)
            throws Exception {
        TopicAcl rules = acl("user alice\n"
                + "topic read plant/#\n"
                + "topic deny plant/secret/#\n"
                + "topic write cmd/#\n"
                + "topic read $SYS/broker/+\n"
                + "pattern read sensor/%u/data\n");

        assertEquals(granted, rules.canSubscribe("alice", "c1", filter(subscription)));
    }

    @Test
    void aRootWildcardGrantCoversWildcardSubscriptionsButNoDollarTopics() throws Exception {
        TopicAcl rules = acl("topic read #\n");

        assertTrue(rules.canSubscribe(null, "c", filter("#")));
        assertTrue(rules.canSubscribe(null, "c", filter("+/x")));
        assertFalse(rules.canSubscribe(null, "c", filter("$SYS/#"))); // [MQTT-4.7.2-1]
        assertFalse(rules.canRead(null, "c", topic("$SYS/x")));
        assertTrue(rules.canRead(null, "c", topic("a/$SYS")));
    }

    /**
     * The trie must agree with the plain meaning of the rules: a topic is readable when some
     * rule that applies matches it with read, and none that applies and matches is a deny.
     * Random rules and topics over a small alphabet, so that matches are frequent; seed printed.
     */
    @Test
    void theTrieAgreesWithAScanOfTheRules() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] levels = {"a", "b", "$c", "+", "#", "%u", "%c"};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            List<String[]> rules = new ArrayList<>(); // kind, access, filter
            for (int i = 0; i < 12; i++) {
                String kind = random.nextInt(3) == 0 ? "pattern" : "topic";
                String access = Access.values()[random.nextInt(4)].word();
                String f = randomFilter(random, levels, kind.equals("pattern"));
                if (i == 6) {
                    text.append("user u\n");
                }
                text.append(kind)
                        .append(' ')
                        .append(access)
                        .append(' ')
                        .append(f)
                        .append('\n');
                rules.add(new String[] {kind, access, f, i >= 6 ? "u" : null});
            }
            TopicAcl acl = acl(text.toString());
            for (int t = 0; t < 30; t++) {
                String name = randomTopic(random);
                for (String username : new String[] {null, "u", "b"}) {
                    boolean expected = scanAllowsRead(rules, username, "a", topic(name));
                    assertEquals(
                            expected,
                            acl.canRead(username, "a", topic(name)),
                            "seed " + seed + ", user " + username + ", topic " + name + ", rules:\n" + text);
                }
            }
        }
    }

    private static String randomFilter(Random random, String[] levels, boolean pattern) {
        int n = 1 + random.nextInt(3);
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String level;
            do {
                level = levels[random.nextInt(levels.length)];
            } while ((level.equals("#") && i != n - 1) || (!pattern && level.startsWith("%")));
            f.append(i == 0 ? "" : "/").append(level);
        }
        return f.toString();
    }

    private static String randomTopic(Random random) {
        String[] levels = {"a", "b", "$c", "u"};
        int n = 1 + random.nextInt(3);
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < n; i++) {
            t.append(i == 0 ? "" : "/").append(levels[random.nextInt(levels.length)]);
        }
        return t.toString();
    }

    private static boolean scanAllowsRead(List<String[]> rules, String username, String clientId, TopicName topic)
            throws Exception {
        boolean granted = false;
        for (String[] r : rules) {
            boolean pattern = r[0].equals("pattern");
            if (!pattern && !java.util.Objects.equals(r[3], username)) {
                continue;
            }
            String f = r[2];
            if (pattern) {
                if (f.contains("%u") && username == null) {
                    continue;
                }
                f = f.replace("%u", username == null ? "" : username).replace("%c", clientId);
            }
            if (!filter(f).matches(topic)) {
                continue;
            }
            if (r[1].equals("deny")) {
                return false;
            }
            granted |= r[1].equals("read") || r[1].equals("readwrite");
        }
        return granted;
    }
}
