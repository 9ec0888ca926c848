package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;

/**
 * One subscription as the tree stores it. It knows where it sits (its node, its group if shared,
 * and its slot in that node's or group's list) so that removing it is O(1) without a search.
 * Confined to the core thread, like the tree that owns it.
 */
final class Subscription<S, O> {

    final S subscriber;
    final TopicFilter filter;
    final SubscriptionTree.Node<S, O> node;
    final SharedGroup<S, O> group;
    O options;
    int slot;

    Subscription(
            S subscriber, TopicFilter filter, O options, SubscriptionTree.Node<S, O> node, SharedGroup<S, O> group) {
        this.subscriber = subscriber;
        this.filter = filter;
        this.options = options;
        this.node = node;
        this.group = group;
    }
}
