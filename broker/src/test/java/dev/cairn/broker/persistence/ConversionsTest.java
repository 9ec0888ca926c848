package dev.cairn.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.delivery.DeliveryState;
import dev.cairn.broker.session.SubscriptionOptions;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: the index's queue entry states and the broker's delivery states meet in one mapping that
 * covers both enums, and subscription options survive the journal. Method: map every stored
 * state with each QoS a queue entry can have and check the results, and that every broker state
 * is the image of some stored one; round-trip every valid options byte.
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

    /** Every valid options byte survives the journal: stored as the wire has it, read back the same. */
    @Test
    void everyValidSubscriptionOptionsByteRoundTripsThroughTheJournalForm() {
        int valid = 0;
        for (int b = 0; b <= 0x3F; b++) {
            if ((b & 0b11) == 3 || (b >> 4) == 3) {
                continue;
            }
            SubscriptionOptions options = Conversions.options(b, 7);
            assertEquals(b, Conversions.optionsByte(options), Integer.toHexString(b));
            assertEquals(7, options.subscriptionId());
            valid++;
        }
        assertEquals(3 * 2 * 2 * 3, valid, "QoS 0-2, No Local, Retain As Published, Retain Handling 0-2");
        assertEquals(
                new SubscriptionOptions(QoS.EXACTLY_ONCE, true, false, RetainHandling.DO_NOT_SEND, 0),
                Conversions.options(0x02 | 0x04 | 0x20, 0),
                "bit layout of MQTT 5.0 section 3.8.3.1");
    }
}
