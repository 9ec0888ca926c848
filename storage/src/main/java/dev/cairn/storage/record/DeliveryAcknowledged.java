package dev.cairn.storage.record;

/** The queue entry at {@code position} is gone: PUBACK or PUBCOMP received, or the message was discarded. */
public record DeliveryAcknowledged(String clientId, long position) implements JournalRecord {

    public DeliveryAcknowledged {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.DELIVERY_ACKNOWLEDGED;
    }
}
