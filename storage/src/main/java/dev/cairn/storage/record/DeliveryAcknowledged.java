package dev.cairn.storage.record;

/**
 * The queue entry {@code (position, copy)} is gone: PUBACK or PUBCOMP received, or the message was
 * discarded.
 */
public record DeliveryAcknowledged(String clientId, long position, int copy) implements JournalRecord {

    public DeliveryAcknowledged {
        Checks.text(clientId, "clientId");
        Checks.copy(copy);
    }

    /** Names the session's first delivery of the message at {@code position} (copy 0). */
    public DeliveryAcknowledged(String clientId, long position) {
        this(clientId, position, 0);
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_ACKNOWLEDGED;
    }
}
