package dev.cairn.storage.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's native library without leaving a copy behind. {@code RocksDB.loadLibrary()}
 * copies the 15 MB library out of its jar into a new file in {@code java.io.tmpdir} on every
 * start and deletes it only when the JVM exits normally: a broker killed with {@code kill -9},
 * by the OOM killer or by a power cut leaves one file each time, and a machine whose broker
 * restarts often fills its temporary directory (63 GB on a test machine after the crash suites).
 * Here the library is copied into a fresh private directory, loaded, and its file and directory
 * are deleted at once: the loaded code stays mapped, so nothing is left on disk even if the
 * process is killed a moment later. RocksDB's own loader runs instead when the jar carries no
 * library for this platform (it reports that), or when {@code ROCKSDB_SHAREDLIB_DIR} names the
 * directory to extract into (for a {@code noexec} temporary directory, as RocksDB documents).
 */
final class RocksLibrary {
    private static final String SHAREDLIB_DIR_VARIABLE = "ROCKSDB_SHAREDLIB_DIR";
    private static boolean loaded;

    private RocksLibrary() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String resource = Environment.getJniLibraryFileName("rocksdb");
        try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null || System.getenv(SHAREDLIB_DIR_VARIABLE) != null) {
                RocksDB.loadLibrary();
            } else {
                loadCopy(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read RocksDB's native library " + resource + " from its jar", e);
        }
        loaded = true;
    }

    private static void loadCopy(InputStream library) throws IOException {
        Path dir = Files.createTempDirectory("cairn-rocksdb-");
        Path file = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        try {
            Files.copy(library, file);
            RocksDB.loadLibrary(List.of(dir.toString()));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
