package dev.cairn.broker.config;

/**
 * One listener: a name (for logs and stats), its transport type, the address and port it binds
 * and, for a TLS listener, its TLS settings. The listener of the top-level {@code bind} and
 * {@code port} keys is {@link #DEFAULT_NAME}; the others come from {@code listener.NAME.KEY}
 * lines ({@link ListenerKey}).
 *
 * @param tls the TLS settings; null exactly when {@code type} does not speak TLS
 * @param auth the listener's effective {@code allow_anonymous}, {@code password_file} and
 *     {@code acl_file} (its own, or the top-level ones)
 * @param connectionsMax {@code listener.NAME.connections_max}: open connections allowed on this
 *     listener, 0 for no limit of its own (the broker-wide {@code connections_max} still applies)
 * @param connectionsPerSecondPerAddress {@code listener.NAME.connections_per_second_per_address}:
 *     new connections accepted from one source address per second, 0 for no limit
 * @param webSocket the WebSocket settings; null exactly when {@code type} is not a WebSocket type
 */
public record ListenerConfig(
        String name,
        ListenerType type,
        String bindAddress,
        int port,
        int handshakeTimeoutSeconds,
        TlsSettings tls,
        ListenerAuth auth,
        int connectionsMax,
        int connectionsPerSecondPerAddress,
        WebSocketSettings webSocket) {
    /** The name of the listener of the top-level {@code bind} and {@code port} keys. */
    public static final String DEFAULT_NAME = "default";

    public ListenerConfig {
        if (type.tls() != (tls != null)) {
            throw new IllegalArgumentException(
                    "listener " + name + ": TLS settings must be given exactly for TLS types");
        }
        if (type.webSocket() != (webSocket != null)) {
            throw new IllegalArgumentException(
                    "listener " + name + ": WebSocket settings must be given exactly for WebSocket types");
        }
    }

    /**
     * The plain TCP listener of {@code bind} and {@code port}, with the top-level authentication
     * settings and no limits of its own.
     */
    public static ListenerConfig plainDefault(String bindAddress, int port, ListenerAuth auth) {
        return plainDefault(bindAddress, port, auth, 0, 0);
    }

    /**
     * The plain TCP listener of {@code bind} and {@code port}, with the top-level authentication
     * settings and the limits of {@code default_listener_connections_max} and the top-level {@code
     * connections_per_second_per_address}.
     */
    public static ListenerConfig plainDefault(
            String bindAddress, int port, ListenerAuth auth, int connectionsMax, int connectionsPerSecondPerAddress) {
        return new ListenerConfig(
                DEFAULT_NAME,
                ListenerType.TCP,
                bindAddress,
                port,
                Integer.parseInt(ListenerKey.HANDSHAKE_TIMEOUT_SECONDS.defaultValue()),
                null,
                auth,
                connectionsMax,
                connectionsPerSecondPerAddress,
                null);
    }

    /**
     * Whether {@link #bindAddress} is a loopback address (127.0.0.0/8, ::1, or a name that
     * resolves to one). A name that does not resolve counts as not loopback.
     */
    public boolean bindsLoopback() {
        return ConfigLoader.isLoopback(bindAddress);
    }

    /** Whether every client must present a certificate that chains to the listener's cafile. */
    public boolean requiresCertificate() {
        return tls != null && tls.requireCertificate();
    }

    /**
     * Whether only clients on this machine ({@link #bindsLoopback}) or holding a verified client
     * certificate ({@link #requiresCertificate}) reach the listener: where {@code allow_anonymous}
     * is unset, clients without a user name are accepted on such a listener only (mosquitto 2's
     * local-only default, and a certificate is a credential).
     */
    public boolean closed() {
        return bindsLoopback() || requiresCertificate();
    }

    /** Whether a client without a user name may connect here ({@link ListenerAuth#anonymousAllowed}). */
    public boolean anonymousAllowed() {
        return auth.anonymousAllowed(closed());
    }

    /** A copy on another port (tests bind to port 0). */
    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(
                name,
                type,
                bindAddress,
                newPort,
                handshakeTimeoutSeconds,
                tls,
                auth,
                connectionsMax,
                connectionsPerSecondPerAddress,
                webSocket);
    }
}
