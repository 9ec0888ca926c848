package dev.cairn.broker.session;

/** Lifecycle of one network connection as the core sees it. */
public enum ConnectionPhase {
    /** Socket open, no CONNECT accepted yet. */
    AWAITING_CONNECT,
    /** CONNECT accepted, bound to a session. */
    CONNECTED,
    /** Closed by either side; further input is ignored. */
    CLOSED
}
