package dev.cairn.storage.record;

/** Outbound QoS 2: PUBREC received for the queue entry at {@code position}, PUBREL sent. */
public record DeliveryReleased(String clientId, long position, int packetId) implements JournalRecord {

    public DeliveryReleased {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_RELEASED;
    }
}
