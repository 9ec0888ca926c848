package dev.cairn.storage.record;

/**
 * The type code of every journal record. Codes are written to disk and are stable forever; a code
 * is never reused. The enum's ordinal is never stored.
 */
public enum RecordType {
    MESSAGE_STORED(1),
    SESSION_OPENED(2),
    SESSION_CLOSED(3),
    SESSION_EXPIRED(4),
    SUBSCRIBED(5),
    UNSUBSCRIBED(6),
    DELIVERY_SENT(7),
    DELIVERY_RELEASED(8),
    DELIVERY_ACKNOWLEDGED(9),
    INBOUND_QOS2_RECEIVED(10),
    INBOUND_QOS2_RELEASED(11),
    WILL_SCHEDULED(12),
    WILL_FIRED(13),
    WILL_CANCELLED(14),
    MESSAGE_RELOCATED(15),
    TAIL_DISCARDED(100);

    private static final RecordType[] BY_CODE = new RecordType[256];

    static {
        for (RecordType type : values()) {
            assert BY_CODE[type.code] == null : "duplicate record type code " + type.code;
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The on-disk code, {@code 1..255}. */
    public int code() {
        return code;
    }

    /** Returns the type with this code, or {@code null} if no type has it. */
    public static RecordType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
