package dev.cairn.benchmarks.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory under {@code java.io.tmpdir}, deleted with everything in it on {@link #close}:
 * JMH's counterpart of JUnit's {@code @TempDir}. Benchmarks create one in {@code @Setup} and close
 * it in {@code @TearDown}, so that journals and indexes never outlive a trial and one run's files
 * cannot warm or fill the next run's disk. The default temporary directory must be on a real
 * disk (not tmpfs) for fsync figures to mean anything. Not thread-safe; owned by one state object.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    public static ScratchDirectory create(String prefix) {
        try {
            return new ScratchDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
    }

    public Path path() {
        return path;
    }

    /** Deletes the directory tree, children before parents. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch directory " + path, e);
        }
    }
}
