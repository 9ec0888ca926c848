package dev.cairn.broker.config;

import java.util.List;

/**
 * One bridge to a remote broker ({@code bridge.NAME.*}, {@link BridgeKey}), checked as a whole by
 * the loader. ADR 0020 describes the model: the bridge is a broker-internal persistent session,
 * {@link #sessionClientId}, whose subscriptions are the {@code out} topics and which publishes what
 * arrives on the {@code in} topics.
 *
 * @param addresses the remote's addresses, tried in this order, round and round
 * @param topics the topic lines by their number
 * @param protocol5 whether the bridge speaks MQTT 5 to the remote (else 3.1.1)
 * @param clientId the client id on the remote
 * @param username null when none
 * @param password null when none
 * @param tryPrivate protocol 3.1.1: mark the CONNECT as a bridge's (protocol level bit 0x80)
 * @param tls how the bridge connects with TLS; null for plain TCP
 */
public record BridgeConfig(
        String name,
        List<Address> addresses,
        List<BridgeTopic> topics,
        boolean protocol5,
        String clientId,
        boolean cleanStart,
        long sessionExpirySeconds,
        int keepAliveSeconds,
        String username,
        String password,
        long restartInitialMillis,
        long restartMaxMillis,
        int connectTimeoutSeconds,
        int maxInflight,
        boolean tryPrivate,
        BridgeTlsSettings tls) {

    /** What every bridge's local session client id starts with; no network client may use it. */
    public static final String SESSION_PREFIX = "$bridge/";

    /** One remote address. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public BridgeConfig {
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
    }

    /** The client id of the bridge's session in this broker: {@code $bridge/NAME}. */
    public String sessionClientId() {
        return SESSION_PREFIX + name;
    }

    /** Whether some topic line brings the remote's messages here ({@code in} or {@code both}). */
    public boolean hasInTopics() {
        return topics.stream().anyMatch(t -> t.direction().receivesIn());
    }

    @Override
    public String toString() {
        // Never the password: configs end up in logs.
        return "bridge " + name + " to " + addresses + " as " + clientId;
    }
}
