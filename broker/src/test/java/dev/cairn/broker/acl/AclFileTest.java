package dev.cairn.broker.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: Cairn reads an ACL file written for mosquitto's {@code acl_file} as mosquitto documents
 * it, and refuses a file it would read differently, naming the file and the line. Method: parse
 * texts and compare the sections and rules; for bad lines, compare the error's line number and
 * message.
 */
class AclFileTest {

    /**
     * The example ACL file mosquitto ships as {@code aclfile.example} (Debian package
     * {@code mosquitto}, {@code /usr/share/doc/mosquitto/examples/aclfile.example}), as is.
     */
    static final String MOSQUITTO_EXAMPLE = "# This affects access control for clients with no username.\n"
            + "topic read $SYS/#\n"
            + "\n"
            + "# This only affects clients with username \"roger\".\n"
            + "user roger\n"
            + "topic foo/bar\n"
            + "\n"
            + "# This affects all clients.\n"
            + "pattern write $SYS/broker/connection/%c/state\n";

    @Test
    void mosquittosExampleFileIsAcceptedAsIs() {
        AclFile file = AclFile.parse(MOSQUITTO_EXAMPLE, "aclfile.example");

        assertEquals(List.of(new AclRule(Access.READ, "$SYS/#", 2)), file.anonymous());
        assertEquals(Map.of("roger", List.of(new AclRule(Access.READWRITE, "foo/bar", 6))), file.users());
        assertEquals(List.of(new AclRule(Access.WRITE, "$SYS/broker/connection/%c/state", 9)), file.patterns());
    }

    @Test
    void theManPagesPatternExampleIsAccepted() {
        // man mosquitto.conf, "acl_file": "pattern write sensor/%u/data".
        AclFile file = AclFile.parse("pattern write sensor/%u/data\n", "man page");

        assertEquals(List.of(new AclRule(Access.WRITE, "sensor/%u/data", 1)), file.patterns());
    }

    @Test
    void everyAccessWordAndTheDefaultAreRead() {
        AclFile file =
                AclFile.parse("user u\ntopic read a\ntopic write b\ntopic readwrite c\ntopic deny d\ntopic e\n", "acl");

        assertEquals(
                List.of(
                        new AclRule(Access.READ, "a", 2),
                        new AclRule(Access.WRITE, "b", 3),
                        new AclRule(Access.READWRITE, "c", 4),
                        new AclRule(Access.DENY, "d", 5),
                        new AclRule(Access.READWRITE, "e", 6)),
                file.users().get("u"));
    }

    @Test
    void patternsApplyToEveryoneWhereverTheyStandAndUserSectionsWithOneNameAreJoined() {
        AclFile file = AclFile.parse(
                "topic read anon\nuser a\ntopic x\npattern read p/%u\nuser b\ntopic y\nuser a\ntopic z\n", "acl");

        assertEquals(List.of(new AclRule(Access.READ, "anon", 1)), file.anonymous());
        assertEquals(
                List.of(new AclRule(Access.READWRITE, "x", 3), new AclRule(Access.READWRITE, "z", 8)),
                file.users().get("a"));
        assertEquals(
                List.of(new AclRule(Access.READWRITE, "y", 6)), file.users().get("b"));
        assertEquals(List.of(new AclRule(Access.READ, "p/%u", 4)), file.patterns());
    }

    @Test
    void commentsBlankLinesSurroundingSpaceAndWindowsLineEndsAreIgnored() {
        AclFile file = AclFile.parse("# comment\r\n\r\n   \r\n  # indented comment\r\n  topic read   a/b  \r\n", "acl");

        assertEquals(List.of(new AclRule(Access.READ, "a/b", 5)), file.anonymous());
        assertEquals(1, file.ruleCount());
    }

    @Test
    void aFilterWithSpacesIsTheRestOfTheLineAfterTheAccessWord() {
        AclFile file = AclFile.parse("user Jane Doe\ntopic read room 1/temp erature\n", "acl");

        assertEquals(
                List.of(new AclRule(Access.READ, "room 1/temp erature", 2)),
                file.users().get("Jane Doe"));
    }

    @Test
    void aFilterNamedLikeAnAccessWordAloneIsAMissingFilter() {
        AclFileException e = assertThrows(AclFileException.class, () -> AclFile.parse("topic read\n", "acl"));

        assertEquals("ACL file acl, line 1: 'topic read' needs a topic filter after the access word", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "topik read a          | unknown keyword 'topik'; expected user, topic or pattern",
                "user                  | 'user' needs a username",
                "topic                 | 'topic' needs a topic filter",
                "pattern               | 'pattern' needs a topic filter",
                "topic reed a/b        | unknown access 'reed'",
                "topic read a/#/b      | invalid topic filter 'a/#/b': [MQTT-4.7.1-1]",
                "topic write a+        | invalid topic filter 'a+': [MQTT-4.7.1-2]",
                "pattern read a/b#     | invalid topic filter 'a/b#': [MQTT-4.7.1-1]",
                "topic read $share/g/a | is a shared subscription",
            })
    void aBadLineIsRefusedWithItsFileAndLineNumber(String line, String problem) {
        String text = "# rules\ntopic read ok/#\n" + line + "\ntopic read fine\n";

        AclFileException e = assertThrows(AclFileException.class, () -> AclFile.parse(text, "/etc/cairn/acl"));

        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("ACL file /etc/cairn/acl, line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8OrMissingIsRefusedByName(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.acl");
        Files.write(latin1, "user j\u00f6rg\n".getBytes(StandardCharsets.ISO_8859_1));
        Path missing = dir.resolve("missing.acl");

        AclFileException bad = assertThrows(AclFileException.class, () -> AclFile.read(latin1));
        AclFileException gone = assertThrows(AclFileException.class, () -> AclFile.read(missing));

        assertEquals("ACL file " + latin1 + ": not valid UTF-8", bad.getMessage());
        assertTrue(gone.getMessage().startsWith("ACL file " + missing + ": cannot be read"), gone.getMessage());
    }
}
