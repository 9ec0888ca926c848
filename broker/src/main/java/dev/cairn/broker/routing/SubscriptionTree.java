package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import dev.cairn.protocol.TopicSyntax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Objects;

/**
 * All subscriptions of the broker, in a trie over filter levels, so that a publish visits only the
 * branches its topic can match instead of testing every filter. Each node has a map of literal
 * children and two dedicated slots for the {@code +} and {@code #} children, so wildcards cost a
 * field read rather than a map lookup. A node holds the non-shared subscriptions whose filter ends
 * there and the shared groups of that filter, keyed by ShareName. A reverse index from subscriber
 * to its subscriptions makes {@link #unsubscribeAll} proportional to that subscriber's own
 * subscriptions.
 *
 * <p>Confined to the core thread: only {@code CoreLoop}'s thread may call any method, so there
 * are no locks and no concurrent collections. The tree itself has no size limit; the core checks
 * {@link #subscriptionCount} and {@link #size} against the limits in {@code BrokerConfig} before
 * it subscribes.
 *
 * @param <S> the subscriber identity, compared with {@code equals} and {@code hashCode}
 * @param <O> the subscription options, opaque to the tree
 */
public final class SubscriptionTree<S, O> {

    private final Node<S, O> root = new Node<>(null, null);
    private final HashMap<S, HashMap<String, Subscription<S, O>>> bySubscriber = new HashMap<>();
    private int size;
    private int nodeCount;

    /**
     * Adds a subscription, or replaces the options of the subscription {@code subscriber} already
     * has with the same full filter string ({@code $share/{ShareName}/} included). None of the
     * arguments may be null.
     *
     * @return true if the subscription is new, false if it replaced one
     */
    public boolean subscribe(S subscriber, TopicFilter filter, O options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(options, "options");
        HashMap<String, Subscription<S, O>> own = bySubscriber.computeIfAbsent(subscriber, key -> new HashMap<>());
        Subscription<S, O> existing = own.get(filter.value());
        if (existing != null) {
            existing.options = options;
            return false;
        }
        Node<S, O> node = nodeFor(filter);
        Subscription<S, O> subscription;
        if (filter.isShared()) {
            SharedGroup<S, O> group = node.groupFor(filter);
            subscription = new Subscription<>(subscriber, filter, options, node, group);
            group.add(subscription);
        } else {
            subscription = new Subscription<>(subscriber, filter, options, node, null);
            node.addSubscription(subscription);
        }
        own.put(filter.value(), subscription);
        size++;
        return true;
    }

    /**
     * Removes the subscription of {@code subscriber} with the same full filter string, and the trie
     * nodes it leaves empty.
     *
     * @return true if there was one
     */
    public boolean unsubscribe(S subscriber, TopicFilter filter) {
        HashMap<String, Subscription<S, O>> own = bySubscriber.get(subscriber);
        if (own == null) {
            return false;
        }
        Subscription<S, O> subscription = own.remove(filter.value());
        if (subscription == null) {
            return false;
        }
        if (own.isEmpty()) {
            bySubscriber.remove(subscriber);
        }
        detach(subscription);
        return true;
    }

    /** Removes every subscription of {@code subscriber}, in time proportional to their number. */
    public void unsubscribeAll(S subscriber) {
        HashMap<String, Subscription<S, O>> own = bySubscriber.remove(subscriber);
        if (own == null) {
            return;
        }
        for (Subscription<S, O> subscription : own.values()) {
            detach(subscription);
        }
    }

    public int subscriptionCount(S subscriber) {
        HashMap<String, Subscription<S, O>> own = bySubscriber.get(subscriber);
        return own == null ? 0 : own.size();
    }

    /** The number of subscriptions, shared ones included, over all subscribers. */
    public int size() {
        return size;
    }

    /**
     * Calls {@code visitor} for every subscription whose filter matches {@code topic}: once per
     * matching non-shared (subscriber, filter) pair and once per matching shared group. A filter
     * starting with a wildcard does not match a topic starting with {@code $} [MQTT-4.7.2-1].
     * Allocates nothing itself: the walk is a recursion over the topic's precomputed levels, and
     * the lists at each node are read by index.
     */
    public void match(TopicName topic, MatchVisitor<S, O> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        // Wildcards may match from this depth on: the root's + and # slots are skipped for $ topics.
        int wildcardDepthMin = topic.isDollar() ? 1 : 0;
        matchFrom(root, topic, 0, wildcardDepthMin, visitor);
    }

    private void matchFrom(
            Node<S, O> node, TopicName topic, int depth, int wildcardDepthMin, MatchVisitor<S, O> visitor) {
        boolean wildcardsApply = depth >= wildcardDepthMin;
        if (wildcardsApply && node.hashChild != null) {
            // "#" matches what is left of the topic, including nothing: "a/#" matches "a".
            visitNode(node.hashChild, visitor);
        }
        if (depth == topic.levelCount()) {
            visitNode(node, visitor);
            return;
        }
        if (node.children != null) {
            Node<S, O> child = node.children.get(topic.level(depth));
            if (child != null) {
                matchFrom(child, topic, depth + 1, wildcardDepthMin, visitor);
            }
        }
        if (wildcardsApply && node.plusChild != null) {
            matchFrom(node.plusChild, topic, depth + 1, wildcardDepthMin, visitor);
        }
    }

