package dev.cairn.storage;

/** {@link Store#open} refused to open the data directory; the message says why and what to do. */
public final class StoreOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreOpenException(String message) {
        super(message);
    }
}
