package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker the side-by-side runner starts as a child process on a free port with a fresh data
 * directory: mosquitto with a generated configuration, or Cairn through its launcher
 * ({@code broker/bin/cairn}, the JVM settings users run it with) from a given jar, with a
 * durability setting. {@link Running#stop} ends it (SIGTERM, then SIGKILL after 10 s).
 *
 * <p>Thread safety: used by the runner's one thread.
 */
final class BrokerUnderTest {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final long READY_TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final Path cairnLauncher;
    private final Path cairnJar;
    private final String durability;
    /** Cairn's {@code tls_provider} on a TLS wire; null for its default. */
    private final String tlsProvider;

    private BrokerUnderTest(String name, Path cairnLauncher, Path cairnJar, String durability, String tlsProvider) {
        this.name = name;
        this.cairnLauncher = cairnLauncher;
        this.cairnJar = cairnJar;
        this.durability = durability;
        this.tlsProvider = tlsProvider;
    }

    static BrokerUnderTest mosquitto() {
        return new BrokerUnderTest("mosquitto", null, null, null, null);
    }

    /**
     * Cairn started by {@code launcher} (which execs the JVM, so the process is the broker) on {@code jar}.
     *
     * @param variant the durability ({@code fsync}, {@code process}), optionally followed by
     *     {@code -} and the TLS listener's {@code tls_provider} ({@code fsync-openssl})
     */
    static BrokerUnderTest cairn(Path launcher, Path jar, String variant) {
        int dash = variant.indexOf('-');
        return new BrokerUnderTest(
                "cairn-" + variant,
                launcher,
                jar,
                dash < 0 ? variant : variant.substring(0, dash),
                dash < 0 ? null : variant.substring(dash + 1));
    }

    String name() {
        return name;
    }

    /** The same broker under another name, to run it twice in one table (e.g. scraped and not). */
    BrokerUnderTest named(String newName) {
        return new BrokerUnderTest(newName, cairnLauncher, cairnJar, durability, tlsProvider);
    }

    boolean isCairn() {
        return cairnJar != null;
    }

    /** A started broker; its log is in {@code dataDir/broker.log}. */
    record Running(Process process, int port, Path dataDir) {
        long pid() {
            return process.pid();
        }

        /** SIGKILL (kill -9), and waits for the exit: nothing of the broker's runs after it. */
        void kill9() {
            process.destroyForcibly();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pid " + process.pid() + " still ran 10 s after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing " + process.pid(), e);
            }
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(dataDir.resolve("broker.log"), StandardCharsets.UTF_8);
                return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }

    /** Starts the broker with a plain TCP listener; see {@link #start(Path, Wire.Kind, BenchPki)}. */
    Running start(Path dataDir) throws IOException {
        return start(dataDir, Wire.Kind.TCP, null);
    }

    /**
     * Starts the broker with one listener of {@code wire} (TLS kinds with {@code pki}'s server
     * certificate and key) and waits until its port accepts TCP; throws if it exits or never
     * listens.
     */
    Running start(Path dataDir, Wire.Kind wire, BenchPki pki) throws IOException {
        return start(dataDir, wire, pki, null);
    }

    /**
     * As {@link #start(Path, Wire.Kind, BenchPki)}, and with {@code auth} (null for none) the broker
     * refuses anonymous clients and applies the run's password and ACL files.
     */
    Running start(Path dataDir, Wire.Kind wire, BenchPki pki, BenchAuth auth) throws IOException {
        if (wire.tls() && pki == null) {
            throw new IllegalArgumentException("a " + wire.cliName() + " listener needs certificates");
        }
        return start(dataDir, freePort(), wire, pki, auth, 0);
    }

    /**
     * Starts the broker as a bridge case's edge on {@code port} (a plain TCP listener), forwarding
     * {@link BrokerSettings#BRIDGED_TOPICS} at QoS 1 to the broker on {@code remotePort} with its
     * own bridge ({@link BrokerSettings#mosquittoBridge}, {@link BrokerSettings#cairnBridge}).
     * Starting it again on the same {@code dataDir} and port is a restart: its log continues.
     */
    Running startBridgeEdge(Path dataDir, int port, int remotePort) throws IOException {
        return start(dataDir, port, Wire.Kind.TCP, null, null, remotePort);
    }

    private Running start(Path dataDir, int port, Wire.Kind wire, BenchPki pki, BenchAuth auth, int bridgeRemotePort)
            throws IOException {
        Files.createDirectories(dataDir);
        ProcessBuilder builder = new ProcessBuilder(command(dataDir, port, wire, pki, auth, bridgeRemotePort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("broker.log").toFile()));
        if (isCairn()) {
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("CAIRN_JAR", cairnJar.toAbsolutePath().toString());
            builder.environment().remove("CAIRN_JAVA_OPTS");
        }
        Running running = new Running(builder.start(), port, dataDir);
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!running.process().isAlive()) {
                throw new IOException(
                        name + " exited with " + running.process().exitValue() + ": " + running.logTail());
            }
            if (accepts(port)) {
                return running;
            }
            Fleet.sleepMillis(50);
        }
        running.stop();
        throw new IOException(name + " did not listen on " + port + " within " + READY_TIMEOUT_MILLIS + " ms");
    }

    private List<String> command(
            Path dataDir, int port, Wire.Kind wire, BenchPki pki, BenchAuth auth, int bridgeRemotePort)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (isCairn()) {
            command.add("/bin/sh");
            command.add(cairnLauncher.toString());
            command.add("--data-dir");
            command.add(dataDir.resolve("data").toString());
            command.add("--set");
            command.add("durability=" + durability);
            command.add("--set");
            command.add("admin.port=0"); // The admin listener runs, as it does for users, on a free port.
            command.addAll(BrokerSettings.cairnListener(port, wire, pki, tlsProvider));
            command.addAll(BrokerSettings.cairnAuth(auth));
            if (bridgeRemotePort > 0) {
                command.addAll(BrokerSettings.cairnBridge(bridgeRemotePort));
            }
        } else {
            Path conf = dataDir.resolve("mosquitto.conf");
            int unusedPlainPort = wire.webSocket() ? freePort() : 0;
            String lines = BrokerSettings.mosquittoConf(port, dataDir, wire, pki, unusedPlainPort, auth);
            if (bridgeRemotePort > 0) {
                lines += BrokerSettings.mosquittoBridge(bridgeRemotePort);
            }
            Files.writeString(conf, lines, StandardCharsets.UTF_8);
            command.add(MOSQUITTO.toString());
            command.add("-c");
            command.add(conf.toString());
        }
        return command;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
