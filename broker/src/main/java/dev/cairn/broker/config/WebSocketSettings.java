package dev.cairn.broker.config;

/**
 * The settings of a WebSocket listener ({@code ws} or {@code wss}).
 *
 * @param path the HTTP path of the upgrade request, starting with {@code /}; a request for any
 *     other path is answered 404
 */
public record WebSocketSettings(String path) {
    public WebSocketSettings {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
    }
}
