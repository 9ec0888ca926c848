package dev.cairn.storage.index;

import java.util.List;

/**
 * The index's view after recovery: every session with its subscriptions, inbound QoS 2 ids,
 * scheduled will and queue depth, and every retained message. Immutable snapshot.
 *
 * @param appliedPosition the last journal position reflected here
 */
public record RecoveredState(long appliedPosition, List<RecoveredSession> sessions, List<RetainedMessage> retained) {
    public RecoveredState {
        sessions = List.copyOf(sessions);
        retained = List.copyOf(retained);
    }
}
