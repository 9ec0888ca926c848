package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;

/**
 * One message on its way to one session: the granted QoS, the RETAIN flag as it will be sent,
 * the matching subscription identifiers, and (once sent) its packet id and state. Owned by the
 * session's {@link OutboundQueue}; core thread only.
 */
public final class Delivery {
    private static final int[] NO_IDS = new int[0];

    private final Message message;
    private final QoS qos;
    private final boolean retain;
    private final int[] subscriptionIds;
    private int packetId;
    private DeliveryState state = DeliveryState.QUEUED;

    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds) {
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds == null ? NO_IDS : subscriptionIds;
    }

    public Message message() {
        return message;
    }

    public QoS qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public int[] subscriptionIds() {
        return subscriptionIds;
    }

    public int packetId() {
        return packetId;
    }

    public DeliveryState state() {
        return state;
    }

    void assign(int newPacketId, DeliveryState newState) {
        packetId = newPacketId;
        state = newState;
    }

    void transition(DeliveryState expected, DeliveryState next) {
        assert state == expected : "delivery " + packetId + " is " + state + ", expected " + expected;
        state = next;
    }
}
