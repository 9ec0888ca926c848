package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.QoS;

/**
 * One delivery of a stored message into a persistent session's queue: the routing decision,
 * journaled. {@code copy} tells apart several deliveries of one message to one session (its
 * non-shared subscriptions and each shared group that picked it): 0, 1, 2, ... in queue order.
 * The broker's side of storage's {@code Recipient} (the core cannot name storage types); turned
 * into one only by {@link JournalPersistence#messageStored}.
 */
public record QueuedFor(String clientId, int copy, QoS qos, boolean retainAsPublished, int[] subscriptionIds) {}
