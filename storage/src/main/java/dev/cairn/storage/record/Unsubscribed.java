package dev.cairn.storage.record;

/** A subscription was removed. */
public record Unsubscribed(String clientId, String filter) implements JournalRecord {

    public Unsubscribed {
        Checks.text(clientId, "clientId");
        Checks.text(filter, "filter");
    }

    @Override
    public RecordType type() {
        return RecordType.UNSUBSCRIBED;
    }
}
