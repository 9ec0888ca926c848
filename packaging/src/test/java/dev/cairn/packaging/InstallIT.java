package dev.cairn.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator meets it: unpacked into a temporary directory, the broker
 * started by its {@code bin/cairn} with the shipped {@code conf/cairn.conf} (a temporary data
 * directory and free ports on the command line), a real MQTT client connected, SIGHUP (what
 * {@code systemctl reload} sends) reloads without dropping the client, SIGTERM (what {@code
 * systemctl stop} sends) stops it with exit 0. Also: what the archive holds, {@code --version},
 * {@code --check-config} of the shipped config, the systemd unit's syntax, and the broker serving
 * over Java NIO when the epoll library is missing (README "Platforms").
 */
class InstallIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("cairn.archive", "target/cairn.tar.gz"));
    private static final String VERSION = System.getProperty("cairn.version", "");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("Cairn listening on 127\\.0\\.0\\.1:(\\d+)");
    /** The name Netty's native epoll library is loaded under (Netty copies it to a temporary file first). */
    private static final String EPOLL_LIBRARY = "netty_transport_native_epoll";

    @TempDir
    Path dir;

    @Test
    void theArchiveHoldsTheLaunchersConfigUnitLicenseAndJars() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE + " is missing: mvn package makes it");
        assertTrue(ARCHIVE.getFileName().toString().equals("cairn-" + VERSION + ".tar.gz"), ARCHIVE.toString());
        Path home = unpack();
        for (String launcher : List.of("bin/cairn", "bin/cairn-tools")) {
            assertTrue(Files.isExecutable(home.resolve(launcher)), launcher + " is executable");
        }
        for (String file : List.of("conf/cairn.conf", "LICENSE", "packaging/systemd/cairn.service")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String jar : List.of(
                "cairn-broker-" + VERSION + ".jar",
                "cairn-tools-" + VERSION + ".jar",
                "cairn-storage-" + VERSION + ".jar",
                "cairn-protocol-" + VERSION + ".jar")) {
            assertTrue(jars.contains(jar), jar + " in " + jars);
        }
        // Natives for both platforms the README names (docs/operations.md, "Platforms").
        assertTrue(
                jars.stream().anyMatch(j -> j.matches("netty-transport-native-epoll-.*-linux-x86_64\\.jar")),
                jars.toString());
        assertTrue(
                jars.stream().anyMatch(j -> j.matches("netty-transport-native-epoll-.*-linux-aarch_64\\.jar")),
                jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.matches("rocksdbjni-.*-linux64\\.jar")), jars.toString());
        assertFalse(
                jars.stream().anyMatch(j -> j.contains("junit") || j.endsWith("-tests.jar")), "no test jars: " + jars);
        // Chronicle reads a system.properties in the working directory or its parent (ADR 0010).
        try (Stream<Path> all = Files.walk(home)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("system.properties")));
        }

        Run version = run(home, List.of("bin/cairn", "--version"));
        assertEquals(0, version.exitCode, version.toString());
        assertEquals("Cairn " + VERSION, version.output.strip(), version.toString());
        Run toolsVersion = run(home, List.of("bin/cairn-tools", "--version"));
        assertEquals(0, toolsVersion.exitCode, toolsVersion.toString());
        assertTrue(toolsVersion.output.contains(VERSION), toolsVersion.toString());
        Run check = run(home, List.of("bin/cairn", "--check-config", "conf/cairn.conf"));
        assertEquals(0, check.exitCode, check.toString());
        assertEquals("conf/cairn.conf: configuration OK", check.output.strip(), check.toString());
    }

    /** {@code systemd-analyze verify}: the unit parses, every directive is known, its ExecStart exists. */
    @Test
    void theSystemdUnitVerifies() throws Exception {
        Path home = unpack();
        String unit = Files.readString(home.resolve("packaging/systemd/cairn.service"), StandardCharsets.UTF_8);
        assertTrue(unit.contains("ExecStart=/opt/cairn/bin/cairn --config /etc/cairn/cairn.conf\n"), unit);
        Path copy = dir.resolve("cairn.service");
        Files.writeString(
                copy,
                unit.replace("/opt/cairn/bin/cairn", home.resolve("bin/cairn").toString()));

        Run verify = run(dir, List.of("systemd-analyze", "verify", copy.toString()));

        assertEquals(0, verify.exitCode, verify.toString());
        assertFalse(verify.output.contains("Unknown"), verify.toString());
        assertFalse(verify.output.contains(copy.getFileName().toString()), "no remark on the unit: " + verify);
    }

    @Test
    void startsFromTheArchiveKeepsItsClientAcrossSighupAndStopsCleanlyOnSigterm() throws Exception {
        Path home = unpack();
        try (Started broker = start(home)) {
            assertTrue(
                    maps(broker.process).contains(EPOLL_LIBRARY),
                    "on Linux x86-64 and aarch64 the broker uses epoll, loaded from the archive's lib/");
            try (Clients clients = Clients.connect(broker.port)) {
                clients.roundTrip("before reload");

                signal("HUP", broker.process);
                waitFor(() -> broker.log().contains("reload done"), "the reload to finish", broker);

                assertTrue(broker.process.isAlive(), "SIGHUP reloads, it does not stop the broker: " + broker.log());
                assertTrue(clients.subscriber.isConnected() && clients.publisher.isConnected(), broker.log());
                clients.roundTrip("after reload");
            }
            broker.process.destroy(); // SIGTERM
            assertTrue(broker.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), broker.log());
            assertEquals(0, broker.process.exitValue(), "a clean stop after SIGTERM: " + broker.log());
            assertFalse(broker.log().contains("ERROR"), broker.log());
        }
    }

    /**
     * A platform without Netty's epoll library (here: the archive with its epoll jars removed) still
     * runs the broker, over Java NIO.
     */
    @Test
    void withoutTheEpollLibraryTheBrokerServesOverNio() throws Exception {
        Path home = unpack();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.getFileName().toString().startsWith("netty-transport-native-epoll-"))
                    .toList()) {
                Files.delete(jar);
            }
        }
        try (Started broker = start(home)) {
            try (Clients clients = Clients.connect(broker.port)) {
                clients.roundTrip("over nio");
            }
            assertFalse(maps(broker.process).contains(EPOLL_LIBRARY), "no epoll library was loaded");
            broker.process.destroy();
            assertTrue(broker.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), broker.log());
            assertEquals(0, broker.process.exitValue(), broker.log());
            assertFalse(broker.log().contains("ERROR"), broker.log());
        }
    }

    private Path unpack() throws IOException, InterruptedException {
        Path target = Files.createDirectories(dir.resolve("opt"));
        Run tar = run(target, List.of("tar", "-xzf", ARCHIVE.toAbsolutePath().toString()));
        assertEquals(0, tar.exitCode, tar.toString());
        Path home = target.resolve("cairn-" + VERSION);
        assertTrue(Files.isDirectory(home), "the archive unpacks into cairn-" + VERSION + "/");
        return home;
    }

    /** {@code bin/cairn --config conf/cairn.conf} on a temporary data directory and a free port. */
    private Started start(Path home) throws IOException, InterruptedException {
        Path log = dir.resolve("broker.log");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(
                        "bin/cairn",
                        "--config",
                        "conf/cairn.conf",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "0",
                        // The admin listener on a free port too, so a broker already on 9883 cannot fail this test.
                        "--set",
                        "admin.port=0")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("CAIRN_JAVA_OPTS");
        builder.environment().remove("CAIRN_JAR");
        // Netty, RocksDB and Chronicle unpack their native libraries here, not in the machine's /tmp.
        builder.environment().put("JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        Started broker = new Started(builder.start(), log);
        waitFor(
                () -> LISTENING.matcher(broker.log()).find() || !broker.process.isAlive(),
                "the broker to listen",
                broker);
        Matcher m = LISTENING.matcher(broker.log());
        assertTrue(m.find(), "the broker did not start: " + broker.log());
        broker.port = Integer.parseInt(m.group(1));
        return broker;
    }

    private static final class Started implements AutoCloseable {
        final Process process;
        final Path logFile;
        int port;

        Started(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("cannot read " + logFile, e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** A persistent QoS 1 subscriber on plant/# and a publisher, both Paho MQTT 3.1.1. */
    private static final class Clients implements AutoCloseable {
        final MqttClient subscriber;
        final MqttClient publisher;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        private Clients(MqttClient subscriber, MqttClient publisher) {
            this.subscriber = subscriber;
            this.publisher = publisher;
        }

        static Clients connect(int port) throws MqttException {
            String uri = "tcp://127.0.0.1:" + port;
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(30);
            MqttClient subscriber = new MqttClient(uri, "install-sub", new MemoryPersistence());
            MqttClient publisher = new MqttClient(uri, "install-pub", new MemoryPersistence());
            Clients clients = new Clients(subscriber, publisher);
            subscriber.connect(options);
            subscriber.subscribe(
                    "plant/#",
                    1,
                    (topic, message) -> clients.received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            publisher.connect(options);
            return clients;
        }

        /** A QoS 1 message published (acknowledged: on disk) and delivered to the subscriber. */
        void roundTrip(String payload) throws MqttException, InterruptedException {
            publisher.publish("plant/line1/state", payload.getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals(payload, received.poll(30, TimeUnit.SECONDS), "delivered to the subscriber");
        }

        @Override
        public void close() throws MqttException {
            for (MqttClient client : List.of(publisher, subscriber)) {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        }
    }

    private static String maps(Process process) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(process.pid()), "maps"), StandardCharsets.UTF_8);
    }

    private void signal(String name, Process process) throws IOException, InterruptedException {
        Run kill = run(dir, List.of("kill", "-" + name, Long.toString(process.pid())));
        assertEquals(0, kill.exitCode, kill.toString());
    }

    private static void waitFor(BooleanSupplier condition, String what, Started broker) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + broker.log());
            }
            TimeUnit.MILLISECONDS.sleep(50); // Polls the condition; the deadline bounds the wait.
        }
    }

    private record Run(int exitCode, String output, List<String> command) {
        @Override
        public String toString() {
            return command + " exit " + exitCode + ":\n" + output;
        }
    }

    /** Runs {@code command} in {@code workDir} with stdout and stderr together. */
    private static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        ProcessBuilder builder =
                new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("CAIRN_JAVA_OPTS");
        builder.environment().remove("CAIRN_JAR");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), cmd + " did not finish");
        return new Run(process.exitValue(), output, Arrays.asList(cmd.toArray(String[]::new)));
    }
}
