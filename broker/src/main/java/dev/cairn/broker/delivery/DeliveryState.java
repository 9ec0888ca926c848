package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;

/**
 * Where one outbound delivery stands (the per-message state machine of MQTT 4.3): queued and
 * not yet sent, or sent and awaiting the next acknowledgement of its QoS flow. Held in memory
 * only: the index stores a queue entry's state in storage's own terms (waiting, sent, released)
 * next to its QoS, and persistence maps one to the other in one place.
 */
public enum DeliveryState {
    QUEUED,
    AWAITING_PUBACK,
    AWAITING_PUBREC,
    AWAITING_PUBCOMP;

    /** Where a QoS 1 or 2 delivery stands once its PUBLISH is sent: awaiting PUBACK or PUBREC. */
    public static DeliveryState sent(QoS qos) {
        return qos == QoS.AT_LEAST_ONCE ? AWAITING_PUBACK : AWAITING_PUBREC;
    }
}
