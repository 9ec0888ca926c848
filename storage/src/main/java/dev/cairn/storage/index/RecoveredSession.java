package dev.cairn.storage.index;

import java.util.List;
import java.util.Map;

/**
 * Everything the broker needs to resume one session, except its queue, which can hold millions of
 * entries and is read lazily with {@link IndexStore#queueScan}.
 *
 * @param inboundQos2 packet id to journal position of inbound QoS 2 messages awaiting PUBREL
 * @param willFireAtMillis when the scheduled will is due, {@code -1} if none is scheduled
 * @param queueDepth the entries of its queue, in-flight ones included, and their messages' bytes
 */
public record RecoveredSession(
        SessionState state,
        List<Subscription> subscriptions,
        Map<Integer, Long> inboundQos2,
        long willFireAtMillis,
        QueueDepth queueDepth) {}
