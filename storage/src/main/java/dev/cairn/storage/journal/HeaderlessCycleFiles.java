package dev.cairn.storage.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cycle files whose Chronicle header was never written. Chronicle creates a cycle file (sparse,
 * pre-sized) when the first record of a new cycle is appended and writes the file's header right
 * after; a process killed in between leaves a file of zeros. Chronicle then waits forever for
 * "the other writer" to finish that header when it opens the queue, so the journal deals with
 * such files before Chronicle sees them: a file that is all zeros holds no record (every record
 * comes after the header) and is removed; a file without a header but with other bytes is not
 * something a crash leaves, and is refused.
 */
final class HeaderlessCycleFiles {
    private static final int HEADER_BYTES = 4;

    private HeaderlessCycleFiles() {
    }

    /** The {@code .cq4} files in {@code directory} whose first header word is zero, by name. */
    static List<Path> find(Path directory) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().endsWith(CycleFileNames.SUFFIX) && Files.isRegularFile(file)
                        && headerIsZero(file)) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal directory " + directory, e);
        }
        return found;
    }

    private static boolean headerIsZero(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(HEADER_BYTES);
            for (byte b : header) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether every byte of {@code file} is zero. */
    static boolean allZero(Path file) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal cycle file " + file, e);
        }
    }
}
