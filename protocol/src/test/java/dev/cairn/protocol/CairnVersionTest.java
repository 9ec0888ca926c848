package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Goal: the version every {@code --version} prints is the one the parent POM declares, not a copy of it. */
class CairnVersionTest {

    @Test
    void versionIsTheParentPomsProjectVersion() throws IOException {
        String parent = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<artifactId>cairn-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(parent);
        assertTrue(m.find(), "the parent POM declares its version right after its artifactId");
        assertEquals(m.group(1), CairnVersion.get());
    }
}
