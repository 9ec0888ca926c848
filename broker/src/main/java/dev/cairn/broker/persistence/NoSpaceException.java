package dev.cairn.broker.persistence;

/**
 * A message could not be journaled because the journal's file system is full: nothing was
 * appended, so nothing that depends on it may be acknowledged or delivered as stored.
 */
public final class NoSpaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoSpaceException(RuntimeException cause) {
        super(cause.getMessage(), cause);
    }
}
