package dev.cairn.storage.journal;

import java.nio.file.Path;

/**
 * A file of the journal directory is not in a shape this code can read safely: a cycle file
 * without a complete header that holds more than a crash during its creation leaves, or a
 * retention floor file without its header or position. Unlike {@link JournalCorruptionException}
 * (a bad record at a position), it names the file. An {@code IllegalStateException}, as the bare
 * one it replaces was.
 */
public final class JournalFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** @param message the whole message; it names {@code file} and says what to do */
    public JournalFormatException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public JournalFormatException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that is not as expected. */
    public Path file() {
        return file;
    }
}
