package dev.cairn.broker.acl;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one section of an ACL file (the anonymous section, one user's, or the patterns)
 * compiled into a trie over filter levels, with dedicated {@code +} and {@code #} slots. Each node
 * holds the access bits of the rules whose filter ends there. A check walks the topic's levels once
 * and visits only the branches that can match, so its cost follows the depth of the topic and the
 * number of rules that match it, not the number of rules. In a pattern trie, a level containing
 * {@code %u} or {@code %c} is a template, compared with the topic's level after substitution.
 * Immutable once built.
 */
final class RuleTrie {
    private final Node root = new Node();

    RuleTrie(List<AclRule> rules, boolean patterns) {
        for (AclRule rule : rules) {
            Node node = root;
            for (String level : rule.filter().split("/", -1)) {
                node = node.child(level, patterns && Template.isTemplate(level));
            }
            node.bits |= rule.access().bits();
        }
    }

    /**
     * The access bits of every rule whose filter matches {@code topic}. A filter starting with a
     * wildcard does not match a topic starting with {@code $} [MQTT-4.7.2-1].
     */
    int match(TopicName topic, String username, String clientId) {
        return match(root, topic, 0, username, clientId);
    }

    private static int match(Node node, TopicName topic, int i, String username, String clientId) {
        boolean wildcardsApply = i > 0 || !topic.isDollar();
        int bits = 0;
        if (node.hash != null && wildcardsApply) {
            bits |= node.hash.bits; // "a/#" matches "a" and everything below it.
        }
        if (i == topic.levelCount()) {
            return bits | node.bits;
        }
        String level = topic.level(i);
        if (node.literal != null) {
            Node child = node.literal.get(level);
            if (child != null) {
                bits |= match(child, topic, i + 1, username, clientId);
            }
        }
        if (node.plus != null && wildcardsApply) {
            bits |= match(node.plus, topic, i + 1, username, clientId);
        }
        if (node.templates != null) {
            for (Template t : node.templates) {
                if (t.matches(level, username, clientId)) {
                    bits |= match(t.node, topic, i + 1, username, clientId);
                }
            }
        }
        return bits;
    }

    /**
     * The access bits of every rule whose filter covers the filter part of {@code filter}:
     * every topic the subscription can match, the rule's filter matches too. A rule's {@code +}
     * covers a literal level or {@code +}; its {@code #} covers whatever follows; a literal (or a
     * template after substitution) covers only the same literal.
     */
    int cover(TopicFilter filter, String username, String clientId) {
        return cover(root, filter, 0, username, clientId);
    }

    private static int cover(Node node, TopicFilter filter, int i, String username, String clientId) {
        // A subscription whose first level is a wildcard matches no "$" topic either, so only a
        // literal "$" first level escapes the rule's wildcards [MQTT-4.7.2-1].
        boolean wildcardsApply = i > 0 || !filter.level(0).startsWith("$");
        int bits = 0;
        if (node.hash != null && wildcardsApply) {
            bits |= node.hash.bits;
        }
        if (i == filter.levelCount()) {
            return bits | node.bits;
        }
        String level = filter.level(i);
        if (level.equals("#")) {
            return bits; // Only a rule's "#" covers a subscription's "#".
        }
        if (node.plus != null && wildcardsApply) {
            bits |= cover(node.plus, filter, i + 1, username, clientId);
        }
        if (level.equals("+")) {
            return bits; // Only a rule's "+" or "#" covers a subscription's "+".
        }
        if (node.literal != null) {
            Node child = node.literal.get(level);
            if (child != null) {
                bits |= cover(child, filter, i + 1, username, clientId);
            }
        }
        if (node.templates != null) {
            for (Template t : node.templates) {
                if (t.matches(level, username, clientId)) {
                    bits |= cover(t.node, filter, i + 1, username, clientId);
                }
            }
        }
        return bits;
    }

    private static final class Node {
        Map<String, Node> literal;
        List<Template> templates;
        Node plus;
        Node hash;
        int bits;

        Node child(String level, boolean template) {
            if (level.equals("+")) {
                return plus == null ? plus = new Node() : plus;
            }
            if (level.equals("#")) {
                return hash == null ? hash = new Node() : hash;
            }
            if (template) {
                if (templates == null) {
                    templates = new ArrayList<>(2);
                }
                for (Template t : templates) {
                    if (t.text.equals(level)) {
                        return t.node;
                    }
                }
                Template t = new Template(level, new Node());
                templates.add(t);
                return t.node;
            }
            if (literal == null) {
                literal = new HashMap<>(4);
            }
            return literal.computeIfAbsent(level, l -> new Node());
        }
    }

    /**
     * A pattern level with {@code %u} (the username) and {@code %c} (the client id) in it.
     * mosquitto's documentation asks for the substitution to be the whole level; a level with more
     * text around it is substituted in place all the same. A {@code %u} level never matches a
     * client without a username.
     */
    private record Template(String text, Node node) {
        static boolean isTemplate(String level) {
            return level.contains("%u") || level.contains("%c");
        }

        boolean matches(String level, String username, String clientId) {
            if (text.equals("%u")) {
                return username != null && username.equals(level);
            }
            if (text.equals("%c")) {
                return clientId.equals(level);
            }
            if (username == null && text.contains("%u")) {
                return false;
            }
            return substitute(username, clientId).equals(level);
        }

        private String substitute(String username, String clientId) {
            StringBuilder b = new StringBuilder(text.length() + 16);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '%' && i + 1 < text.length() && (text.charAt(i + 1) == 'u' || text.charAt(i + 1) == 'c')) {
                    b.append(text.charAt(i + 1) == 'u' ? username : clientId);
                    i++;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }
}
