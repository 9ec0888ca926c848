package dev.cairn.storage.record;

/** The session and everything of it are removed. */
public record SessionExpired(String clientId, long atMillis) implements JournalRecord {

    public SessionExpired {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.SESSION_EXPIRED;
    }
}
