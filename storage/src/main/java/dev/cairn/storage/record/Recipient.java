package dev.cairn.storage.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One delivery of a {@link MessageStored} into a session's queue, with the delivery parameters the
 * routing decision chose for it. A session may get several deliveries of one message (MQTT 5.0
 * section 4.8.2: one by its non-shared subscriptions and one per shared group that picked it); each
 * is its own queue entry, told apart by {@code copy}.
 *
 * @param qos the granted delivery QoS (the minimum of message and subscription QoS)
 * @param subscriptionIds MQTT 5 subscription identifiers of the matching subscriptions, maybe empty
 * @param copy 0 for the session's first delivery of this message, 1, 2, ... for further ones
 *     (always 0 in format versions 1 and 2)
 */
public record Recipient(String clientId, int qos, boolean retainAsPublished, int[] subscriptionIds, int copy) {

    public Recipient {
        Checks.text(clientId, "clientId");
        Checks.qos(qos);
        Checks.subscriptionIds(subscriptionIds);
        Checks.copy(copy);
    }

    /** The session's first (usually only) delivery of the message. */
    public Recipient(String clientId, int qos, boolean retainAsPublished, int[] subscriptionIds) {
        this(clientId, qos, retainAsPublished, subscriptionIds, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recipient that
                && clientId.equals(that.clientId)
                && qos == that.qos
                && retainAsPublished == that.retainAsPublished
                && Arrays.equals(subscriptionIds, that.subscriptionIds)
                && copy == that.copy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, qos, retainAsPublished, Arrays.hashCode(subscriptionIds), copy);
    }

    @Override
    public String toString() {
        return "Recipient[" + clientId + (copy == 0 ? "" : " copy " + copy) + ", qos=" + qos + ", rap="
                + retainAsPublished + ", subIds=" + Arrays.toString(subscriptionIds) + "]";
    }
}
