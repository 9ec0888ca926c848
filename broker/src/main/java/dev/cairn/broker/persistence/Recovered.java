package dev.cairn.broker.persistence;

import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import java.util.List;

/**
 * What {@link Persistence#recovered()} returns: the state the durable records lead to,
 * translated into broker values for the core to load at start. Used once, on the core thread,
 * before the listener accepts connections.
 */
public interface Recovered {
    /**
     * Every session that has not ended. A session whose connection was up when
     * the records stopped says so ({@link RestoredSession#wasOnline}); the core decides what that
     * means now.
     */
    List<RestoredSession> sessions();

    /** Retained messages that have not expired by the wall clock, as messages held in memory. */
    List<Message> retained();

    /**
     * The session's in-flight deliveries (sent, with their packet ids), which head its queue
     * because deliveries are sent in queue order; scanning stops at the first waiting entry or at
     * {@code windowMax} deliveries. Returns them with the queue key after which the waiting
     * entries start.
     */
    InflightHead inflight(String clientId, int windowMax);

    /**
     * In-flight deliveries of a session and the queue key {@code (lastPosition, lastCopy)} of the
     * last of them ({@code -1, -1} if none); {@code firstWaitingPosition} is the message position of
     * the waiting entry the scan stopped at, -1 if it stopped for another reason.
     */
    record InflightHead(List<Delivery> deliveries, long lastPosition, int lastCopy, long firstWaitingPosition) {}
}
