package dev.cairn.broker.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits a reload (SIGHUP) may change while the broker runs, the keys whose
 * {@link ConfigKey#reloads} or {@link ListenerKey#reloads} says so (besides {@code log_level} and
 * {@code auth_methods}, which their own parts apply). The core keeps one of these and takes a new
 * one through its inbox; the listeners take theirs from it. Everything else in {@link
 * BrokerConfig} stays as the broker started.
 *
 * @param connectionsMax open connections, all listeners together ({@code connections_max})
 * @param listeners each listener's own accept limits, by name
 * @param queuedMessagesMax {@code queued_messages_max}
 * @param queuedBytesMax {@code queued_bytes_max}
 * @param queueOverflow {@code queue_overflow}
 * @param keepAliveMaxSeconds {@code keep_alive_max_seconds}, for CONNECTs from then on
 * @param sessionExpiryMaxSeconds {@code session_expiry_max_seconds}, for expiry intervals set from then on
 * @param sysIntervalSeconds {@code sys_interval_seconds}
 * @param fsyncWarnMillis {@code fsync_warn_ms}
 * @param diskFreeMinBytes {@code disk_free_min_bytes}
 * @param diskFreeWarnBytes {@code disk_free_warn_bytes}
 */
public record RuntimeLimits(
        int connectionsMax,
        Map<String, ListenerLimits> listeners,
        long queuedMessagesMax,
        long queuedBytesMax,
        BrokerConfig.QueueOverflow queueOverflow,
        int keepAliveMaxSeconds,
        long sessionExpiryMaxSeconds,
        int sysIntervalSeconds,
        long fsyncWarnMillis,
        long diskFreeMinBytes,
        long diskFreeWarnBytes) {

    public RuntimeLimits {
        listeners = Map.copyOf(listeners);
    }

    /**
     * One listener's limits on new sockets.
     *
     * @param connectionsMax its own open connections, 0 for no limit of its own
     * @param connectionsPerSecondPerAddress new connections per second from one address, 0 for no limit
     */
    public record ListenerLimits(int connectionsMax, int connectionsPerSecondPerAddress) {}

    /** The limits {@code config} sets. */
    public static RuntimeLimits of(BrokerConfig config) {
        Map<String, ListenerLimits> listeners = new LinkedHashMap<>();
        for (ListenerConfig l : config.listeners()) {
            listeners.put(l.name(), new ListenerLimits(l.connectionsMax(), l.connectionsPerSecondPerAddress()));
        }
        return new RuntimeLimits(
                config.connectionsMax(),
                listeners,
                config.queuedMessagesMax(),
                config.queuedBytesMax(),
                config.queueOverflow(),
                config.keepAliveMaxSeconds(),
                config.sessionExpiryMaxSeconds(),
                config.monitoring().sysIntervalSeconds(),
                config.monitoring().fsyncWarnMillis(),
                config.diskFreeMinBytes(),
                config.monitoring().diskFreeWarnBytes());
    }
}
