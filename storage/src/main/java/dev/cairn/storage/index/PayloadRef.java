package dev.cairn.storage.index;

/**
 * A live queue entry's claim on a journal position: session {@code clientId}'s entry keyed
 * {@code (queuePosition, queueCopy)} reads its message at {@code payloadPosition}.
 */
public record PayloadRef(long payloadPosition, String clientId, long queuePosition, int queueCopy) {

    /** The claim of a session's first delivery of the message (copy 0). */
    public PayloadRef(long payloadPosition, String clientId, long queuePosition) {
        this(payloadPosition, clientId, queuePosition, 0);
    }
}
