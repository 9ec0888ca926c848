package dev.cairn.storage.index;

/**
 * A live queue entry's claim on a journal position: session {@code clientId}'s entry keyed
 * {@code queuePosition} reads its message at {@code payloadPosition}.
 */
public record PayloadRef(long payloadPosition, String clientId, long queuePosition) {
}
