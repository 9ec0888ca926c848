package dev.cairn.storage.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One session that gets a {@link MessageStored} in its queue, with the delivery parameters the
 * routing decision chose for it.
 *
 * @param qos the granted delivery QoS (the minimum of message and subscription QoS)
 * @param subscriptionIds MQTT 5 subscription identifiers of the matching subscriptions, maybe empty
 */
public record Recipient(String clientId, int qos, boolean retainAsPublished, int[] subscriptionIds) {

    public Recipient {
        Checks.text(clientId, "clientId");
        Checks.qos(qos);
        Checks.subscriptionIds(subscriptionIds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recipient that && clientId.equals(that.clientId) && qos == that.qos
                && retainAsPublished == that.retainAsPublished
                && Arrays.equals(subscriptionIds, that.subscriptionIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, qos, retainAsPublished, Arrays.hashCode(subscriptionIds));
    }

    @Override
    public String toString() {
        return "Recipient[" + clientId + ", qos=" + qos + ", rap=" + retainAsPublished
                + ", subIds=" + Arrays.toString(subscriptionIds) + "]";
    }
}
