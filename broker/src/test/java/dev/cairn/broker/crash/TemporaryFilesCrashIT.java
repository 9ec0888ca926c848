package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a broker killed with kill -9 leaves nothing in the machine's temporary directory.
 * RocksDB's own loader copies its 15 MB native library there on every start and deletes the copy
 * only at a normal JVM exit; a broker that crashes or is killed often filled a test machine's
 * disk that way. Method: real child brokers with their own {@code java.io.tmpdir}, killed twice
 * and stopped once on the same data directory; after each, that directory is empty.
 */
class TemporaryFilesCrashIT {
    @TempDir
    Path tmp;

    @Test
    void aKilledBrokerLeavesNoCopyOfItsNativeLibraryBehind() throws Exception {
        Path data = tmp.resolve("data");
        for (int start = 1; start <= 2; start++) {
            try (ChildBroker broker = ChildBroker.start(data, tmp, Map.of())) {
                assertTrue(broker.isAlive(), "the broker serves (its index, hence RocksDB, is open)");
                broker.kill9();
                assertEquals(List.of(), contents(broker.tmpDir()), "after kill -9 number " + start);
            }
        }
        try (ChildBroker broker = ChildBroker.start(data, tmp, Map.of())) {
            assertEquals(0, broker.stop(), "a clean stop after two kills");
            assertEquals(List.of(), contents(broker.tmpDir()), "after a clean stop");
        }
    }

    private static List<String> contents(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
