package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;

/**
 * The receiving end: records each delivery in its {@link DeliveryLedger} and tells the message's
 * publisher, which closed-loop pacing needs.
 *
 * <p>Thread safety: called on its connection's event loop; the ledger and publishers are
 * thread-safe where they are shared.
 */
final class Subscriber implements MqttConnection.Listener {
    private final DeliveryLedger ledger;
    private final Publisher[] publishers;

    Subscriber(DeliveryLedger ledger, Publisher[] publishers) {
        this.ledger = ledger;
        this.publishers = publishers;
    }

    DeliveryLedger ledger() {
        return ledger;
    }

    @Override
    public void onMessage(MqttConnection connection, Packet.Publish publish) {
        long nowNanos = System.nanoTime();
        MessageStamp stamp = MessageStamp.fromPayload(publish.payload());
        SequenceLedger.Arrival arrival = ledger.record(stamp, nowNanos);
        if (arrival != null && arrival != SequenceLedger.Arrival.DUPLICATE && publishers != null) {
            publishers[stamp.publisherId()].onDelivered();
        }
    }
}
