package dev.cairn.broker.wire;

import dev.cairn.broker.codec.ReasonCode;

/**
 * What the broker must do with one row's bytes. {@code answerHex} is everything the broker
 * sends in reply, byte for byte; for {@link Kind#CLOSED} that is everything before it closes.
 */
record Outcome(Kind kind, String answerHex) {
    enum Kind {
        /** The broker sends exactly {@code answerHex} (possibly nothing), then closes. */
        CLOSED,
        /** The broker sends exactly {@code answerHex} and keeps the connection (a PINGREQ still works). */
        STAYS_OPEN,
        /** The row is a CONNECT the broker accepts: CONNACK 0x00, connection open. */
        ACCEPTED,
        /** The packet is incomplete: the broker sends nothing and waits; the client then hangs up. */
        BROKER_WAITS
    }

    /** MQTT 3.1.1's answer to every malformed packet and protocol violation [MQTT-4.8.0-1]. */
    static Outcome closed() {
        return new Outcome(Kind.CLOSED, "");
    }

    static Outcome closedAfter(String answerHex) {
        return new Outcome(Kind.CLOSED, Frames.normalize(answerHex));
    }

    /** A refusing 3.1.1 CONNACK (return code 1..5), then close. */
    static Outcome connAckV3(int returnCode) {
        return closedAfter(String.format("20 02 00 %02X", returnCode));
    }

    /** A refusing 5.0 CONNACK with the reason and no properties, then close. */
    static Outcome connAckV5(ReasonCode reason) {
        return closedAfter(String.format("20 03 00 %02X 00", reason.value()));
    }

    /** A 5.0 DISCONNECT with the reason and no properties (remaining length 1), then close. */
    static Outcome disconnect(ReasonCode reason) {
        return closedAfter(String.format("E0 01 %02X", reason.value()));
    }

    static Outcome answeredAndOpen(String answerHex) {
        return new Outcome(Kind.STAYS_OPEN, Frames.normalize(answerHex));
    }

    static Outcome accepted() {
        return new Outcome(Kind.ACCEPTED, "");
    }

    static Outcome brokerWaits() {
        return new Outcome(Kind.BROKER_WAITS, "");
    }

    @Override
    public String toString() {
        return kind + (answerHex.isEmpty() ? "" : " [" + answerHex + "]");
    }
}
