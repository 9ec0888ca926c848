package dev.cairn.storage.record;

/**
 * An outbound PUBLISH of the queue entry {@code (position, copy)} was sent with {@code packetId}.
 */
public record DeliverySent(String clientId, long position, int packetId, int copy) implements JournalRecord {

    public DeliverySent {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
        Checks.copy(copy);
    }

    /** Names the session's first delivery of the message at {@code position} (copy 0). */
    public DeliverySent(String clientId, long position, int packetId) {
        this(clientId, position, packetId, 0);
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_SENT;
    }
}
