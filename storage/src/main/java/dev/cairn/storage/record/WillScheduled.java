package dev.cairn.storage.record;

/** The session's will is due at {@code fireAtMillis} (will delay or session end). */
public record WillScheduled(String clientId, long fireAtMillis) implements JournalRecord {

    public WillScheduled {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.WILL_SCHEDULED;
    }
}
