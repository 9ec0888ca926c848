package dev.cairn.storage.record;

/**
 * A queue entry named by its session, its queue position and its copy number (together its key in
 * the session's queue; see {@link Recipient#copy()}).
 */
public record QueueRef(String clientId, long queuePosition, int copy) {

    public QueueRef {
        Checks.text(clientId, "clientId");
        Checks.copy(copy);
    }

    /** The entry of the session's first delivery of the message. */
    public QueueRef(String clientId, long queuePosition) {
        this(clientId, queuePosition, 0);
    }
}