    private static <S, O> void visitNode(Node<S, O> node, MatchVisitor<S, O> visitor) {
        ArrayList<Subscription<S, O>> subscriptions = node.subscriptions;
        if (subscriptions != null) {
            for (int i = 0; i < subscriptions.size(); i++) {
                Subscription<S, O> subscription = subscriptions.get(i);
                visitor.onSubscription(subscription.subscriber, subscription.filter, subscription.options);
            }
        }
        ArrayList<SharedGroup<S, O>> groups = node.groups;
        if (groups != null) {
            for (int i = 0; i < groups.size(); i++) {
                visitor.onSharedGroup(groups.get(i));
            }
        }
    }

    private Node<S, O> nodeFor(TopicFilter filter) {
        Node<S, O> node = root;
        for (int i = 0; i < filter.levelCount(); i++) {
            String level = filter.level(i);
            Node<S, O> child = node.child(level);
            if (child == null) {
                child = node.addChild(level);
                nodeCount++;
            }
            node = child;
        }
        return node;
    }

    private void detach(Subscription<S, O> subscription) {
        Node<S, O> node = subscription.node;
        SharedGroup<S, O> group = subscription.group;
        if (group != null) {
            group.remove(subscription);
            if (group.isEmpty()) {
                node.removeGroup(group);
            }
        } else {
            node.removeSubscription(subscription);
        }
        size--;
        prune(node);
    }

    /** Removes {@code node} and its ancestors while they hold nothing, so memory follows live state. */
    private void prune(Node<S, O> node) {
        while (node != root && node.isEmpty()) {
            Node<S, O> parent = node.parent;
            parent.removeChild(node);
            nodeCount--;
            node = parent;
        }
    }

    /** The number of trie nodes besides the root; for tests of pruning. */
    int nodeCount() {
        return nodeCount;
    }

    /**
     * One filter level. The collections are created on first use because most nodes are inner
     * nodes of a long filter and never hold a subscription or more than one child.
     */
    static final class Node<S, O> {

        final Node<S, O> parent;
        final String level;
        HashMap<String, Node<S, O>> children;
        Node<S, O> plusChild;
        Node<S, O> hashChild;
        ArrayList<Subscription<S, O>> subscriptions;
        ArrayList<SharedGroup<S, O>> groups;

        Node(Node<S, O> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node<S, O> child(String childLevel) {
            if (childLevel.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD)) {
                return plusChild;
            }
            if (childLevel.equals(TopicSyntax.MULTI_LEVEL_WILDCARD)) {
                return hashChild;
            }
            return children == null ? null : children.get(childLevel);
        }

        Node<S, O> addChild(String childLevel) {
            Node<S, O> child = new Node<>(this, childLevel);
            if (childLevel.equals(TopicSyntax.SINGLE_LEVEL_WILDCARD)) {
                plusChild = child;
            } else if (childLevel.equals(TopicSyntax.MULTI_LEVEL_WILDCARD)) {
                hashChild = child;
            } else {
                if (children == null) {
                    children = new HashMap<>();
                }
                children.put(childLevel, child);
            }
            return child;
        }

        void removeChild(Node<S, O> child) {
            if (child == plusChild) {
                plusChild = null;
            } else if (child == hashChild) {
                hashChild = null;
            } else {
                children.remove(child.level);
                if (children.isEmpty()) {
                    children = null;
                }
            }
        }

        /**
         * The group for the filter's ShareName, created if missing. A linear search, because a
         * filter rarely has more than a few share names and the search runs on SUBSCRIBE only.
         */
        SharedGroup<S, O> groupFor(TopicFilter filter) {
            if (groups == null) {
                groups = new ArrayList<>(2);
            }
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).shareName().equals(filter.shareName())) {
                    return groups.get(i);
                }
            }
            SharedGroup<S, O> group = new SharedGroup<>(filter);
            groups.add(group);
            return group;
        }

        void removeGroup(SharedGroup<S, O> group) {
            groups.remove(group);
            if (groups.isEmpty()) {
                groups = null;
            }
        }

        void addSubscription(Subscription<S, O> subscription) {
            if (subscriptions == null) {
                subscriptions = new ArrayList<>(2);
            }
            subscription.slot = subscriptions.size();
            subscriptions.add(subscription);
        }

        /** Moves the last subscription into the freed slot, so removal is O(1). */
        void removeSubscription(Subscription<S, O> subscription) {
            Subscription<S, O> moved = subscriptions.remove(subscriptions.size() - 1);
            if (moved != subscription) {
                subscriptions.set(subscription.slot, moved);
                moved.slot = subscription.slot;
            }
            if (subscriptions.isEmpty()) {
                subscriptions = null;
            }
        }

        boolean isEmpty() {
            return children == null
                    && plusChild == null
                    && hashChild == null
                    && subscriptions == null
                    && groups == null;
        }
    }
}
