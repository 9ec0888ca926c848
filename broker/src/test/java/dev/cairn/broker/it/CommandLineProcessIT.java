package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.KeyType;
import dev.cairn.protocol.CairnVersion;
import dev.cairn.storage.index.OldIndexFormats;
import dev.cairn.storage.index.RocksIndexStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the broker's command line as a user meets it, in a JVM of its own: {@code --help} and
 * {@code --version} print and exit 0 without touching a data directory; a bad argument exits 2
 * with a message on stderr that names the option (or the key) and no broker starts; a data
 * directory the store refuses exits 1 with the store's message.
 */
class CommandLineProcessIT {
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void helpPrintsTheOptionsAndExitsZero() throws Exception {
        Run run = run("--help");

        assertEquals(0, run.exitCode, run.toString());
        for (String option : new String[] {
            "--config FILE", "--bind ADDR", "--port N", "--data-dir DIR", "--set key=value", "--version"
        }) {
            assertTrue(run.stdout.contains(option), option + " missing from " + run);
        }
        assertTrue(run.stderr.isEmpty(), run.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "--help opens no data directory");
    }

    @Test
    void versionPrintsTheProjectVersionAndExitsZero() throws Exception {
        Run run = run("--version");

        assertEquals(0, run.exitCode, run.toString());
        assertEquals(
                "Cairn " + CairnVersion.get(),
                run.stdout.strip(),
                "the version ConfigLoaderTest checks against the POM");
        assertTrue(!Files.exists(dir.resolve("data")), "--version opens no data directory");
    }

    @Test
    void anUnknownOptionExitsTwoNamingIt() throws Exception {
        Run run = run("--prot", "1884");

        assertEquals(2, run.exitCode, run.toString());
        assertTrue(run.stderr.lines().findFirst().orElse("").contains("'--prot'"), run.toString());
        assertTrue(run.stderr.contains("cairn --help"), "points at --help: " + run);
        assertTrue(!Files.exists(dir.resolve("data")), "no broker started");
    }

