package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;

/**
 * One message on its way to one session: the granted QoS, the RETAIN flag as it will be sent,
 * the matching subscription identifiers, and (once sent) its packet id and state. A
 * {@code journaled} delivery is an entry of the session's queue in the index, named by its
 * message's position and its {@code copy}: which of the session's deliveries of that message it
 * is (0 for the first; a session also gets one per shared group that picks it, MQTT 5.0 section
 * 4.8.2); its state changes are journaled through the queue's {@link DeliveryLog}.
 * Owned by the session's {@link OutboundQueue}; core thread only.
 */
public final class Delivery {
    private static final int[] NO_IDS = new int[0];

    private final Message message;
    private final QoS qos;
    private final boolean retain;
    private final int[] subscriptionIds;
    private final boolean journaled;
    private final int copy;
    private int packetId;
    private DeliveryState state = DeliveryState.QUEUED;

    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds, boolean journaled, int copy) {
        assert !journaled || (message.isJournaled() && qos != QoS.AT_MOST_ONCE) : "only stored QoS 1/2 is journaled";
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds == null ? NO_IDS : subscriptionIds;
        this.journaled = journaled;
        this.copy = copy;
    }

    /** The session's first (usually only) delivery of the message. */
    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds, boolean journaled) {
        this(message, qos, retain, subscriptionIds, journaled, 0);
    }

    /** A delivery that lives in memory only (QoS 0, non-persistent sessions, retained on subscribe). */
    public Delivery(Message message, QoS qos, boolean retain, int[] subscriptionIds) {
        this(message, qos, retain, subscriptionIds, false);
    }

    /** A delivery recovered in flight: already sent with this packet id, in this state. */
    public static Delivery recovered(
            Message message,
            QoS qos,
            boolean retain,
            int[] subscriptionIds,
            int copy,
            int packetId,
            DeliveryState state) {
        Delivery d = new Delivery(message, qos, retain, subscriptionIds, true, copy);
        d.assign(packetId, state);
        return d;
    }

    public boolean journaled() {
        return journaled;
    }

    public long position() {
        return message.position();
    }

    /** Which of the session's deliveries of this message this is; with {@link #position} its queue key. */
    public int copy() {
        return copy;
    }

    /** Whether this delivery's queue key comes after {@code (position, copy)}. */
    boolean isAfter(long otherPosition, int otherCopy) {
        return position() > otherPosition || (position() == otherPosition && copy > otherCopy);
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
