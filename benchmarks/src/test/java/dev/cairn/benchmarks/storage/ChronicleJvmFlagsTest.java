package dev.cairn.benchmarks.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Goal: the JMH forks get the same Chronicle flags as everything else. Annotation values must be
 * constants, so {@link ChronicleJvmFlags} repeats the parent POM's {@code chronicle.jvm.args}
 * and {@code chronicle.quiet.props}; this test fails when the two drift apart.
 */
class ChronicleJvmFlagsTest {
    private static List<String> property(String pom, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(pom);
        assertTrue(m.find(), "parent pom has no <" + name + ">");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @Test
    void benchmarkForkFlagsMatchTheParentPom() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        assertEquals(
                List.of(ChronicleJvmFlags.OPEN_REFLECT, ChronicleJvmFlags.EXPORT_NIO, ChronicleJvmFlags.EXPORT_REF),
                property(pom, "chronicle.jvm.args"));
        assertEquals(
                List.of(
                        ChronicleJvmFlags.NO_ANALYTICS,
                        ChronicleJvmFlags.NO_ANNOUNCER,
                        ChronicleJvmFlags.NO_DISK_MONITOR,
                        ChronicleJvmFlags.QUIET_LOG),
                property(pom, "chronicle.quiet.props"));
    }
}
