package dev.cairn.storage.record;

/** A queue entry named by its session and its queue position (its key in the session's queue). */
public record QueueRef(String clientId, long queuePosition) {

    public QueueRef {
        Checks.text(clientId, "clientId");
    }
}
