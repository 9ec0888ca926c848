package dev.cairn.storage.index;

/**
 * Where an outbound queue entry stands. Codes are stored in the index; never reuse one.
 * QUEUED -> SENT (PUBLISH out) -> [RELEASED (QoS 2: PUBREC in, PUBREL out)] -> removed on ack.
 */
public enum DeliveryState {
    QUEUED(1),
    SENT(2),
    RELEASED(3);

    private final int code;

    DeliveryState(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static DeliveryState ofCode(int code) {
        for (DeliveryState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IndexCorruptException("unknown delivery state code " + code);
    }
}
