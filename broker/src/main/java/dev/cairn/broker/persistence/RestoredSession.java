package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import java.util.Map;
import java.util.Set;

/**
 * One session as recovered from the index, in broker terms.
 *
 * @param wasOnline the session had a connection when the broker stopped
 * @param changedAtMillis when it last connected or disconnected (its expiry clock start if offline)
 * @param delayedWill a will whose delay was running, or null
 * @param willFireAtMillis when that will is due, -1 if none
 * @param subscriptions filter string to options
 * @param queueDepth entries in its queue in the index, in flight ones included
 * @param queueBytes the bytes of those entries' messages (topic plus payload)
 * @param owner the username and listener of its last CONNECT, or null where not known (journaled by
 *     a Cairn that kept no owners)
 */
public record RestoredSession(
        String clientId,
        int protocolLevel,
        long expiryIntervalSeconds,
        boolean wasOnline,
        long changedAtMillis,
        WillMessage delayedWill,
        long willFireAtMillis,
        Map<String, SubscriptionOptions> subscriptions,
        Set<Integer> inboundQos2,
        long queueDepth,
        long queueBytes,
        Identity owner) {}
