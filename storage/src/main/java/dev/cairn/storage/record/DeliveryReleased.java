package dev.cairn.storage.record;

/** Outbound QoS 2: PUBREC received for the queue entry {@code (position, copy)}, PUBREL sent. */
public record DeliveryReleased(String clientId, long position, int packetId, int copy) implements JournalRecord {

    public DeliveryReleased {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
        Checks.copy(copy);
    }

    /** Names the session's first delivery of the message at {@code position} (copy 0). */
    public DeliveryReleased(String clientId, long position, int packetId) {
        this(clientId, position, packetId, 0);
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_RELEASED;
    }
}
