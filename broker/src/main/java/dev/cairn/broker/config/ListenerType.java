package dev.cairn.broker.config;

/**
 * What a listener speaks on its socket: MQTT straight on TCP, under TLS, or in WebSocket binary
 * frames (MQTT 5.0 section 6) on plain HTTP or HTTPS. Every type is a different front of one
 * pipeline in front of the same MQTT codec.
 */
public enum ListenerType {
    TCP("tcp", false, false),
    TLS("tls", true, false),
    WS("ws", false, true),
    WSS("wss", true, true);

    private final String configName;
    private final boolean tls;
    private final boolean webSocket;

    ListenerType(String configName, boolean tls, boolean webSocket) {
        this.configName = configName;
        this.tls = tls;
        this.webSocket = webSocket;
    }

    public String configName() {
        return configName;
    }

    /** Whether the listener runs TLS under MQTT (and so has {@link TlsSettings}). */
    public boolean tls() {
        return tls;
    }

    /** Whether MQTT travels in WebSocket frames (and so the listener has {@link WebSocketSettings}). */
    public boolean webSocket() {
        return webSocket;
    }
}
