package dev.cairn.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.DeliveryState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: the index's queue entry states and the broker's delivery states meet in one mapping that
 * covers both enums. Method: map every stored state with each QoS a queue entry can have and
 * check the results, and that every broker state is the image of some stored one.
 */
class ConversionsTest {
    @Test
    void everyStoredDeliveryStateMapsAndEveryBrokerStateIsReached() {
        Set<DeliveryState> reached = EnumSet.noneOf(DeliveryState.class);
        for (dev.cairn.storage.index.DeliveryState stored : dev.cairn.storage.index.DeliveryState.values()) {
            for (QoS qos : new QoS[] {QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE}) {
                reached.add(Conversions.deliveryState(stored, qos));
            }
        }
        assertEquals(EnumSet.allOf(DeliveryState.class), reached);
        assertEquals(
                DeliveryState.AWAITING_PUBACK,
                Conversions.deliveryState(dev.cairn.storage.index.DeliveryState.SENT, QoS.AT_LEAST_ONCE));
        assertEquals(
                DeliveryState.AWAITING_PUBREC,
                Conversions.deliveryState(dev.cairn.storage.index.DeliveryState.SENT, QoS.EXACTLY_ONCE));
        assertEquals(
                DeliveryState.AWAITING_PUBCOMP,
                Conversions.deliveryState(dev.cairn.storage.index.DeliveryState.RELEASED, QoS.EXACTLY_ONCE));
        assertEquals(
                DeliveryState.QUEUED,
                Conversions.deliveryState(dev.cairn.storage.index.DeliveryState.QUEUED, QoS.EXACTLY_ONCE));
    }
}
