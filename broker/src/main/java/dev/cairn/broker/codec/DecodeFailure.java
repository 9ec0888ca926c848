package dev.cairn.broker.codec;

import dev.cairn.protocol.ProtocolViolation;

/**
 * Internal signal that a packet body is invalid, raised deep inside the body readers and turned
 * into a {@link DecodeError} value by {@link PacketDecoder#decode}; it never escapes the
 * package. An exception keeps the many field readers free of "check and return" noise. It
 * carries no stack trace because it is expected input, not a bug, and a hostile peer can make
 * us create many.
 */
final class DecodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ReasonCode reason;
    private final ProtocolVersion answerVersion;

    DecodeFailure(ReasonCode reason, ProtocolVersion answerVersion, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.answerVersion = answerVersion;
    }

    static DecodeFailure malformed(String message) {
        return new DecodeFailure(ReasonCode.MALFORMED_PACKET, null, message);
    }

    static DecodeFailure protocolError(String message) {
        return new DecodeFailure(ReasonCode.PROTOCOL_ERROR, null, message);
    }

    static DecodeFailure of(ReasonCode reason, String message) {
        return new DecodeFailure(reason, null, message);
    }

    /** The failure for a rule cairn-protocol found broken: same message, the reason code its kind names. */
    static DecodeFailure of(ProtocolViolation violation) {
        ReasonCode reason = switch (violation.kind()) {
            case MALFORMED_PACKET -> ReasonCode.MALFORMED_PACKET;
            case PROTOCOL_ERROR -> ReasonCode.PROTOCOL_ERROR;
            case TOPIC_ALIAS_INVALID -> ReasonCode.TOPIC_ALIAS_INVALID;
        };
        return new DecodeFailure(reason, null, violation.getMessage());
    }

    ReasonCode reason() {
        return reason;
    }

    /** The version to answer in, or null when the decoder should pick it (or close). */
    ProtocolVersion answerVersion() {
        return answerVersion;
    }

    DecodeFailure answeringIn(ProtocolVersion version) {
        return new DecodeFailure(reason, version, getMessage());
    }
}
