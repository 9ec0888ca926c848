package dev.cairn.broker.testing;

import dev.cairn.broker.Broker;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.core.BrokerStats;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real broker in-process on 127.0.0.1 and a free port, with its data in a fresh temporary
 * directory. Settings override the defaults like {@code --set key=value} does.
 */
public final class TestBroker implements AutoCloseable {
    private final Map<String, String> settings;
    private final Clock clock;
    private final Path dataDir;
    private Broker broker;

    private TestBroker(Map<String, String> settings, Clock clock, Path dataDir) {
        this.settings = settings;
        this.clock = clock;
        this.dataDir = dataDir;
        this.broker = launch();
    }

    public static TestBroker start() {
        return start(Map.of());
    }

    public static TestBroker start(Map<String, String> settings) {
        return start(settings, Clock.SYSTEM);
    }

    /** A broker on {@code clock} (e.g. a {@link ManualClock} to roll journal cycles). */
    public static TestBroker start(Map<String, String> settings, Clock clock) {
        try {
            Path dir = Files.createTempDirectory("cairn-test-");
            Map<String, String> all = new HashMap<>(settings);
            all.putIfAbsent("port", "0");
            all.putIfAbsent("bind", "127.0.0.1");
            all.putIfAbsent("data_dir", dir.toString());
            all.putIfAbsent("admin.port", "0"); // Never the fixed default: tests run side by side.
            return new TestBroker(Map.copyOf(all), clock, dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a data directory", e);
        }
    }

    private Broker launch() {
        try {
            return new Broker(ConfigLoader.load(null, settings), clock).start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Stops the broker gracefully and starts a new one on the same data directory (a new port). */
    public void restart() throws InterruptedException {
        broker.close();
        broker = launch();
    }

    /**
     * Lets {@code by} pass on this broker's clock, which must be a {@link ManualClock}, and returns
     * once the core has run a whole turn at the new time, timers included, so what they decided (a
     * DISCONNECT, a will, an expiry) has been handed to the I/O threads. A command is answered in
     * its turn's apply step, before that turn's timers: the second round trip proves the first
     * one's turn ended, the third covers what that turn's backlog pumps buffered after its sync.
     */
    public void advanceClock(Duration by) {
        if (!(clock instanceof ManualClock manual)) {
            throw new IllegalStateException("this broker runs on " + clock + ", not on a ManualClock");
        }
        manual.advance(by);
        for (int i = 0; i < 3; i++) {
            stats();
        }
    }

    /** The broker's durable journal position right now; see {@link Broker#syncedJournalPosition}. */
    public long syncedJournalPosition() {
        return broker.syncedJournalPosition();
    }

    /**
     * The core's counters, read on the core thread after everything it was handed before this
     * call (a packet a client sent may still be in flight towards it).
     */
    public BrokerStats stats() {
        try {
            return broker.stats().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the stats", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the stats failed: " + e, e);
        }
    }

    /** Runs one journal retention step on the core thread and waits for its report. */
    public RetentionReport runRetention() {
        try {
            return broker.runRetention().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for retention", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("retention step failed: " + e, e);
        }
    }

    public int port() {
        return broker.port();
    }

    /** The port of the HTTP admin listener (/metrics, /health/...). */
    public int adminPort() {
        return broker.adminPort();
    }

    /** The port of the named listener ({@code listener.NAME.*} settings; port 0 picks a free one). */
    public int port(String listener) {
        return broker.port(listener);
    }

    /** New sockets the named listener closed at accept because of its own limits. */
    public long connectionsRefused(String listener) {
        return broker.connectionsRefused(listener);
    }

    /** Re-reads TLS material (and whatever else registered), as SIGHUP does; returns the parts that kept their old state. */
    public int reload() {
        return broker.reload();
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

    /**
     * Stops the broker but keeps its data, for tests that restart on the same directory or run the
     * tools on it; such a test calls {@link #deleteData} when done.
     */
    public void stopKeepingData() throws InterruptedException {
        broker.close();
    }

    /** Deletes the data directory of a broker stopped with {@link #stopKeepingData}. */
    public void deleteData() {
        deleteRecursively(dataDir);
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
