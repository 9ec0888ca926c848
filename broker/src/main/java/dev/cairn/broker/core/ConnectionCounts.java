package dev.cairn.broker.core;

import dev.cairn.broker.session.Connection;
import java.util.HashMap;
import java.util.Map;

/**
 * Open connections by listener and protocol ({@link CoreFigures#connections}), counted as they
 * open (protocol {@code none}), have their CONNECT accepted (moved to its protocol version) and
 * close, so that the figures' copy reads a handful of counters instead of every connection.
 * Core thread only.
 */
final class ConnectionCounts {
    private final Map<CoreFigures.ListenerProtocol, long[]> counts = new HashMap<>();

    /** A connection was added to the broker's connections; it has sent no accepted CONNECT yet. */
    void opened(Connection c) {
        add(c, "none", 1);
    }

    /** The connection's CONNECT was accepted: it counts under its protocol version now. */
    void accepted(Connection c) {
        add(c, "none", -1);
        add(c, CoreMeasures.protocolName(c), 1);
    }

    /** The connection left the broker's connections; {@code wasConnected}: its CONNECT had been accepted. */
    void closed(Connection c, boolean wasConnected) {
        add(c, wasConnected ? CoreMeasures.protocolName(c) : "none", -1);
    }

    private void add(Connection c, String protocol, long n) {
        counts.computeIfAbsent(new CoreFigures.ListenerProtocol(c.origin().listener(), protocol), k -> new long[1])[
                0] += n;
    }

    /** The counts that are not 0. */
    Map<CoreFigures.ListenerProtocol, Long> snapshot() {
        Map<CoreFigures.ListenerProtocol, Long> out = new HashMap<>();
        for (Map.Entry<CoreFigures.ListenerProtocol, long[]> e : counts.entrySet()) {
            if (e.getValue()[0] != 0) {
                out.put(e.getKey(), e.getValue()[0]);
            }
        }
        return out;
    }
}
