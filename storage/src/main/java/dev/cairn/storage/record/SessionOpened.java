package dev.cairn.storage.record;

/**
 * A client connected and its session is online. {@code cleanStart} removes everything the session
 * had before (subscriptions, queue, inbound QoS 2 ids, scheduled will).
 *
 * @param protocolLevel 3 (MQTT 3.1), 4 (3.1.1) or 5
 * @param will the will to publish when the session ends abnormally, or {@code null}
 * @param owner the username and listener of the connection, or {@code null} where unknown: records
 *     of format versions 1 to 3 did not carry them
 */
public record SessionOpened(
        String clientId,
        boolean cleanStart,
        long sessionExpirySeconds,
        int protocolLevel,
        long atMillis,
        Will will,
        SessionOwner owner)
        implements JournalRecord {

    public SessionOpened {
        Checks.text(clientId, "clientId");
        Checks.u8(protocolLevel, "protocolLevel");
    }

    /** A session opened by an owner not known (as read from format versions 1 to 3). */
    public SessionOpened(
            String clientId,
            boolean cleanStart,
            long sessionExpirySeconds,
            int protocolLevel,
            long atMillis,
            Will will) {
        this(clientId, cleanStart, sessionExpirySeconds, protocolLevel, atMillis, will, null);
    }

    @Override
    public RecordType type() {
        return RecordType.SESSION_OPENED;
    }
}