    /** Defect 2: a broker bound to every address with the defaults let anyone in. */
    @Test
    void aNonLoopbackBindWithoutCredentialsOrExplicitAnonymousExitsTwoNamingTheKeys() throws Exception {
        Run run = run("--bind", "0.0.0.0", "--port", "0");

        assertEquals(2, run.exitCode, run.toString());
        String error = run.stderr.lines().findFirst().orElse("");
        assertTrue(error.contains("password_file") && error.contains("allow_anonymous = true"), run.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no broker started");
    }

    @Test
    void aBadValueExitsTwoNamingTheOptionOrKey() throws Exception {
        Run port = run("--port", "eighteen");
        assertEquals(2, port.exitCode, port.toString());
        String error = port.stderr.lines().findFirst().orElse("");
        assertTrue(
                error.startsWith("cairn: ") && error.contains("--port") && error.contains("eighteen"), port.toString());

        Run qos = run("--set", "qos_max=3");
        assertEquals(2, qos.exitCode, qos.toString());
        assertTrue(qos.stderr.contains("qos_max must be between 0 and 2"), qos.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no broker started");
    }

    /**
     * Listener mistakes exit 2 naming the key, before a data directory is made: two listeners on
     * one port, a TLS listener without its certificate, a certificate file that holds none, and a
     * WebSocket path without its leading '/'.
     */
    @Test
    void listenerMistakesExitTwoNamingTheKey() throws Exception {
        Run shared = run("--port", "18830", "--set", "listener.plant.port=18830");
        assertEquals(2, shared.exitCode, shared.toString());
        assertTrue(
                shared.stderr.contains("listeners default (127.0.0.1:18830) and plant (127.0.0.1:18830)"),
                shared.toString());

        Run noCert = run("--set", "listener.plant.type=tls", "--set", "listener.plant.port=8883");
        assertEquals(2, noCert.exitCode, noCert.toString());
        assertTrue(noCert.stderr.contains("listener.plant.certfile is required"), noCert.toString());

        Path notACert = Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "hello\n");
        Run badCert = run(
                "--set",
                "listener.plant.type=tls",
                "--set",
                "listener.plant.port=8883",
                "--set",
                "listener.plant.certfile=" + notACert,
                "--set",
                "listener.plant.keyfile=" + key);
        assertEquals(2, badCert.exitCode, badCert.toString());
        assertTrue(badCert.stderr.contains("listener.plant.certfile: " + notACert), badCert.toString());

        Run ws = run(
                "--set", "listener.web.type=ws", "--set", "listener.web.port=8080", "--set", "listener.web.path=mqtt");
        assertEquals(2, ws.exitCode, ws.toString());
        assertTrue(ws.stderr.contains("listener.web.path must start with '/'"), ws.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no broker started");
    }

    /**
     * {@code tls_provider = openssl} where Netty's OpenSSL engine cannot load (here: switched off
     * with Netty's own property, as when its native library cannot be loaded) exits 2 naming the
     * key, before a data directory is made; the same listener on the JDK's engine starts.
     */
    @Test
    void anOpenSslProviderThatCannotLoadExitsTwoNamingTheKey() throws Exception {
        TestPki.writeServerFiles(dir, TestPki.ca("cli-ca", KeyType.EC), KeyType.EC);
        Path conf = Files.writeString(dir.resolve("plant.conf"), "durability = process\n");
        String[] listener = {
            "--set",
            "listener.plant.type=tls",
            "--set",
            "listener.plant.port=0",
            "--set",
            "listener.plant.certfile=" + dir.resolve("server.pem"),
            "--set",
            "listener.plant.keyfile=" + dir.resolve("server.key"),
            "--set",
            "listener.plant.tls_provider=openssl",
            "--check-config",
            conf.toString()
        };
        Run refused = run(List.of("-Dio.netty.handler.ssl.noOpenSsl=true"), listener);
        assertEquals(2, refused.exitCode, refused.toString());
        assertTrue(
                refused.stderr.contains(
                        "listener.plant.tls_provider = openssl, but Netty's OpenSSL engine cannot be" + " loaded here"),
                refused.toString());
        Run loads = run(List.of(), listener);
        assertEquals(0, loads.exitCode, loads.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no data directory opened");
    }

    /**
     * {@code --check-config FILE}: exit 0 for a config the broker accepts, exit 2 with every
     * problem on stderr (each naming its key or file, the password file's included), and in both
     * cases no listener and no data directory.
     */
    @Test
    void checkConfigExitsZeroWhenFineAndTwoListingEveryProblem() throws Exception {
        Path good = Files.writeString(dir.resolve("good.conf"), "port = 1\ndurability = process\n");
        Run fine = run("--check-config", good.toString());
        assertEquals(0, fine.exitCode, fine.toString());
        assertEquals(good + ": configuration OK", fine.stdout.strip(), fine.toString());

        Path bad = Files.writeString(
                dir.resolve("bad.conf"),
                "port = 70000\nqueue_overflow = drop-old\nlistener.plant.type = tls\nlistener.plant.port = 8883\n");
        Run problems = run("--check-config", bad.toString());
        assertEquals(2, problems.exitCode, problems.toString());
        List<String> lines = problems.stderr.lines().toList();
        assertEquals(
                List.of(
                        "cairn: port must be between 0 and 65535, got 70000",
                        "cairn: listener.plant.certfile is required for a TLS listener",
                        "cairn: listener.plant.keyfile is required for a TLS listener",
                        "cairn: queue_overflow must be 'reject' or 'drop-new', got 'drop-old'",
                        "cairn: " + bad + ": 4 problems"),
                lines,
                problems.toString());

        Run noPasswords = run("--check-config", good.toString(), "--set", "password_file=" + dir.resolve("none"));
        assertEquals(2, noPasswords.exitCode, noPasswords.toString());
        assertTrue(noPasswords.stderr.contains(dir.resolve("none").toString()), noPasswords.toString());

        Run both = run("--check-config", good.toString(), "--config", good.toString());
        assertEquals(2, both.exitCode, both.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no data directory opened");
    }

    /**
     * A bridge's TLS files: the loader names each missing one, and the certificates and keys of
     * files that exist are read as the broker would read them (every bridge's first problem).
     */
    @Test
    void checkConfigListsTheProblemsOfBridgeTlsFiles() throws Exception {
        Path missing = dir.resolve("missing-ca.pem");
        Path noKey = Files.writeString(
                dir.resolve("no-key.conf"),
                "bridge.central.address = central.example:8883\nbridge.central.topic.1 = # out 1\n"
                        + "bridge.central.cafile = " + missing + "\n"
                        + "bridge.central.certfile = " + missing + "\n");
        Run files = run("--check-config", noKey.toString());
        assertEquals(2, files.exitCode, files.toString());
        assertEquals(
                List.of(
                        "cairn: bridge.central.cafile: " + missing + " does not exist or is not a file",
                        "cairn: bridge.central.certfile: " + missing + " does not exist or is not a file",
                        "cairn: bridge.central.certfile and bridge.central.keyfile go together: the bridge presents"
                                + " a certificate only with its key",
                        "cairn: " + noKey + ": 3 problems"),
                files.stderr.lines().toList(),
                files.toString());

        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        Path contents = Files.writeString(
                dir.resolve("contents.conf"),
                "bridge.a.address = a.example:8883\nbridge.a.topic.1 = a/# out 1\nbridge.a.cafile = " + junk + "\n"
                        + "bridge.b.address = b.example:8883\nbridge.b.topic.1 = b/# out 1\nbridge.b.cafile = "
                        + junk + "\n");
        Run read = run("--check-config", contents.toString());
        assertEquals(2, read.exitCode, read.toString());
        List<String> lines = read.stderr.lines().toList();
        assertEquals(3, lines.size(), read.toString());
        assertTrue(lines.get(0).startsWith("cairn: bridge.a.cafile: " + junk), read.toString());
        assertTrue(lines.get(1).startsWith("cairn: bridge.b.cafile: " + junk), read.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no data directory opened");
    }

    /** A broker must not start with rules other than the ones the operator wrote. */
    @Test
    void aBadAclFileExitsTwoNamingTheFileAndLine() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), "user alice\ntopic read plant/#\ntopic raed office/#\n");

        Run run = run("--port", "0", "--set", "acl_file=" + acl);

        assertEquals(2, run.exitCode, run.toString());
        assertTrue(run.stderr.contains("cairn: ACL file " + acl + ", line 3: unknown access 'raed'"), run.toString());
        assertTrue(!Files.exists(dir.resolve("data")), "no data directory opened");
    }

    /** A damaged index is refused at start (the index is derived: the message says to delete it). */
    @Test
    void aCorruptIndexExitsOneNamingTheIndexDirectoryAndTheProblem() throws Exception {
        Path data = dir.resolve("data");
        RocksIndexStore.open(data.resolve("index")).close();
        OldIndexFormats.writeFormatValue(data.resolve("index"), new byte[0]);

        Run run = run("--port", "0", "--set", "admin.port=0", "--data-dir", data.toString());

        assertEquals(1, run.exitCode, run.toString());
        assertTrue(
                (run.stdout + run.stderr)
                        .contains("the index in " + data.resolve("index")
                                + " is corrupt: its format value is empty; delete the directory"),
                run.toString());
    }

    /** Runs {@code dev.cairn.broker.Main} on this test's classpath with {@code dir} as its working directory. */
    private Run run(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    /** {@link #run(String...)} with {@code jvmOptions} before the class path. */
    private Run run(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.cairn.broker.Main"));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the broker did not exit within " + EXIT_TIMEOUT_SECONDS + " s for "
                    + List.of(args) + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
