package dev.cairn.storage.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message in a session's outbound queue. The message itself is the journal record at
 * {@code position}; {@code packetId} is 0 while {@link DeliveryState#QUEUED}.
 */
public record QueueEntry(
        long position, int qos, DeliveryState state, int packetId, boolean retainAsPublished, int[] subscriptionIds) {

    QueueEntry withState(DeliveryState nextState, int nextPacketId) {
        return new QueueEntry(position, qos, nextState, nextPacketId, retainAsPublished, subscriptionIds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueEntry that && position == that.position && qos == that.qos
                && state == that.state && packetId == that.packetId && retainAsPublished == that.retainAsPublished
                && Arrays.equals(subscriptionIds, that.subscriptionIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, qos, state, packetId, retainAsPublished, Arrays.hashCode(subscriptionIds));
    }

    @Override
    public String toString() {
        return "QueueEntry[" + position + ", qos=" + qos + ", " + state + ", packetId=" + packetId + ", rap="
                + retainAsPublished + ", subIds=" + Arrays.toString(subscriptionIds) + "]";
    }
}
