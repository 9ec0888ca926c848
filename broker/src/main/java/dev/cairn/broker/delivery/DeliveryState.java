package dev.cairn.broker.delivery;

/**
 * Where one outbound delivery stands (the per-message state machine of MQTT 4.3): queued and
 * not yet sent, or sent and awaiting the next acknowledgement of its QoS flow. The codes are
 * stable because the state is journaled.
 */
public enum DeliveryState {
    QUEUED(0), AWAITING_PUBACK(1), AWAITING_PUBREC(2), AWAITING_PUBCOMP(3);

    private final int code;

    DeliveryState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
