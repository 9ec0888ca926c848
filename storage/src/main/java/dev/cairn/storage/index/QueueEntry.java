package dev.cairn.storage.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message in a session's outbound queue. {@code (position, copy)} is the entry's key: the
 * position of the {@code MessageStored} that queued it and which of the session's deliveries of
 * that message it is (0 for the first; a session gets more than one when, say, a non-shared
 * subscription and a shared group's pick both deliver it), which orders the queue and names the
 * entry in delivery records. The message itself is read from {@code payloadPosition}: the same
 * position, or the {@code MessageRelocated} copy retention made when the original's cycle grew
 * old. {@code packetId} is 0 while {@link DeliveryState#QUEUED}. {@code messageBytes} is what the
 * entry adds to its session's {@link QueueDepth#bytes()}, kept so that removing the entry can
 * subtract it without reading the journal; {@code -1} when read from an index older than format 3.
 */
public record QueueEntry(
        long position,
        int qos,
        DeliveryState state,
        int packetId,
        boolean retainAsPublished,
        int[] subscriptionIds,
        long messageBytes,
        long payloadPosition,
        int copy) {

    /** The session's first delivery of a message (copy 0). */
    public QueueEntry(
            long position,
            int qos,
            DeliveryState state,
            int packetId,
            boolean retainAsPublished,
            int[] subscriptionIds,
            long messageBytes,
            long payloadPosition) {
        this(position, qos, state, packetId, retainAsPublished, subscriptionIds, messageBytes, payloadPosition, 0);
    }

    /** A first delivery whose message is still where it was stored. */
    public QueueEntry(
            long position,
            int qos,
            DeliveryState state,
            int packetId,
            boolean retainAsPublished,
            int[] subscriptionIds,
            long messageBytes) {
        this(position, qos, state, packetId, retainAsPublished, subscriptionIds, messageBytes, position, 0);
    }

    QueueEntry withState(DeliveryState nextState, int nextPacketId) {
        return new QueueEntry(
                position,
                qos,
                nextState,
                nextPacketId,
                retainAsPublished,
                subscriptionIds,
                messageBytes,
                payloadPosition,
                copy);
    }

    QueueEntry withPayloadPosition(long nextPayloadPosition) {
        return new QueueEntry(
                position,
                qos,
                state,
                packetId,
                retainAsPublished,
                subscriptionIds,
                messageBytes,
                nextPayloadPosition,
                copy);
    }

    QueueEntry withMessageBytes(long bytes) {
        return new QueueEntry(
                position, qos, state, packetId, retainAsPublished, subscriptionIds, bytes, payloadPosition, copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueEntry that
                && position == that.position
                && qos == that.qos
                && state == that.state
                && packetId == that.packetId
                && retainAsPublished == that.retainAsPublished
                && Arrays.equals(subscriptionIds, that.subscriptionIds)
                && messageBytes == that.messageBytes
                && payloadPosition == that.payloadPosition
                && copy == that.copy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                position,
                qos,
                state,
                packetId,
                retainAsPublished,
                Arrays.hashCode(subscriptionIds),
                messageBytes,
                payloadPosition,
                copy);
    }

    @Override
    public String toString() {
        return "QueueEntry[" + position + (copy == 0 ? "" : " copy " + copy) + ", qos=" + qos + ", " + state
                + ", packetId=" + packetId + ", rap=" + retainAsPublished + ", subIds="
                + Arrays.toString(subscriptionIds) + ", " + messageBytes + "B"
                + (payloadPosition == position ? "" : ", payloadAt=" + payloadPosition) + "]";
    }
}
