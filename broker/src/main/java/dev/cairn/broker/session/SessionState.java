package dev.cairn.broker.session;

/** Lifecycle of a session: bound to a connection, waiting for one, or gone for good. */
public enum SessionState {
    CONNECTED,
    DISCONNECTED,
    ENDED
}
