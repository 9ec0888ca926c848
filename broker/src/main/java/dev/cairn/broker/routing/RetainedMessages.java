package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import dev.cairn.protocol.TopicSyntax;
import java.util.HashMap;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The retained message of each topic, in a trie over topic levels, so that a new subscription
 * walks only the branches its filter can reach: an exact filter is a lookup per level, and
 * {@code +} and {@code #} fan out only where they stand. A filter starting with a wildcard does
 * not reach topics starting with {@code $} [MQTT-4.7.2-1].
 *
 * <p>Confined to the core thread: only {@code CoreLoop}'s thread may call any method, so there
 * are no locks and no concurrent collections. The store itself has no size limit; the core checks
 * {@link #size} against the limit in {@code BrokerConfig} before it retains a new topic.
 *
 * @param <M> the retained message (for example a journal position), never null
 */
public final class RetainedMessages<M> {

    private final Node<M> root = new Node<>(null, null);
    private int size;
    private int nodeCount;

    /** Retains {@code message} for {@code topic}, replacing and returning any previous one. */
    public M put(TopicName topic, M message) {
        Objects.requireNonNull(message, "message");
        Node<M> node = root;
        for (int i = 0; i < topic.levelCount(); i++) {
            String level = topic.level(i);
            Node<M> child = node.child(level);
            if (child == null) {
                child = node.addChild(level);
                nodeCount++;
            }
            node = child;
        }
        M previous = node.message;
        if (previous == null) {
            size++;
        }
        node.topic = topic;
        node.message = message;
        return previous;
    }

    /** Removes and returns the message retained for {@code topic}, or null if there was none. */
    public M remove(TopicName topic) {
        Node<M> node = find(topic);
        if (node == null || node.message == null) {
            return null;
        }
        M previous = node.message;
        node.message = null;
        node.topic = null;
        size--;
        prune(node);
        return previous;
    }

    /** The message retained for {@code topic}, or null. */
    public M get(TopicName topic) {
        Node<M> node = find(topic);
        return node == null ? null : node.message;
    }

    public int size() {
        return size;
    }

    /**
     * Passes every retained message whose topic {@code filter} matches to {@code consumer}. For a
     * shared filter this is its filter part, though the spec sends no retained messages on a
     * shared subscription; that choice is the caller's.
     */
    public void match(TopicFilter filter, BiConsumer<TopicName, M> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        matchFrom(root, filter, 0, consumer);
    }

    private void matchFrom(Node<M> node, TopicFilter filter, int depth, BiConsumer<TopicName, M> consumer) {
        if (depth == filter.levelCount()) {
            node.accept(consumer);
            return;
        }
        String level = filter.level(depth);
        if (level.equals(TopicSyntax.MULTI_LEVEL_WILDCARD)) {
            // "#" matches the parent level too: "sport/#" matches "sport" (the root holds none).
            node.accept(consumer);
            forEachChild(node, depth, child -> forEachBelow(child, consumer));
        } else if (level.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD)) {
            forEachChild(node, depth, child -> matchFrom(child, filter, depth + 1, consumer));
        } else {
            Node<M> child = node.child(level);
            if (child != null) {
                matchFrom(child, filter, depth + 1, consumer);
            }
        }
    }

    /**
     * Visits the children a wildcard at {@code depth} may enter: at depth 0 that excludes the
     * levels starting with {@code $}, which are exactly the {@code $} topics [MQTT-4.7.2-1].
     */
    private static <M> void forEachChild(Node<M> node, int depth, Consumer<Node<M>> action) {
        if (node.children == null) {
            return;
        }
        for (Node<M> child : node.children.values()) {
            if (depth > 0 || !child.level.startsWith("$")) {
                action.accept(child);
            }
        }
    }

    /** Passes every retained message, in no particular order. */
    public void forEach(BiConsumer<TopicName, M> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        forEachBelow(root, consumer);
    }

    private static <M> void forEachBelow(Node<M> node, BiConsumer<TopicName, M> consumer) {
        node.accept(consumer);
        if (node.children != null) {
            for (Node<M> child : node.children.values()) {
                forEachBelow(child, consumer);
            }
        }
    }

    private Node<M> find(TopicName topic) {
        Node<M> node = root;
        for (int i = 0; i < topic.levelCount(); i++) {
            node = node.child(topic.level(i));
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Removes {@code node} and its ancestors while they hold nothing, so memory follows live state. */
    private void prune(Node<M> node) {
        while (node != root && node.message == null && node.children == null) {
            Node<M> parent = node.parent;
            parent.children.remove(node.level);
            if (parent.children.isEmpty()) {
                parent.children = null;
            }
            nodeCount--;
            node = parent;
        }
    }

    /** The number of trie nodes besides the root; for tests of pruning. */
    int nodeCount() {
        return nodeCount;
    }

    /** One topic level; holds the message of the topic that ends here, if any. */
    private static final class Node<M> {

        final Node<M> parent;
        final String level;
        HashMap<String, Node<M>> children;
        TopicName topic;
        M message;

        Node(Node<M> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node<M> child(String childLevel) {
            return children == null ? null : children.get(childLevel);
        }

        Node<M> addChild(String childLevel) {
            if (children == null) {
                children = new HashMap<>();
            }
            Node<M> child = new Node<>(this, childLevel);
            children.put(childLevel, child);
            return child;
        }

        void accept(BiConsumer<TopicName, M> consumer) {
            if (message != null) {
                consumer.accept(topic, message);
            }
        }
    }
}
