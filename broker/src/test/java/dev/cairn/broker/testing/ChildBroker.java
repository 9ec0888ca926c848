package dev.cairn.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real broker in a child JVM ({@code dev.cairn.broker.Main}) on 127.0.0.1 and a free port, so a
 * test can kill it with SIGKILL and start another one on the same data directory. The child runs
 * with the test's class path, {@code -ea} and the JVM flags Chronicle needs, and
 * {@code <logDir>/java-tmp} as its temporary directory; its stdout and stderr go to
 * {@code <logDir>/broker-<n>.log}, which failure messages quote.
 *
 * <p>Start, stop and kill from the test thread; {@link #port()} and {@link #log()} from any.
 */
public final class ChildBroker implements AutoCloseable {
    /** The flags of the parent POM's {@code chronicle.jvm.args} and {@code chronicle.quiet.props}. */
    private static final List<String> JVM_FLAGS = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true",
            "-Dchronicle.disk.monitor.disable=true",
            "-Dorg.slf4j.simpleLogger.log.net.openhft=warn");

    private static final Pattern LISTENING = Pattern.compile("Cairn listening on \\S+:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("Cairn admin listening on \\S+:(\\d+)");
    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) journal records");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path logFile;
    private final Path tmpDir;
    /** The first listener's port; 0 until it is known ({@link #startAwaitingAdmin}). */
    private volatile int port;

    private ChildBroker(Process process, Path logFile, Path tmpDir, int port) {
        this.process = process;
        this.logFile = logFile;
        this.tmpDir = tmpDir;
        this.port = port;
    }

    /**
     * Starts a broker on {@code dataDir} with {@code --set key=value} for each setting and waits
     * until it logs that it listens; fails with the child's log if it exits or takes too long.
     */
    public static ChildBroker start(Path dataDir, Path logDir, Map<String, String> settings) {
        return start(dataDir, logDir, settings, List.of("dev.cairn.broker.Main"));
    }

    /**
     * As {@link #start(Path, Path, Map)}, with the named loggers (class names) at DEBUG, for a
     * test that reads what the broker logs only at that level.
     */
    public static ChildBroker startWithDebugLog(
            Path dataDir, Path logDir, Map<String, String> settings, String... debugLoggers) {
        List<String> main = new ArrayList<>();
        for (String logger : debugLoggers) {
            main.add("-Dorg.slf4j.simpleLogger.log." + logger + "=debug"); // A JVM option: it precedes the class.
        }
        main.add("dev.cairn.broker.Main");
        return start(dataDir, logDir, settings, main);
    }

    /**
     * As {@link #start(Path, Path, Map)}, with a wall clock that runs {@code speedup} times faster
     * than real time from {@code epochBase} ({@link FastWallClockBroker}): journal cycles roll in
     * seconds. Restarts must pass the same base.
     */
    public static ChildBroker startWithFastWallClock(
            Path dataDir, Path logDir, Map<String, String> settings, long speedup, long epochBase) {
        return start(
                dataDir,
                logDir,
                settings,
                List.of(FastWallClockBroker.class.getName(), Long.toString(speedup), Long.toString(epochBase)));
    }

    /**
     * As {@link #start(Path, Path, Map)}, but returns as soon as the admin listener is up, which is
     * before the data directory is recovered; {@link #port()} then waits for the MQTT listener.
     */
    public static ChildBroker startAwaitingAdmin(Path dataDir, Path logDir, Map<String, String> settings) {
        return start(dataDir, logDir, settings, List.of("dev.cairn.broker.Main"), ADMIN);
    }

    /**
     * As {@link #start(Path, Path, Map)}, with {@code --config configFile}: the settings still
     * override the file's keys, and a reload (SIGHUP) reads the file again.
     */
    public static ChildBroker startWithConfig(
            Path dataDir, Path logDir, Path configFile, Map<String, String> settings) {
        return start(
                dataDir,
                logDir,
                settings,
                List.of("dev.cairn.broker.Main", "--config", configFile.toString()),
                LISTENING);
    }

    private static ChildBroker start(Path dataDir, Path logDir, Map<String, String> settings, List<String> main) {
        return start(dataDir, logDir, settings, main, LISTENING);
    }

    private static ChildBroker start(
            Path dataDir, Path logDir, Map<String, String> settings, List<String> main, Pattern until) {
        try {
            Files.createDirectories(logDir);
            Path logFile = nextLogFile(logDir);
            Path tmpDir = Files.createDirectories(logDir.resolve("java-tmp"));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-ea");
            command.add("-Xmx256m");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:+UseSerialGC");
            command.add("-Djava.io.tmpdir=" + tmpDir);
            command.addAll(JVM_FLAGS);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.addAll(main);
            command.add("--bind");
            command.add("127.0.0.1");
            command.add("--port");
            command.add("0");
            command.add("--data-dir");
            command.add(dataDir.toString());
            command.add("--set");
            command.add("admin.port=0"); // A settings entry may replace it (the last --set wins).
            for (Map.Entry<String, String> e : settings.entrySet()) {
                command.add("--set");
                command.add(e.getKey() + "=" + e.getValue());
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            int port = awaitPort(process, logFile, until);
            return new ChildBroker(process, logFile, tmpDir, until == LISTENING ? port : 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child broker", e);
        }
    }

    private static Path nextLogFile(Path logDir) {
        for (int n = 1; ; n++) {
            Path candidate = logDir.resolve("broker-" + n + ".log");
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    private static int awaitPort(Process process, Path logFile, Pattern line) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher m = line.matcher(read(logFile));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "child broker exited with " + process.exitValue() + " before listening:\n" + read(logFile));
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new AssertionError("child broker not listening after " + START_TIMEOUT + ":\n" + read(logFile));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while the child broker started", e);
            }
        }
    }

    /** The first listener's port; waits for it when the child was started by {@link #startAwaitingAdmin}. */
    public int port() {
        if (port == 0) {
            port = awaitPort(process, logFile, LISTENING);
        }
        return port;
    }

    /** The admin listener's port, from its {@code Cairn admin listening on} line. */
    public int adminPort() {
        Matcher m = ADMIN.matcher(log());
        if (!m.find()) {
            throw new AssertionError("child broker logged no admin listener:\n" + log());
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The port of the listener named {@code listener}, from its {@code Cairn listening on} line
     * (every listener's line is written before the first client can connect).
     */
    public int port(String listener) {
        Matcher m = Pattern.compile(
                        "Cairn listening on 127\\.0\\.0\\.1:(\\d+) \\(listener " + Pattern.quote(listener) + ",")
                .matcher(log());
        if (!m.find()) {
            throw new AssertionError("child broker logged no listener " + listener + ":\n" + log());
        }
        return Integer.parseInt(m.group(1));
    }

    /** Sends SIGHUP (the reload signal) with kill(1); returns once kill has delivered it. */
    public void hangUp() {
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -HUP " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIGHUP", e);
        }
    }

    /** Waits until the child's log holds {@code text} {@code count} times; fails with the log after {@code timeout}. */
    public void awaitLog(String text, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (occurrences(log(), text) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("child broker did not log '" + text + "' " + count + " time(s) within "
                        + timeout + ":\n" + log());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the child's log", e);
            }
        }
    }

    private static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code tcp://127.0.0.1:PORT}, the form Paho takes. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL (kill -9): no shutdown hook runs, nothing is flushed; waits until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the shutdown hook stops the broker cleanly. Returns the exit code. */
    public int stop() {
        process.destroy();
        return awaitExit();
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "child broker " + process.pid() + " did not exit within " + EXIT_TIMEOUT + ":\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for the child broker to exit", e);
        }
    }

    /**
     * Waits for the child to exit by itself and returns its exit code; fails with its log if it
     * still runs after {@code timeout} (and kills it).
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "child broker " + process.pid() + " still ran after " + timeout + ":\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for the child broker to exit", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child wrote to stdout and stderr so far. */
    public String log() {
        return read(logFile);
    }

    public Path logFile() {
        return logFile;
    }

    /** The child's {@code java.io.tmpdir}: {@code <logDir>/java-tmp}, shared by the children of one log directory. */
    public Path tmpDir() {
        return tmpDir;
    }

    /**
     * The N of the store's {@code replayed N journal records} line, or 0 when the line is absent
     * (recovery logs it only when it replayed something or built a new index).
     */
    public long replayedRecords() {
        Matcher m = REPLAYED.matcher(log());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Kills the child if it still runs, so no test leaves a broker behind, then repeats the
     * child's ERROR log lines on this JVM's stderr, where the storage test-jar's
     * {@code ErrorLogGuard} fails the test unless it declared them ({@code @ExpectedErrorLog}).
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
        for (String line : log().split("\n")) {
            if (line.contains("] ERROR ")) {
                System.err.println("child broker " + process.pid() + ": " + line);
            }
        }
    }
}
