package dev.cairn.storage;

import java.nio.file.Path;

/**
 * The data-directory lock ({@code <data>/cairn.lock}, the one {@link Store#open} takes), for
 * offline tools that rewrite the journal or the index: while a tool holds it no broker can start
 * on the directory, and a tool cannot take it while a broker runs. Read-only tools never take it.
 *
 * <p>Threads: acquire and close on any one thread.
 */
public final class OfflineLock implements AutoCloseable {
    /** The lock file's name inside the data directory. */
    public static final String FILE_NAME = DataDirectoryLock.FILE_NAME;

    private final DataDirectoryLock lock;

    private OfflineLock(DataDirectoryLock lock) {
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws DataDirectoryInUseException if another process, or a store in this process, holds it
     */
    public static OfflineLock acquire(Path dataDirectory) {
        try {
            return new OfflineLock(DataDirectoryLock.acquire(dataDirectory));
        } catch (StoreOpenException e) {
            throw new DataDirectoryInUseException(
                    "the lock " + dataDirectory.resolve(FILE_NAME) + " is held: " + e.getMessage()
                            + "; stop the broker first",
                    e);
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
