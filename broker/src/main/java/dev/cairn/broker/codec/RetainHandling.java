package dev.cairn.broker.codec;

/** MQTT 5 subscription option "Retain Handling" (section 3.8.3.1); the value is the wire value. */
public enum RetainHandling {
    SEND_ON_SUBSCRIBE(0),
    SEND_IF_NEW_SUBSCRIPTION(1),
    DO_NOT_SEND(2);

    private final int value;

    RetainHandling(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** Returns the option for a wire value, or null for 3 (a protocol error). */
    public static RetainHandling fromValue(int value) {
        for (RetainHandling handling : values()) {
            if (handling.value == value) {
                return handling;
            }
        }
        return null;
    }
}
