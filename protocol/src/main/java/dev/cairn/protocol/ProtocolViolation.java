package dev.cairn.protocol;

/**
 * Input broke a rule of the MQTT wire format: what the property decoder and {@link StrictUtf8}
 * raise. {@link #kind} is the class of the rule, which the broker's codec turns into the reason
 * code it answers with; the message names the rule (with its statement id where there is one) and
 * never repeats the offending string. Unchecked and without a stack trace, like the broker's own
 * decode failures: it is expected input, not a bug, and a hostile peer can make many of them.
 */
public final class ProtocolViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The reason code a rule's violation calls for (MQTT 5.0 section 4.13 and the property sections). */
    public enum Kind {
        MALFORMED_PACKET,
        PROTOCOL_ERROR,
        TOPIC_ALIAS_INVALID
    }

    private final Kind kind;

    public ProtocolViolation(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static ProtocolViolation malformed(String message) {
        return new ProtocolViolation(Kind.MALFORMED_PACKET, message);
    }

    static ProtocolViolation protocolError(String message) {
        return new ProtocolViolation(Kind.PROTOCOL_ERROR, message);
    }

    public Kind kind() {
        return kind;
    }
}
