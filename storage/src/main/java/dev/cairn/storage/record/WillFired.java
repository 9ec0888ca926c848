package dev.cairn.storage.record;

/** The session's will was published; the session has no will any more. */
public record WillFired(String clientId) implements JournalRecord {

    public WillFired {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.WILL_FIRED;
    }
}
