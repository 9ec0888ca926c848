package dev.cairn.broker.acl;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one ACL file compiled once, when it is loaded, into one trie per section (see
 * {@link RuleTrie}): the anonymous section, one per user, and the patterns. A check looks up the
 * client's section by username (a hash lookup) and walks it and the pattern trie once; it never
 * scans the list of rules. The rules that apply to a client are its section's (the anonymous one
 * when it sent no username) and every pattern. A topic is allowed when a rule that applies grants
 * the access and no rule that applies denies it: {@code deny} wins over every grant, and what is
 * not granted is denied. {@link #ALLOW_ALL}, used when no {@code acl_file} is set, allows
 * everything. Immutable, so any thread may use it.
 */
public final class TopicAcl {
    /** No ACL file: every client may read, write and subscribe to every topic. */
    public static final TopicAcl ALLOW_ALL = new TopicAcl(null, Map.of(), null, 0);

    private static final RuleTrie EMPTY = new RuleTrie(List.of(), false);

    private final RuleTrie anonymous;
    private final Map<String, RuleTrie> users;
    private final RuleTrie patterns;
    private final int ruleCount;

    private TopicAcl(RuleTrie anonymous, Map<String, RuleTrie> users, RuleTrie patterns, int ruleCount) {
        this.anonymous = anonymous;
        this.users = users;
        this.patterns = patterns;
        this.ruleCount = ruleCount;
    }

    /** Compiles the rules of {@code file}. */
    public static TopicAcl compile(AclFile file) {
        Map<String, RuleTrie> users = new HashMap<>();
        file.users().forEach((name, rules) -> users.put(name, new RuleTrie(rules, false)));
        return new TopicAcl(
                new RuleTrie(file.anonymous(), false), users, new RuleTrie(file.patterns(), true), file.ruleCount());
    }

    /** Whether rules are in force; false for {@link #ALLOW_ALL}. */
    public boolean enforcing() {
        return patterns != null;
    }

    /** How many rules were compiled. */
    public int ruleCount() {
        return ruleCount;
    }

    /**
     * Whether a client may receive a message published on {@code topic}.
     *
     * @param username the client's username, null for a client that sent none
     */
    public boolean canRead(String username, String clientId, TopicName topic) {
        return allows(matchBits(username, clientId, topic), Access.READ_BIT);
    }

    /** Whether a client may publish on {@code topic} (a will's topic included). */
    public boolean canWrite(String username, String clientId, TopicName topic) {
        return allows(matchBits(username, clientId, topic), Access.WRITE_BIT);
    }

    /**
     * Whether a client may subscribe to {@code filter} (for a shared subscription, the filter after
     * {@code $share/NAME/}): a rule that applies to it must grant read on a filter that covers the
     * whole subscription (every topic the subscription can match, the rule matches too), and no
     * {@code deny} rule may cover it. A subscription that a deny rule covers only in part (say
     * {@code #} under {@code deny secret/#}) is granted, and the denied topics are withheld at
     * delivery, where {@link #canRead} judges each message's topic.
     */
    public boolean canSubscribe(String username, String clientId, TopicFilter filter) {
        if (!enforcing()) {
            return true;
        }
        int bits = section(username).cover(filter, username, clientId) | patterns.cover(filter, username, clientId);
        return allows(bits, Access.READ_BIT);
    }

    private int matchBits(String username, String clientId, TopicName topic) {
        if (!enforcing()) {
            return Access.READ_BIT | Access.WRITE_BIT;
        }
        return section(username).match(topic, username, clientId) | patterns.match(topic, username, clientId);
    }

    private RuleTrie section(String username) {
        if (username == null) {
            return anonymous;
        }
        RuleTrie user = users.get(username);
        return user == null ? EMPTY : user;
    }

    private static boolean allows(int bits, int wanted) {
        return (bits & Access.DENY_BIT) == 0 && (bits & wanted) != 0;
    }
}
