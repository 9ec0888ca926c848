package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.CairnVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code broker/bin/cairn}, the launcher users start the broker with and the side-by-side runner
 * measures: the real broker behind it, and what it hands the JVM. The broker jar is built in the
 * package phase, so this runs under {@code mvn verify} (the README's test command).
 */
class CairnLauncherIT {
    static final Path LAUNCHER =
            Path.of("..", "broker", "bin", "cairn").toAbsolutePath().normalize();
    static final Path JAR = Path.of("..", "broker", "target", "cairn-broker.jar")
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    @Test
    void startsTheRealBrokerInItsOwnProcessWithTheLauncherSettings() throws Exception {
        assertTrue(
                Files.isRegularFile(JAR), JAR + " is missing: the broker jar is built by `mvn verify` (package phase)");
        BrokerUnderTest.Running broker =
                BrokerUnderTest.cairn(LAUNCHER, JAR, "fsync").start(dir);
        try {
            List<String> cmdline = cmdline(broker.pid());
            // exec: the launched process is the JVM itself, so signals and kill -9 reach the broker.
            assertTrue(cmdline.get(0).endsWith("/bin/java"), cmdline.toString());
            assertTrue(
                    cmdline.containsAll(List.of("-Xmn24m", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString())),
                    cmdline.toString());

            RunResult result = LoadGenerator.run(LoadOptions.parse(new String[] {
                "--port",
                Integer.toString(broker.port()),
                "--broker-pid",
                Long.toString(broker.pid()),
                "--scenario",
                "pairwise",
                "--publishers",
                "2",
                "--qos",
                "1",
                "--duration-seconds",
                "2",
                "--warmup-seconds",
                "1"
            }));
            assertTrue(result.succeeded(), result.error());
            assertTrue(result.metric(Metric.DELIVERED_PER_SECOND) > 0, result.toTable());
            assertEquals(0.0, result.metric(Metric.LOST) + result.metric(Metric.DUPLICATES), result.toTable());
        } finally {
            broker.stop();
        }
        assertEquals(
                0,
                broker.process().exitValue(),
                "SIGTERM to the launched process stops the broker cleanly: " + broker.logTail());
    }

    @Test
    void userOptionsComeAfterOursAndArgumentsGoToTheBroker() throws Exception {
        Path javaHome = fakeJava();
        Path jar = Files.createFile(dir.resolve("broker.jar"));

        Result run = launch(
                Map.of(
                        "JAVA_HOME",
                        javaHome.toString(),
                        "CAIRN_JAR",
                        jar.toString(),
                        "CAIRN_JAVA_OPTS",
                        "-Xmn64m -Xmx512m"),
                "--port",
                "1884",
                "--set",
                "durability=process");

        assertEquals(0, run.exitCode(), run.output());
        List<String> args = run.output().lines().toList();
        assertEquals(
                List.of(
                        "-Xmn24m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TrimNativeHeapInterval=1000",
                        "-Xmn64m",
                        "-Xmx512m",
                        "-jar",
                        jar.toString(),
                        "--port",
                        "1884",
                        "--set",
                        "durability=process"),
                args);
    }

    @Test
    void findsTheJarBesideItselfWhenStartedThroughASymlink() throws Exception {
        assertTrue(
                Files.isRegularFile(JAR), JAR + " is missing: the broker jar is built by `mvn verify` (package phase)");
        Path link = Files.createSymbolicLink(dir.resolve("cairn"), LAUNCHER);

        Result run = launchScript(link, Map.of("JAVA_HOME", fakeJava().toString()));

        assertEquals(0, run.exitCode(), run.output());
        List<String> args = run.output().lines().toList();
        int jarAt = args.indexOf("-jar") + 1;
        assertTrue(jarAt > 0, args.toString());
        assertEquals(JAR, Path.of(args.get(jarAt)).normalize(), args.toString());
    }

    @Test
    void theShadedJarAnswersVersionHelpAndABadOption() throws Exception {
        assertTrue(
                Files.isRegularFile(JAR), JAR + " is missing: the broker jar is built by `mvn verify` (package phase)");

        Result version = launch(Map.of(), "--version");
        assertEquals(0, version.exitCode(), version.output());
        assertEquals(
                "Cairn " + CairnVersion.get(), version.output().strip(), "picocli and version.properties in the jar");

        Result help = launch(Map.of(), "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(
                help.output().contains("--data-dir DIR") && help.output().contains("--set key=value"), help.output());

        Result bad = launch(Map.of(), "--port", "1883", "--dta-dir", "x");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(
                bad.output().startsWith("cairn: Unknown option")
                        && bad.output().lines().findFirst().orElse("").contains("'--dta-dir'"),
                bad.output());
    }

    @Test
    void refusesToStartWithoutTheJarAndSaysHowToBuildIt() throws Exception {
        Result run = launch(Map.of(
                "JAVA_HOME",
                fakeJava().toString(),
                "CAIRN_JAR",
                dir.resolve("absent.jar").toString()));

        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("no broker jar at " + dir.resolve("absent.jar")), run.output());
        assertTrue(run.output().contains("mvn -q -DskipTests package"), run.output());
    }

    /** A JAVA_HOME whose java prints its arguments one per line (and accepts any -version probe). */
    private Path fakeJava() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk").resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\ncase \"$*\" in *-version*) exit 0;; esac\nprintf '%s\\n' \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private record Result(int exitCode, String output) {}

    private static Result launch(Map<String, String> env, String... args) throws Exception {
        return launchScript(LAUNCHER, env, args);
    }

    private static Result launchScript(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", script.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CAIRN_JAVA_OPTS");
        builder.environment().remove("CAIRN_JAR");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        return new Result(process.exitValue(), output);
    }

    private static List<String> cmdline(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }
}
