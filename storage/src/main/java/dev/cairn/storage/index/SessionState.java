package dev.cairn.storage.index;

import dev.cairn.storage.record.Will;

/**
 * A session as the index knows it.
 *
 * @param changedAtMillis when it last opened or closed; for an offline session, when its expiry
 *     clock started
 * @param will the will from its last CONNECT, or {@code null} (also after the will fired)
 */
public record SessionState(
        String clientId,
        int protocolLevel,
        long sessionExpirySeconds,
        Presence presence,
        long changedAtMillis,
        Will will) {}
