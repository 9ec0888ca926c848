package dev.cairn.broker.session;

/**
 * What the core knows of a connection's transport, and all it needs: the listener it came in on
 * (for logs and stats) and, on a TLS listener that takes the client certificate as the username
 * ({@code use_identity_as_username}, {@code use_subject_as_username}), that username. The core
 * never sees sockets, TLS sessions or certificates.
 *
 * @param certificateUsername the username the verified client certificate gives, or null
 */
public record Origin(String listener, String certificateUsername) {
    /** A connection on the default plain listener, as the core's tests make them. */
    public static final Origin DEFAULT = new Origin("default", null);
}
