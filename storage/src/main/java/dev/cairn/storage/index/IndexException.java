package dev.cairn.storage.index;

import java.nio.file.Path;

/**
 * The index in a directory failed: RocksDB could not open, read, write or flush it. The message
 * names the directory and what failed. {@link IndexCorruptException} and
 * {@link IndexFormatException} say more precisely what is wrong with its contents. An
 * {@code IllegalStateException}, as the bare one it replaces was, so existing handlers still apply.
 */
public class IndexException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public IndexException(Path directory, String message, Throwable cause) {
        super(message, cause);
        this.directory = directory;
    }

    IndexException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    /** The index directory, or {@code null} where the failure was found without it (a value decoded alone). */
    public Path directory() {
        return directory;
    }
}
