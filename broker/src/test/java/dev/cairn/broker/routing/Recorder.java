package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MatchVisitor} for tests that writes each call down as a string, so that a match result
 * can be compared as a sorted list: duplicates show up, unlike with a set.
 */
final class Recorder<S, O> implements MatchVisitor<S, O> {

    final List<String> subscriptions = new ArrayList<>();
    final List<String> subscriptionFilters = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    final List<SharedGroup<S, O>> groupObjects = new ArrayList<>();

    @Override
    public void onSubscription(S subscriber, TopicFilter filter, O options) {
        subscriptions.add(subscriber + " " + filter.value() + " " + options);
        subscriptionFilters.add(filter.value());
    }

    @Override
    public void onSharedGroup(SharedGroup<S, O> group) {
        groups.add(group.filter().value());
        groupObjects.add(group);
    }

    List<String> sortedSubscriptions() {
        List<String> sorted = new ArrayList<>(subscriptions);
        sorted.sort(null);
        return sorted;
    }

    boolean isEmpty() {
        return subscriptions.isEmpty() && groups.isEmpty();
    }
}
