package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.QoS;

/** One persistent session a stored message is queued for: the routing decision, journaled. */
public record QueuedFor(String clientId, QoS qos, boolean retainAsPublished, int[] subscriptionIds) {
}
