package dev.cairn.broker.config;

import java.util.List;
import java.util.Locale;

/**
 * The settings of a WebSocket listener ({@code ws} or {@code wss}).
 *
 * @param path the HTTP path of the upgrade request, starting with {@code /}; a request for any
 *     other path is answered 404
 * @param origins the {@code Origin} values a browser's upgrade request may carry, lower case
 *     ({@code scheme://host[:port]}); empty: any. A request without {@code Origin} (a client that
 *     is not a browser) is not affected
 */
public record WebSocketSettings(String path, List<String> origins) {
    public WebSocketSettings {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
        origins = List.copyOf(origins);
    }

    /** Whether an upgrade request with this {@code Origin} header (null: none) may proceed. */
    public boolean allowsOrigin(String origin) {
        return origin == null
                || origins.isEmpty()
                || origins.contains(origin.trim().toLowerCase(Locale.ROOT));
    }
}
