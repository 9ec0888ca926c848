package dev.cairn.broker.wire;

/**
 * One row of a wire table: the spec statement it checks (a normative id such as
 * {@code MQTT-3.3.1-4}, or a section such as {@code §3.12} where the rule has no id), what is
 * wrong with the bytes, when they are sent, the bytes, and what the broker must answer.
 */
record WireCase(String specId, String description, Start start, String sendHex, Outcome outcome) {
    /** Whether the row's bytes open the connection or follow a valid CONNECT and its CONNACK. */
    enum Start {
        FIRST_PACKET,
        AFTER_CONNECT
    }

    static WireCase first(String specId, String description, String sendHex, Outcome outcome) {
        return new WireCase(specId, description, Start.FIRST_PACKET, Frames.normalize(sendHex), outcome);
    }

    static WireCase afterConnect(String specId, String description, String sendHex, Outcome outcome) {
        return new WireCase(specId, description, Start.AFTER_CONNECT, Frames.normalize(sendHex), outcome);
    }

    /** The parameterized test's display name: spec id and description. */
    @Override
    public String toString() {
        return "[" + specId + "] " + description;
    }
}
