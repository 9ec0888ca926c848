package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's outbound messages: those waiting to be sent ({@code queued}, bounded by
 * {@code queuedMax}) and those sent and not yet acknowledged ({@code inflight}, keyed by packet
 * id in send order, bounded by the window the caller passes: min of the client's Receive
 * Maximum and our own limit). Messages leave {@code queued} in order, so per-topic ordering
 * [MQTT-4.6.0-6] holds. Core thread only; no locks.
 */
public final class OutboundQueue {
    private final ArrayDeque<Delivery> queued = new ArrayDeque<>();
    private final LinkedHashMap<Integer, Delivery> inflight = new LinkedHashMap<>();
    private final int queuedMax;
    private int nextPacketId = 1;
    private long droppedCount;

    public OutboundQueue(int queuedMax) {
        this.queuedMax = queuedMax;
    }

    /** Adds a delivery at the tail; false (and nothing added) when the queue is full. */
    public boolean offer(Delivery delivery) {
        if (queued.size() >= queuedMax) {
            droppedCount++;
            return false;
        }
        queued.addLast(delivery);
        return true;
    }

    public boolean isFull() {
        return queued.size() >= queuedMax;
    }

    /**
     * Sends queued deliveries while the connection is writable and QoS 1/2 deliveries fit the
     * window; QoS 0 needs no window [MQTT-4.9.0-2]. Expired messages are dropped unsent.
     */
    public void pump(DeliverySink sink, int window, long nowNanos) {
        while (!queued.isEmpty() && sink.isWritable()) {
            Delivery next = queued.peekFirst();
            if (next.qos() != QoS.AT_MOST_ONCE && inflight.size() >= window) {
                return;
            }
            queued.pollFirst();
            if (next.message().isExpired(nowNanos)) {
                droppedCount++;
                continue;
            }
            if (next.qos() == QoS.AT_MOST_ONCE) {
                sink.sendPublish(next, false);
                continue;
            }
            int packetId = allocatePacketId();
            next.assign(packetId, next.qos() == QoS.AT_LEAST_ONCE
                    ? DeliveryState.AWAITING_PUBACK : DeliveryState.AWAITING_PUBREC);
            inflight.put(packetId, next);
            if (!sink.sendPublish(next, false)) {
                inflight.remove(packetId);
            }
        }
    }

    /**
     * Re-sends every unacknowledged delivery in its original order with its original packet id:
     * PUBLISH with DUP=1, or PUBREL where PUBREC already came back [MQTT-4.4.0-1].
     */
    public void resendInflight(DeliverySink sink) {
        List<Integer> tooLarge = new ArrayList<>();
        for (Map.Entry<Integer, Delivery> e : inflight.entrySet()) {
            Delivery d = e.getValue();
            if (d.state() == DeliveryState.AWAITING_PUBCOMP) {
                sink.sendPubRel(d.packetId());
            } else if (!sink.sendPublish(d, true)) {
                tooLarge.add(e.getKey());
            }
        }
        tooLarge.forEach(inflight::remove);
    }

    /** PUBACK received; returns the delivery it completes, or null for an unknown packet id. */
    public Delivery onPubAck(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.state() != DeliveryState.AWAITING_PUBACK) {
            return null;
        }
        return inflight.remove(packetId);
    }

    /**
     * PUBREC received. A success moves the delivery to AWAITING_PUBCOMP and returns it (the
     * caller sends PUBREL); an error reason ends the flow [MQTT-4.3.3-?]: the delivery is removed.
     * Returns null for an unknown packet id.
     */
    public Delivery onPubRec(int packetId, boolean errorReason) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.state() != DeliveryState.AWAITING_PUBREC) {
            return d != null && d.state() == DeliveryState.AWAITING_PUBCOMP ? d : null;
        }
        if (errorReason) {
            return inflight.remove(packetId);
        }
        d.transition(DeliveryState.AWAITING_PUBREC, DeliveryState.AWAITING_PUBCOMP);
        return d;
    }

    /** PUBCOMP received; returns the completed delivery or null for an unknown packet id. */
    public Delivery onPubComp(int packetId) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.state() != DeliveryState.AWAITING_PUBCOMP) {
            return null;
        }
        return inflight.remove(packetId);
    }

    /** Drops queued QoS 0 deliveries; a disconnected session keeps only QoS 1/2 messages. */
    public void dropQueuedQos0() {
        Iterator<Delivery> it = queued.iterator();
        while (it.hasNext()) {
            if (it.next().qos() == QoS.AT_MOST_ONCE) {
                it.remove();
                droppedCount++;
            }
        }
    }

    public void clear() {
        queued.clear();
        inflight.clear();
    }

    public int queuedCount() {
        return queued.size();
    }

    public int inflightCount() {
        return inflight.size();
    }

    public long droppedCount() {
        return droppedCount;
    }

    private int allocatePacketId() {
        // The window is at most 65,535, so a free id always exists when this is called.
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
    }
}
