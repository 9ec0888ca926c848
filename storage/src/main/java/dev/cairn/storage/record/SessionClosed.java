package dev.cairn.storage.record;

/** The session went offline; its expiry clock starts at {@code atMillis}. */
public record SessionClosed(String clientId, long sessionExpirySeconds, long atMillis) implements JournalRecord {

    public SessionClosed {
        Checks.text(clientId, "clientId");
    }

    @Override
    public RecordType type() {
        return RecordType.SESSION_CLOSED;
    }
}
