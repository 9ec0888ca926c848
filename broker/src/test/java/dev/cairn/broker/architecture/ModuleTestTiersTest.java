package dev.cairn.broker.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the two test tiers hold in every module (CONTRIBUTING.md, "Two tiers of tests"): storage,
 * protocol, tools and benchmarks as well as the broker, whose compiled classes {@link TestTiersTest}
 * also checks. A class named {@code *Test} (surefire, {@code mvn test}) starts no broker, child
 * JVM or process and opens no socket; a class named {@code *IT} (failsafe, {@code mvn verify})
 * does; every class with tests has one of the two names; and every module with {@code *IT}
 * classes declares the failsafe plugin, without which they would never run. Method: read each
 * module's {@code src/test/java} without comments and string literals and look for the names
 * of the classes that start brokers, processes or sockets, and of the test helpers that use
 * them (to a fixpoint: a helper using such a helper counts too).
 */
class ModuleTestTiersTest {
    /** Names whose use means a broker, a child JVM, another process or a socket. */
    private static final Set<String> MARKERS = Set.of(
            "TestBroker",
            "ChildBroker",
            "FastWallClockBroker",
            "LiveBroker",
            "RawMqttClient",
            "WireHarness",
            "CrashChild",
            "SmallFileSystem",
            "BrokerUnderTest",
            "LoadGenerator",
            "ProcessBuilder",
            "Process",
            "Socket",
            "ServerSocket",
            "SocketChannel",
            "ServerSocketChannel",
            "DatagramSocket",
            "MqttClient",
            "MqttAsyncClient",
            "Mqtt3Client",
            "Mqtt5Client",
            "Mqtt3AsyncClient",
            "Mqtt5AsyncClient",
            "Mqtt3BlockingClient",
            "Mqtt5BlockingClient");

    private static final Pattern MARKER_CALLS =
            Pattern.compile("getRuntime\\(\\)\\s*\\.\\s*exec\\b|\\bnew\\s+Broker\\s*\\(");
    private static final Pattern TEST_ANNOTATION =
            Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");
    /** A comment, or a string, text block or char literal (group 1): what the scan leaves out. */
    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|(\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*')",
            Pattern.DOTALL);

    private static Path root;
    /** Every src/test/java file of every module, by path, as code without comments and literals. */
    private static final Map<Path, String> sources = new LinkedHashMap<>();
    /** Simple names of the test classes and helpers that use a marker, directly or through a helper. */
    private static Set<String> integration;

    @BeforeAll
    static void readTestSources() throws IOException {
        root = parentPomDirectory();
        for (Path module : modules()) {
            try (Stream<Path> files = Files.walk(module.resolve("src/test/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                        .sorted()
                        .toList()) {
                    sources.put(f, code(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        assertTrue(
                sources.keySet().stream().anyMatch(p -> p.endsWith("dev/cairn/storage/KillNineIT.java")),
                "storage's test sources were not read: " + sources.size() + " files");
        integration = integrationNames();
    }

    @Test
    void unitTestsStartNoBrokerProcessOrSocket() {
        List<String> offending = new ArrayList<>();
        testClasses()
                .filter(f -> name(f).endsWith("Test") && integration.contains(name(f)))
                .forEach(f -> offending.add(root.relativize(f) + " uses " + markersIn(f)));
        assertNone(
                offending,
                "classes named *Test are unit tests (mvn test); these start a broker, a child JVM "
                        + "or a process or open a socket: name them *IT");
    }

    @Test
    void integrationTestsStartABrokerProcessOrSocket() {
        List<String> offending = new ArrayList<>();
        testClasses()
                .filter(f -> name(f).endsWith("IT") && !integration.contains(name(f)))
                .forEach(f -> offending.add(root.relativize(f).toString()));
        assertNone(
                offending,
                "classes named *IT use nothing of a broker, a process or a socket: they are unit "
                        + "tests, name them *Test");
    }

    @Test
    void everyClassWithTestsIsNamedForOneOfTheTwoRunners() {
        List<String> offending = new ArrayList<>();
        testClasses()
                .filter(f -> !name(f).endsWith("Test") && !name(f).endsWith("IT"))
                .forEach(f -> offending.add(root.relativize(f).toString()));
        assertNone(offending, "classes with tests that neither surefire (*Test) nor failsafe (*IT) runs");
    }

    @Test
    void everyModuleWithIntegrationTestsRunsFailsafe() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Path module : modules()) {
            boolean hasIt = testClasses().anyMatch(f -> f.startsWith(module) && name(f).endsWith("IT"));
            String pom = Files.readString(module.resolve("pom.xml"), StandardCharsets.UTF_8);
            if (hasIt && !pom.contains("<artifactId>maven-failsafe-plugin</artifactId>")) {
                offending.add(root.relativize(module) + "/pom.xml");
            }
        }
        assertNone(offending, "modules with *IT classes whose POM does not declare maven-failsafe-plugin");
    }

    /** The directory of the parent POM: the working directory (a module's, under Maven) or above. */
    private static Path parentPomDirectory() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                String text = Files.readString(pom, StandardCharsets.UTF_8);
                if (text.contains("<artifactId>cairn-parent</artifactId>") && text.contains("<modules>")) {
                    return dir;
                }
            }
        }
        throw new AssertionError(
                "no Cairn parent POM at or above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d ->
                            Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src/test/java")))
                    .sorted()
                    .toList();
        }
    }

    private static Stream<Path> testClasses() {
        return sources.entrySet().stream()
                .filter(e -> TEST_ANNOTATION.matcher(e.getValue()).find())
                .map(Map.Entry::getKey);
    }

    /** Fixpoint over all files: a file is integration when it uses a marker or an integration helper. */
    private static Set<String> integrationNames() {
        Set<String> found = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Path, String> e : sources.entrySet()) {
                String name = name(e.getKey());
                if (!found.contains(name) && usesMarker(e.getValue(), name, found)) {
                    found.add(name);
                    grew = true;
                }
            }
        }
        return found;
    }

    private static boolean usesMarker(String code, String self, Set<String> helpers) {
        if (MARKER_CALLS.matcher(code).find()) {
            return true;
        }
        Matcher id = IDENTIFIER.matcher(code);
        while (id.find()) {
            String word = id.group();
            if (MARKERS.contains(word) || (!word.equals(self) && helpers.contains(word))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> markersIn(Path file) {
        Set<String> used = new TreeSet<>();
        Matcher id = IDENTIFIER.matcher(sources.get(file));
        while (id.find()) {
            if (MARKERS.contains(id.group()) || (!id.group().equals(name(file)) && integration.contains(id.group()))) {
                used.add(id.group());
            }
        }
        Matcher call = MARKER_CALLS.matcher(sources.get(file));
        while (call.find()) {
            used.add(call.group());
        }
        return used;
    }

    private static String code(String text) {
        return COMMENT_OR_LITERAL.matcher(text).replaceAll(m -> m.group(1) != null ? "\"\"" : " ");
    }

    private static String name(Path file) {
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - ".java".length());
    }

    private static void assertNone(List<String> problems, String what) {
        assertTrue(problems.isEmpty(), what + ":\n  " + String.join("\n  ", problems));
    }
}
