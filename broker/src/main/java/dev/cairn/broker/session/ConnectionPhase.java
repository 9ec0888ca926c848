package dev.cairn.broker.session;

/** Lifecycle of one network connection as the core sees it. */
public enum ConnectionPhase {
    /** Socket open, no CONNECT accepted yet. */
    AWAITING_CONNECT,
    /**
     * CONNECT received, its credentials being verified off the core thread; packets the client
     * sends meanwhile are held, to be processed once it is accepted [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6]).
     */
    AUTHENTICATING,
    /**
     * CONNECT refused for its credentials; the CONNACK waits out the failure delay. Input is
     * ignored: nothing after a refused CONNECT is processed [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6]).
     */
    REFUSING,
    /** CONNECT accepted, bound to a session. */
    CONNECTED,
    /** Closed by either side; further input is ignored. */
    CLOSED
}
