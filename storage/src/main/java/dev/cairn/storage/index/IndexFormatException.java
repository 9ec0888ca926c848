package dev.cairn.storage.index;

import java.nio.file.Path;

/**
 * The index is well formed but in a format version this code cannot use: written by a newer
 * Cairn, or older and not yet upgraded. The message names the directory and both versions.
 */
public final class IndexFormatException extends IndexException {
    private static final long serialVersionUID = 1L;

    IndexFormatException(Path directory, String message) {
        super(directory, message);
    }
}
