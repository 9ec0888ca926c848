package dev.cairn.broker.codec;

/**
 * MQTT 5.0 reason codes (section 2.4). Several names share a byte value because the meaning of a
 * value depends on the packet it travels in (0x00 is Success, Normal disconnection and Granted
 * QoS 0). For MQTT 3.1.1 the encoder maps CONNACK reasons to return codes 0..5 and SUBACK
 * failures to 0x80; see {@link #v3ConnectReturnCode()}.
 */
public enum ReasonCode {
    SUCCESS(0x00),
    NORMAL_DISCONNECTION(0x00),
    GRANTED_QOS_0(0x00),
    GRANTED_QOS_1(0x01),
    GRANTED_QOS_2(0x02),
    DISCONNECT_WITH_WILL_MESSAGE(0x04),
    NO_MATCHING_SUBSCRIBERS(0x10),
    NO_SUBSCRIPTION_EXISTED(0x11),
    CONTINUE_AUTHENTICATION(0x18),
    RE_AUTHENTICATE(0x19),
    UNSPECIFIED_ERROR(0x80),
    MALFORMED_PACKET(0x81),
    PROTOCOL_ERROR(0x82),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    UNSUPPORTED_PROTOCOL_VERSION(0x84),
    CLIENT_IDENTIFIER_NOT_VALID(0x85),
    BAD_USER_NAME_OR_PASSWORD(0x86),
    NOT_AUTHORIZED(0x87),
    SERVER_UNAVAILABLE(0x88),
    SERVER_BUSY(0x89),
    BANNED(0x8A),
    SERVER_SHUTTING_DOWN(0x8B),
    BAD_AUTHENTICATION_METHOD(0x8C),
    KEEP_ALIVE_TIMEOUT(0x8D),
    SESSION_TAKEN_OVER(0x8E),
    TOPIC_FILTER_INVALID(0x8F),
    TOPIC_NAME_INVALID(0x90),
    PACKET_IDENTIFIER_IN_USE(0x91),
    PACKET_IDENTIFIER_NOT_FOUND(0x92),
    RECEIVE_MAXIMUM_EXCEEDED(0x93),
    TOPIC_ALIAS_INVALID(0x94),
    PACKET_TOO_LARGE(0x95),
    MESSAGE_RATE_TOO_HIGH(0x96),
    QUOTA_EXCEEDED(0x97),
    ADMINISTRATIVE_ACTION(0x98),
    PAYLOAD_FORMAT_INVALID(0x99),
    RETAIN_NOT_SUPPORTED(0x9A),
    QOS_NOT_SUPPORTED(0x9B),
    USE_ANOTHER_SERVER(0x9C),
    SERVER_MOVED(0x9D),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E),
    CONNECTION_RATE_EXCEEDED(0x9F),
    MAXIMUM_CONNECT_TIME(0xA0),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2);

    private final int value;

    ReasonCode(int value) {
        this.value = value;
    }

    /** The byte on the wire. */
    public int value() {
        return value;
    }

    public boolean isError() {
        return value >= 0x80;
    }

    /** The granted-QoS reason for a SUBACK. */
    public static ReasonCode granted(QoS qos) {
        switch (qos) {
            case AT_MOST_ONCE:
                return GRANTED_QOS_0;
            case AT_LEAST_ONCE:
                return GRANTED_QOS_1;
            case EXACTLY_ONCE:
                return GRANTED_QOS_2;
            default:
                throw new IllegalArgumentException("unknown QoS " + qos);
        }
    }

    /**
     * The MQTT 3.1.1 CONNACK return code (section 3.2.2.3) for this reason: 0 accepted,
     * 1 unacceptable protocol version, 2 identifier rejected, 3 server unavailable, 4 bad user
     * name or password, 5 not authorized. Reasons without a 3.1.1 counterpart map to 3.
     */
    public int v3ConnectReturnCode() {
        switch (this) {
            case SUCCESS:
                return 0;
            case UNSUPPORTED_PROTOCOL_VERSION:
                return 1;
            case CLIENT_IDENTIFIER_NOT_VALID:
                return 2;
            case BAD_USER_NAME_OR_PASSWORD:
                return 4;
            case NOT_AUTHORIZED:
                return 5;
            default:
                return 3;
        }
    }

    /** The reason for a 3.1.1 CONNACK return code, or null if the code is not 0..5. */
    public static ReasonCode fromV3ConnectReturnCode(int code) {
        switch (code) {
            case 0:
                return SUCCESS;
            case 1:
                return UNSUPPORTED_PROTOCOL_VERSION;
            case 2:
                return CLIENT_IDENTIFIER_NOT_VALID;
            case 3:
                return SERVER_UNAVAILABLE;
            case 4:
                return BAD_USER_NAME_OR_PASSWORD;
            case 5:
                return NOT_AUTHORIZED;
            default:
                return null;
        }
    }

    /**
     * The reason for a byte value in a given packet type, or null if the value is not a reason
     * code that packet may carry (MQTT 5.0 table 2-6). Ambiguous 0x00 resolves per packet.
     */
    public static ReasonCode fromValue(PacketType packet, int value) {
        if (value == 0x00) {
            if (packet == PacketType.DISCONNECT) {
                return NORMAL_DISCONNECTION;
            }
            return packet == PacketType.SUBACK ? GRANTED_QOS_0 : SUCCESS;
        }
        for (ReasonCode code : values()) {
            if (code.value == value && code.allowedIn(packet)) {
                return code;
            }
        }
        return null;
    }

    /** Whether MQTT 5.0 table 2-6 lists this reason for the packet type. */
    public boolean allowedIn(PacketType packet) {
        switch (packet) {
            case CONNACK:
                return this == SUCCESS || (isError() && ReasonTables.CONNACK.contains(this));
            case PUBACK:
            case PUBREC:
                return this == SUCCESS || this == NO_MATCHING_SUBSCRIBERS || ReasonTables.PUBACK.contains(this);
            case PUBREL:
            case PUBCOMP:
                return this == SUCCESS || this == PACKET_IDENTIFIER_NOT_FOUND;
            case SUBACK:
                return this == GRANTED_QOS_0
                        || this == GRANTED_QOS_1
                        || this == GRANTED_QOS_2
                        || ReasonTables.SUBACK.contains(this);
            case UNSUBACK:
                return this == SUCCESS || this == NO_SUBSCRIPTION_EXISTED || ReasonTables.UNSUBACK.contains(this);
            case DISCONNECT:
                return this == NORMAL_DISCONNECTION
                        || this == DISCONNECT_WITH_WILL_MESSAGE
                        || ReasonTables.DISCONNECT.contains(this);
            case AUTH:
                return this == SUCCESS || this == CONTINUE_AUTHENTICATION || this == RE_AUTHENTICATE;
            default:
                return false;
        }
    }
}
