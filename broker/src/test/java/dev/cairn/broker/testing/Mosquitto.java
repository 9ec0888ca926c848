package dev.cairn.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker process on 127.0.0.1 and a port of its own, with a generated
 * configuration: anonymous access, and persistence in {@code <dir>/db/} so that a stop (SIGTERM,
 * which saves the database) and a start on the same directory keep its sessions and queues. It
 * logs everything to {@code <dir>/mosquitto-<n>.log} ({@code log_dest file}: mosquitto writes each
 * line out at once there, where its stdout, a pipe or a file, is buffered and lost to a kill);
 * what it prints before its log is open (a bad configuration) goes to {@code mosquitto-<n>.out}.
 * {@link #close} names the log file in the test's output, and failures to start quote it. The
 * binary ({@code mosquitto}, the Debian package puts it in /usr/sbin) must be installed; a missing
 * one fails the test.
 *
 * <p>Start, stop and kill from the test thread; {@link #port()} from any.
 */
public final class Mosquitto implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    /** The extra TLS listener's lines, empty when it has none. */
    private final List<String> tlsListener;

    private final int tlsPort;
    /** Lines after the generated ones (a bridge's connection block, say). */
    private final List<String> extraConfig;

    private Process process;
    private int starts;

    private Mosquitto(Path dir, int port, int tlsPort, List<String> tlsListener, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.tlsListener = tlsListener;
        this.extraConfig = List.copyOf(extraConfig);
    }

    /** Starts mosquitto in {@code dir} on a free port and waits until it accepts connections. */
    public static Mosquitto start(Path dir) {
        return start(dir, List.of());
    }

    /**
     * As {@link #start(Path)}, with {@code extraConfig} lines after the generated ones (e.g. a
     * {@code connection} block: a bridge of mosquitto's own).
     */
    public static Mosquitto start(Path dir, List<String> extraConfig) {
        Mosquitto m = new Mosquitto(dir, freePort(), 0, List.of(), extraConfig);
        m.start();
        return m;
    }

    /**
     * As {@link #start(Path)}, plus a TLS listener on {@link #tlsPort()} with the server's chain
     * and key in {@code certFile} and {@code keyFile}; with {@code clientCaFile} set, clients must
     * present a certificate of those CAs (mutual TLS).
     */
    public static Mosquitto startWithTls(Path dir, Path certFile, Path keyFile, Path clientCaFile) {
        List<String> lines = new ArrayList<>(List.of("certfile " + certFile, "keyfile " + keyFile));
        if (clientCaFile != null) {
            lines.add("cafile " + clientCaFile);
            lines.add("require_certificate true");
        }
        Mosquitto m = new Mosquitto(dir, freePort(), freePort(), List.copyOf(lines), List.of());
        m.start();
        return m;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The binary: on PATH, or where Debian and Ubuntu install it. */
    private static String binary() {
        for (String candidate : List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "mosquitto";
    }

    /** Starts it again on the same port and database (after {@link #stop}). */
    public void start() {
        try {
            starts++;
            Path db = Files.createDirectories(dir.resolve("db"));
            Path conf = dir.resolve("mosquitto.conf");
            List<String> lines = new ArrayList<>(List.of(
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    // Started as root, mosquitto would switch to user mosquitto, which cannot
                    // write the test's directory; as anyone else the option changes nothing.
                    "user " + System.getProperty("user.name"),
                    "persistence true",
                    "persistence_location " + db + "/",
                    "max_queued_messages 100000",
                    "max_inflight_messages 0",
                    "log_dest file " + logFile(),
                    "log_type all"));
            if (!tlsListener.isEmpty()) {
                lines.add("listener " + tlsPort + " 127.0.0.1");
                lines.addAll(tlsListener);
            }
            lines.addAll(extraConfig);
            lines.add("");
            Files.writeString(conf, String.join("\n", lines), StandardCharsets.UTF_8);
            process = new ProcessBuilder(binary(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto-" + starts + ".out").toFile())
                    .start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!accepts()) {
                if (!process.isAlive()) {
                    throw new AssertionError("mosquitto exited with " + process.exitValue() + ":\n" + log());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "mosquitto not listening on " + port + " after " + START_TIMEOUT + ":\n" + log());
                }
                Thread.sleep(20); // Polls for the port; nothing to wait on but the socket itself.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mosquitto started", e);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The TLS listener's port ({@link #startWithTls}). */
    public int tlsPort() {
        return tlsPort;
    }

    /** {@code 127.0.0.1:port}, as a bridge address. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The log file of the current (or last) process. */
    public Path logFile() {
        return dir.resolve("mosquitto-" + starts + ".log");
    }

    /**
     * Everything the current (or last) process logged, after what it printed before its log was
     * open, and the log file's name.
     */
    public String log() {
        return read(dir.resolve("mosquitto-" + starts + ".out")) + read(logFile()) + "(mosquitto's log: " + logFile()
                + ")";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    /** SIGTERM, which makes mosquitto save its database, and waits for the exit. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("mosquitto did not stop on SIGTERM within 10 s");
        }
    }

    /**
     * Kills the process if it still runs, then names each start's log file in the test's output
     * (stdout), with its error and warning lines, which stay readable there when the test's
     * directory is deleted after it.
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (int n = 1; n <= starts; n++) {
            Path log = dir.resolve("mosquitto-" + n + ".log");
            System.out.println("mosquitto on port " + port + " (start " + n + ") logged to " + log);
            for (String line : (read(dir.resolve("mosquitto-" + n + ".out")) + read(log)).split("\n")) {
                if (line.contains("Error") || line.contains("Warning")) {
                    System.out.println("  " + line);
                }
            }
        }
    }
}
