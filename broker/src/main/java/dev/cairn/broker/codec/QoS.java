package dev.cairn.broker.codec;

/** Quality of service levels; the numeric value is the wire value and is stable on disk. */
public enum QoS {
    AT_MOST_ONCE(0),
    AT_LEAST_ONCE(1),
    EXACTLY_ONCE(2);

    private static final QoS[] BY_VALUE = {AT_MOST_ONCE, AT_LEAST_ONCE, EXACTLY_ONCE};

    private final int value;

    QoS(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** Returns the QoS for a wire value, or null for 3 and anything else out of range. */
    public static QoS fromValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    public static QoS min(QoS a, QoS b) {
        return a.value <= b.value ? a : b;
    }
}
