package dev.cairn.broker.routing;

import dev.cairn.protocol.TopicFilter;
import java.util.ArrayList;
import java.util.function.Predicate;

/**
 * The members of one shared subscription {@code $share/{ShareName}/{filter}}: each message that
 * matches goes to one of them [MQTT-4.8.2-1]. Each subscriber is a member at most once; a second
 * SUBSCRIBE with the same full filter replaces its options. The choice is round-robin from a
 * cursor, so that load spreads evenly across the members the caller says are eligible.
 *
 * <p>Confined to the core thread, like the {@link SubscriptionTree} that owns it: no locks.
 * Indexes are valid until the tree next changes.
 *
 * @param <S> the subscriber identity
 * @param <O> the subscription options
 */
public final class SharedGroup<S, O> {

    private final String shareName;
    private final TopicFilter filter;
    private final ArrayList<Subscription<S, O>> members = new ArrayList<>();
    private int cursor;

    SharedGroup(TopicFilter filter) {
        this.shareName = filter.shareName();
        this.filter = filter;
    }

    public String shareName() {
        return shareName;
    }

    /** The group's filter; every member subscribed with an equal one. */
    public TopicFilter filter() {
        return filter;
    }

    public int size() {
        return members.size();
    }

    public S subscriber(int i) {
        return members.get(i).subscriber;
    }

    public O options(int i) {
        return members.get(i).options;
    }

    /**
     * Returns the index of the next member, in round-robin order from the cursor, for which
     * {@code eligible} holds, and moves the cursor past it; returns -1, leaving the cursor where
     * it was, if no member is eligible. Tests each member at most once per call.
     */
    public int nextIndex(Predicate<S> eligible) {
        int size = members.size();
        int start = cursor < size ? cursor : 0;
        for (int step = 0; step < size; step++) {
            int index = (start + step) % size;
            if (eligible.test(members.get(index).subscriber)) {
                cursor = index + 1;
                return index;
            }
        }
        return -1;
    }

    void add(Subscription<S, O> member) {
        member.slot = members.size();
        members.add(member);
    }

    /**
     * Removes by moving the last member into the freed slot: O(1), at the price of a small jump in
     * the round-robin order, which the spec leaves to the server anyway.
     */
    void remove(Subscription<S, O> member) {
        int last = members.size() - 1;
        Subscription<S, O> moved = members.remove(last);
        if (moved != member) {
            members.set(member.slot, moved);
            moved.slot = member.slot;
        }
    }

    boolean isEmpty() {
        return members.isEmpty();
    }
}
