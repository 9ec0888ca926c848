package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.ProtocolVersion;

/**
 * How one load-generator connection identifies itself in CONNECT.
 *
 * @param sessionExpirySeconds MQTT 5 Session Expiry Interval; 0 ends the session at disconnect.
 *                             3.1.1 has no such field: there a resumed session never expires.
 * @param receiveMaximum       MQTT 5 Receive Maximum we announce (how many QoS>0 PUBLISH the
 *                             broker may have in flight towards us)
 * @param username             the CONNECT's User Name; null sends none
 * @param password             the CONNECT's Password (UTF-8); null sends none, and only goes with a user name
 */
record ClientSettings(
        String clientId,
        ProtocolVersion version,
        SessionStart sessionStart,
        long sessionExpirySeconds,
        int keepAliveSeconds,
        int receiveMaximum,
        String username,
        String password) {

    /** Whether CONNECT asks for a new session or to resume a stored one (Clean Start / Clean Session). */
    enum SessionStart {
        CLEAN,
        RESUME
    }

    static ClientSettings clean(String clientId, ProtocolVersion version) {
        return new ClientSettings(clientId, version, SessionStart.CLEAN, 0, 60, 65_535, null, null);
    }

    static ClientSettings persistent(String clientId, ProtocolVersion version, SessionStart start) {
        return new ClientSettings(clientId, version, start, 3_600, 60, 65_535, null, null);
    }

    /** These settings logging in as {@code username} with {@code password} (either may be null). */
    ClientSettings withLogin(String username, String password) {
        return new ClientSettings(
                clientId,
                version,
                sessionStart,
                sessionExpirySeconds,
                keepAliveSeconds,
                receiveMaximum,
                username,
                password);
    }
}
