package dev.cairn.broker.config;

/**
 * What a listener speaks on its socket. The WebSocket types are named so that a config file
 * written for them gets a clear refusal ("not yet supported") rather than "unknown type"; they
 * are built on the same listener model (a pipeline in front of the MQTT codec) later.
 */
public enum ListenerType {
    TCP("tcp", false, true),
    TLS("tls", true, true),
    WS("ws", false, false),
    WSS("wss", true, false);

    private final String configName;
    private final boolean tls;
    private final boolean supported;

    ListenerType(String configName, boolean tls, boolean supported) {
        this.configName = configName;
        this.tls = tls;
        this.supported = supported;
    }

    public String configName() {
        return configName;
    }

    /** Whether the listener runs TLS under MQTT (and so has {@link TlsSettings}). */
    public boolean tls() {
        return tls;
    }

    /** Whether this version of the broker can run such a listener. */
    public boolean supported() {
        return supported;
    }
}
