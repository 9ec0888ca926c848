package dev.cairn.broker.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the admin API shows of the data directory on disk: the journal's cycle files and bytes,
 * the index's bytes, the file system's space. Read from the file system on the API's thread, never
 * from the core.
 */
final class JournalFiles {
    private final Path dataDir;

    /** The data directory's parts on disk at one moment; a cycle file name is null when there is none. */
    record Usage(
            long journalBytes,
            int cycleFiles,
            String firstCycleFile,
            String lastCycleFile,
            long indexBytes,
            long freeBytes,
            long totalBytes) {}

    JournalFiles(Path dataDir) {
        this.dataDir = dataDir;
    }

    Path dataDir() {
        return dataDir;
    }

    Usage usage() {
        Path journal = dataDir.resolve("journal");
        int cycles = 0;
        String first = null;
        String last = null;
        if (Files.isDirectory(journal)) {
            // Chronicle names its cycle files by their time, so name order is cycle order.
            try (Stream<Path> files = Files.list(journal)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.endsWith(".cq4")) {
                        continue;
                    }
                    cycles++;
                    first = first == null || name.compareTo(first) < 0 ? name : first;
                    last = last == null || name.compareTo(last) > 0 ? name : last;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + journal, e);
            }
        }
        try {
            FileStore store = Files.getFileStore(dataDir);
            return new Usage(
                    BrokerMetrics.directoryBytes(journal),
                    cycles,
                    first,
                    last,
                    BrokerMetrics.directoryBytes(dataDir.resolve("index")),
                    store.getUsableSpace(),
                    store.getTotalSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + dataDir, e);
        }
    }
}
