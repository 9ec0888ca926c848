package dev.cairn.storage.record;

/** An outbound PUBLISH of the queue entry at {@code position} was sent with {@code packetId}. */
public record DeliverySent(String clientId, long position, int packetId) implements JournalRecord {

    public DeliverySent {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_SENT;
    }
}
