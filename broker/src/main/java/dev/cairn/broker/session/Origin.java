package dev.cairn.broker.session;

/**
 * What the core knows of a connection's transport, and all it needs: the listener it came in on
 * (for logs and stats) and, on a TLS listener that takes the client certificate as the username
 * ({@code use_identity_as_username}, {@code use_subject_as_username}), that username. The core
 * never sees sockets, TLS sessions or certificates.
 *
 * <p>A connection made inside the broker (a bridge's local side, ADR 0020) has the origin {@link
 * #INTERNAL}: its listener name cannot be a configured listener's (those are letters, digits,
 * {@code _} and {@code -}), its CONNECT is accepted without credentials, its session is judged by
 * no topic ACL, and only it may use a client id that starts with {@code $bridge/}.
 *
 * @param certificateUsername the username the verified client certificate gives, or null
 */
public record Origin(String listener, String certificateUsername) {
    /** A connection on the default plain listener, as the core's tests make them. */
    public static final Origin DEFAULT = new Origin("default", null);

    /** The listener name of connections made inside the broker. */
    public static final String INTERNAL_LISTENER = "$internal";

    /** The origin of a connection made inside the broker, by a bridge. */
    public static final Origin INTERNAL = new Origin(INTERNAL_LISTENER, null);

    /** Whether the connection was made inside the broker rather than accepted on a listener. */
    public boolean internal() {
        return INTERNAL_LISTENER.equals(listener);
    }
}
