package dev.cairn.storage.index;

import java.nio.file.Path;

/**
 * The index holds something this code never writes: a missing or malformed format value, an
 * unknown state code, a key of the wrong shape. The index is derived from the journal, so the
 * message says to delete it (the broker rebuilds it from the journal on its next start).
 */
public final class IndexCorruptException extends IndexException {
    private static final long serialVersionUID = 1L;

    /** @param problem what is wrong, e.g. "its format value is empty" */
    public IndexCorruptException(Path directory, String problem) {
        super(
                directory,
                "the index in " + directory + " is corrupt: " + problem + "; delete the directory and it"
                        + " will be rebuilt from the journal");
    }

    /** Found while decoding one value, where the directory is not known. */
    IndexCorruptException(String problem) {
        super(
                null,
                "the index is corrupt: " + problem + "; delete its directory and it will be rebuilt from the"
                        + " journal");
    }
}
