package dev.cairn.broker.delivery;

/** Where an {@link OutboundQueue} sends to: the session's current connection. Core thread only. */
public interface DeliverySink {
    /** Whether the connection can take more bytes now (transport backpressure). */
    boolean isWritable();

    /**
     * Sends a PUBLISH for the delivery. Returns false when the packet would exceed the client's
     * Maximum Packet Size: it was discarded unsent, as [MQTT-3.1.2-25] requires.
     */
    boolean sendPublish(Delivery delivery, boolean dup);

    void sendPubRel(int packetId);
}
