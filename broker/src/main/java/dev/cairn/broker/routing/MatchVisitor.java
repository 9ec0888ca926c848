package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;

/**
 * Receives the subscriptions that {@link SubscriptionTree#match} finds for one topic. Called on
 * the core thread, synchronously, during the match; the tree must not be changed from inside a
 * callback.
 *
 * @param <S> the subscriber identity
 * @param <O> the subscription options
 */
public interface MatchVisitor<S, O> {

    /**
     * One matching non-shared subscription. A subscriber with several overlapping filters gets
     * one call per filter; aggregating them (for example to the highest QoS) is the caller's job.
     */
    void onSubscription(S subscriber, TopicFilter filter, O options);

    /** One matching shared group, called once per (ShareName, filter) whatever its size. */
    void onSharedGroup(SharedGroup<S, O> group);
}
