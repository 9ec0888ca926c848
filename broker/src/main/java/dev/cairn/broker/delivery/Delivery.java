package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;

/**
 * One message on its way to one session: the granted QoS, the RETAIN flag as it will be sent,
 * the matching subscription identifiers, and (once sent) its packet id and state. A
 * {@code journaled} delivery is an entry of the session's queue in the index (its message's
 * position names it); its state changes are journaled through the queue's {@link DeliveryLog}.
 * Owned by the session's {@link OutboundQueue}; core thread only.
 */
public final class Delivery {
    private static final int[] NO_IDS = new int[0];

    private final Message message;
    private final QoS qos;
    private final boolean retain;
    private final int[] subscriptionIds;
    private final boolean journaled;
    private int packetId;
    private DeliveryState state = DeliveryState.QUEUED;

    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds, boolean journaled) {
        assert !journaled || (message.isJournaled() && qos != QoS.AT_MOST_ONCE) : "only stored QoS 1/2 is journaled";
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds == null ? NO_IDS : subscriptionIds;
        this.journaled = journaled;
    }

    /** A delivery that lives in memory only (QoS 0, non-persistent sessions, retained on subscribe). */
    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds) {
        this(message, qos, retain, subscriptionIds, false);
    }

    /** A delivery recovered in flight: already sent with this packet id, in this state. */
    public static Delivery recovered(Message message, QoS qos, boolean retain, int[] subscriptionIds,
                                     int packetId, DeliveryState state) {
        Delivery d = new Delivery(message, qos, retain, subscriptionIds, true);
        d.assign(packetId, state);
        return d;
    }

    public boolean journaled() {
        return journaled;
    }

    public long position() {
        return message.position();
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
