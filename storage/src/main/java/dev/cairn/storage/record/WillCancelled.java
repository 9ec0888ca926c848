package dev.cairn.storage.record;

/** The session's scheduled will will not be published (the client came back in time). */
public record WillCancelled(String clientId) implements JournalRecord {

    public WillCancelled {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.WILL_CANCELLED;
    }
}
