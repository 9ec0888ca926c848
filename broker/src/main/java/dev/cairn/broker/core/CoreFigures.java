package dev.cairn.broker.core;

import java.util.Map;

/**
 * The core's figures at one moment, copied on the core thread at most every
 * {@link CoreMeasures#FIGURES_INTERVAL_NANOS} of real time and published through a volatile field
 * ({@link CoreMeasures#figures}); immutable, so the admin listener reads it on its own thread without
 * asking the core anything.
 *
 * @param stats the counters ({@link BrokerStats})
 * @param byQos counts and payload bytes by QoS (index 0, 1, 2)
 * @param connections open connections by listener and protocol ({@code "3.1"}, {@code "3.1.1"},
 *     {@code "5.0"}, or {@code "none"} before a CONNECT was accepted)
 * @param sessionsOnline sessions with a connected client
 * @param sessionsOffline sessions kept for a client that is not connected
 * @param subscriptions subscriptions in the subscription tree (shared ones included)
 * @param retained retained messages
 * @param queuedMessages messages waiting to be sent, all sessions, in memory and on disk
 * @param queuedBytes their bytes (topic plus payload)
 * @param largestQueueMessages the messages waiting for the session that has the most
 * @param largestQueueBytes the bytes waiting for the session that has the most bytes
 * @param oldestQueuedAgeMillis how long ago, by the broker's clock, the oldest journaled message
 *     waiting for any session (not in flight) was received; -1 when none waits ({@link
 *     dev.cairn.broker.delivery.OldestQueued})
 * @param journalAppends records appended to the journal since the broker started
 * @param journalAppendedBytes bytes appended to the journal since the broker started
 * @param indexUnappliedRecords records appended but not yet applied to the index
 * @param bridgeSessions the session of each bridge by the bridge's name ({@code $bridge/NAME})
 * @param publishedAtNanos {@link System#nanoTime} when the core copied these figures
 */
public record CoreFigures(
        BrokerStats stats,
        QosCounts byQos,
        Map<ListenerProtocol, Long> connections,
        long sessionsOnline,
        long sessionsOffline,
        long subscriptions,
        long retained,
        long queuedMessages,
        long queuedBytes,
        long largestQueueMessages,
        long largestQueueBytes,
        long oldestQueuedAgeMillis,
        long journalAppends,
        long journalAppendedBytes,
        long indexUnappliedRecords,
        Map<String, CoreAdmin.SessionInfo> bridgeSessions,
        long publishedAtNanos) {

    public CoreFigures {
        connections = Map.copyOf(connections);
        bridgeSessions = Map.copyOf(bridgeSessions);
    }

    /** A listener's name and a protocol version, the labels of the connection counts. */
    public record ListenerProtocol(String listener, String protocol) {}

    /**
     * Messages and payload bytes by QoS: received (PUBLISHes and wills routed) and delivered
     * (copies queued for a subscriber). Each array has three elements, QoS 0 to 2.
     */
    public record QosCounts(long[] received, long[] receivedBytes, long[] delivered, long[] deliveredBytes) {}
}
