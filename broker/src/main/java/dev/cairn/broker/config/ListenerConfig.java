package dev.cairn.broker.config;

/**
 * One listener: a name (for logs and stats), its transport type, the address and port it binds
 * and, for a TLS listener, its TLS settings. The listener of the top-level {@code bind} and
 * {@code port} keys is {@link #DEFAULT_NAME}; the others come from {@code listener.NAME.KEY}
 * lines ({@link ListenerKey}). Per-listener settings of other kinds (authentication, limits)
 * join this record as components of their own.
 *
 * @param tls the TLS settings; null exactly when {@code type} does not speak TLS
 * @param webSocket the WebSocket settings; null exactly when {@code type} is not a WebSocket type
 */
public record ListenerConfig(
        String name,
        ListenerType type,
        String bindAddress,
        int port,
        int handshakeTimeoutSeconds,
        TlsSettings tls,
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

    /** The plain TCP listener of {@code bind} and {@code port}. */
    public static ListenerConfig plainDefault(String bindAddress, int port) {
        return new ListenerConfig(
                DEFAULT_NAME,
                ListenerType.TCP,
                bindAddress,
                port,
                Integer.parseInt(ListenerKey.HANDSHAKE_TIMEOUT_SECONDS.defaultValue()),
                null,
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

    /** A copy on another port (tests bind to port 0). */
    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(name, type, bindAddress, newPort, handshakeTimeoutSeconds, tls, webSocket);
    }
}
