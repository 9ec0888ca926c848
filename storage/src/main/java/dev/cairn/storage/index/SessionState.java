package dev.cairn.storage.index;

import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Will;

/**
 * A session as the index knows it.
 *
 * @param changedAtMillis when it last opened or closed; for an offline session, when its expiry
 *     clock started
 * @param will the will from its last CONNECT, or {@code null} (also after the will fired)
 * @param owner the username and listener of its last CONNECT, or {@code null} where not known (opened
 *     by a journal record of format version 1 to 3)
 */
public record SessionState(
        String clientId,
        int protocolLevel,
        long sessionExpirySeconds,
        Presence presence,
        long changedAtMillis,
        Will will,
        SessionOwner owner) {

    /** A session whose owner is not known. */
    public SessionState(
            String clientId,
            int protocolLevel,
            long sessionExpirySeconds,
            Presence presence,
            long changedAtMillis,
            Will will) {
        this(clientId, protocolLevel, sessionExpirySeconds, presence, changedAtMillis, will, null);
    }
}
