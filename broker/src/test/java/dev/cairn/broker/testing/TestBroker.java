package dev.cairn.broker.testing;

import dev.cairn.broker.Broker;
import dev.cairn.broker.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real broker in-process on 127.0.0.1 and a free port, with its data in a fresh temporary
 * directory. Settings override the defaults like {@code --set key=value} does.
 */
public final class TestBroker implements AutoCloseable {
    private final Broker broker;
    private final Path dataDir;

    private TestBroker(Broker broker, Path dataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
    }

    public static TestBroker start() {
        return start(Map.of());
    }

    public static TestBroker start(Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory("cairn-test-");
            Map<String, String> all = new HashMap<>(settings);
            all.putIfAbsent("port", "0");
            all.putIfAbsent("bind", "127.0.0.1");
            all.putIfAbsent("data_dir", dir.toString());
            Broker broker = new Broker(ConfigLoader.load(null, all)).start();
            return new TestBroker(broker, dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a data directory", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    public int port() {
        return broker.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code tcp://127.0.0.1:PORT}, the form Paho takes. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker (as SIGTERM would) and deletes its data directory. */
    @Override
    public void close() throws InterruptedException {
        broker.close();
        deleteRecursively(dataDir);
    }

    /** Stops the broker but keeps its data, for tests that restart on the same directory. */
    public void stopKeepingData() throws InterruptedException {
        broker.close();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete test data in " + dir, e);
        }
    }
}
