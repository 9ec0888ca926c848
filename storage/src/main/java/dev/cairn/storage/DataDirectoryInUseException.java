package dev.cairn.storage;

/**
 * An offline tool could not take the data-directory lock: a broker (or another tool) has the
 * directory open. The message names the lock file and its holder.
 */
public final class DataDirectoryInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataDirectoryInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
