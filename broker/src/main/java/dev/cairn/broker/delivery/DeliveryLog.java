package dev.cairn.broker.delivery;

/**
 * Where an {@link OutboundQueue} reports state changes of its journaled deliveries, so they can
 * be journaled: sent with a packet id, released (QoS 2 PUBREC in, PUBREL out), finished
 * (acknowledged, or discarded because it expired, was too large or the topic ACL withheld it).
 * Core thread only.
 */
public interface DeliveryLog {
    DeliveryLog NONE = new DeliveryLog() {
        @Override
        public void sent(Delivery delivery) {}

        @Override
        public void released(Delivery delivery) {}

        @Override
        public void finished(Delivery delivery) {}
    };

    void sent(Delivery delivery);

    void released(Delivery delivery);

    void finished(Delivery delivery);
}
