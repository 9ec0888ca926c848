package dev.cairn.tools.passwd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.ScramCredential;
import dev.cairn.tools.ToolRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn-tools passwd} creates, changes and deletes users the way mosquitto_passwd
 * does ({@code -c}, {@code -b}, {@code -D}, the password from standard input when it is not a
 * terminal), writes {@code $7$} entries with the iteration count asked for, replaces the file
 * atomically with mode 0600 and never prints a password. Method: the command run in-process on
 * files in a temporary directory; the result read back with the broker's parser. That mosquitto
 * itself accepts the file is PasswdMosquittoIT.
 */
class PasswdCommandTest {
    @TempDir
    Path dir;

    private static boolean matches(Path file, String user, String password) throws IOException {
        PasswordFile parsed = PasswordFile.read(file);
        return parsed.get(user) != null && parsed.get(user).matches(password.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoSecret(ToolRun run, String secret) {
        assertFalse(run.out().contains(secret) || run.err().contains(secret), "a password was printed: " + run);
    }

    private static ToolRun withStdin(String input, Object... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return ToolRun.run(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void createAddChangeAndDeleteInBatchMode() throws IOException {
        Path file = dir.resolve("passwd");
        ToolRun created = ToolRun.run("passwd", "-c", "-b", "--iterations", "1000", file, "alice", "s3cret-a");
        assertEquals(0, created.exitCode(), created.toString());
        assertNoSecret(created, "s3cret-a");
        ToolRun added = ToolRun.run("passwd", "-b", "--iterations", "1000", file, "bob", "s3cret-b");
        assertEquals(0, added.exitCode(), added.toString());
        assertTrue(matches(file, "alice", "s3cret-a") && matches(file, "bob", "s3cret-b"));
        List<String> lines = Files.readAllLines(file);
        assertTrue(
                lines.get(0).startsWith("alice:$7$1000$") && lines.get(1).startsWith("bob:$7$1000$"), lines.toString());

        ToolRun changed = ToolRun.run("passwd", "-b", "--iterations", "1000", file, "alice", "n3w");
        assertEquals(0, changed.exitCode(), changed.toString());
        assertTrue(changed.out().contains("changed the password of user 'alice'"), changed.out());
        assertTrue(matches(file, "alice", "n3w") && !matches(file, "alice", "s3cret-a"));
        assertTrue(Files.readAllLines(file).get(0).startsWith("alice:"), "changed in place");

        ToolRun deleted = ToolRun.run("passwd", "-D", file, "alice");
        assertEquals(0, deleted.exitCode(), deleted.toString());
        assertNull(PasswordFile.read(file).get("alice"));
        assertTrue(matches(file, "bob", "s3cret-b"));
    }

    /**
     * --scram adds SCRAM-SHA-256 and SCRAM-SHA-512 lines bound to the new entry, with the
     * iteration count asked for; a change without --scram drops them (they were of the old
     * password) and says so; -D removes them with the user.
     */
    @Test
    void scramCredentialsAreWrittenBesideTheEntryAndGoWithIt() throws IOException {
        Path file = dir.resolve("passwd");
        ToolRun run = ToolRun.run(
                "passwd",
                "-c",
                "-b",
                "--iterations",
                "1000",
                "--scram",
                "--scram-iterations",
                "5000",
                file,
                "alice",
                "s3cret");
        assertEquals(0, run.exitCode(), run.toString());
        assertNoSecret(run, "s3cret");
        assertEquals(
                0,
                ToolRun.run("passwd", "-b", "--iterations", "1000", file, "bob", "b")
                        .exitCode());
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("#scram-sha-256:alice:5000:"), lines.get(1));
        assertTrue(lines.get(2).startsWith("#scram-sha-512:alice:5000:"), lines.get(2));
        PasswordFile parsed = PasswordFile.read(file);
        for (ScramCredential.Mechanism m : ScramCredential.Mechanism.values()) {
            ScramCredential c = parsed.scram("alice", m);
            assertEquals(5000, c.iterations(), m.saslName());
            // What a client that knows the password derives is what was stored.
            ScramCredential fromPassword =
                    ScramCredential.derive(m, "s3cret".toCharArray(), c.salt(), c.iterations(), parsed.get("alice"));
            assertArrayEquals(fromPassword.storedKey(), c.storedKey(), m.saslName());
            assertArrayEquals(fromPassword.serverKey(), c.serverKey(), m.saslName());
            assertNull(parsed.scram("bob", m), "bob was added without --scram");
        }

        ToolRun changed = ToolRun.run("passwd", "-b", "--iterations", "1000", file, "alice", "n3w");
        assertEquals(0, changed.exitCode(), changed.toString());
        assertTrue(changed.out().contains("removed the SCRAM credentials of the old password"), changed.out());
        assertFalse(Files.readString(file).contains("#scram-"), Files.readString(file));

        assertEquals(
                0,
                ToolRun.run("passwd", "-b", "--iterations", "1000", "--scram", file, "alice", "n3w")
                        .exitCode());
        assertEquals(0, ToolRun.run("passwd", "-D", file, "alice").exitCode());
        assertFalse(Files.readString(file).contains("alice"), "-D removes the SCRAM lines too");
        ToolRun bad = ToolRun.run("passwd", "-b", "--scram", "--scram-iterations", "0", file, "carol", "c");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--scram-iterations must be between 1 and"), bad.err());
    }

    @Test
    void theDefaultIterationCountIsStoredInTheEntry() throws IOException {
        Path file = dir.resolve("passwd");
        assertEquals(0, ToolRun.run("passwd", "-c", "-b", file, "alice", "pw").exitCode());
        assertTrue(Files.readString(file).startsWith("alice:$7$210000$"), Files.readString(file));
    }

    @Test
    void aPasswordPipedOnStandardInputIsReadOnceOrTwiceAndMustRepeat() throws IOException {
        Path file = dir.resolve("passwd");
        ToolRun once = withStdin("piped-pw\n", "passwd", "-c", "--iterations", "1000", file, "alice");
        assertEquals(0, once.exitCode(), once.toString());
        assertNoSecret(once, "piped-pw");
        assertTrue(matches(file, "alice", "piped-pw"), "without the line break");

        ToolRun twice = withStdin("pw2\npw2\n", "passwd", "--iterations", "1000", file, "bob");
        assertEquals(0, twice.exitCode(), twice.toString());
        assertTrue(matches(file, "bob", "pw2"));

        String before = Files.readString(file);
        ToolRun mismatch = withStdin("one\ntwo\n", "passwd", "--iterations", "1000", file, "carol");
        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        assertTrue(mismatch.err().contains("do not match"), mismatch.err());
        assertNoSecret(mismatch, "one");
        ToolRun empty = withStdin("", "passwd", file, "carol");
        assertEquals(1, empty.exitCode(), empty.toString());
        assertEquals(before, Files.readString(file), "a failed run changes nothing");
    }

    @Test
    void theFileIsReplacedWholeWithMode0600AndNoTemporaryFileLeft() throws IOException {
        Path file = dir.resolve("passwd");
        assertEquals(
                0,
                ToolRun.run("passwd", "-c", "-b", "--iterations", "10", file, "alice", "a")
                        .exitCode());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(
                0,
                ToolRun.run("passwd", "-b", "--iterations", "10", file, "bob", "b")
                        .exitCode());
        assertEquals(
                "rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "an existing file keeps the mode its owner gave it");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "only the password file");
        }
    }

    @Test
    void mistakesAreRefusedWithoutTouchingTheFile() throws IOException {
        Path file = dir.resolve("passwd");
        ToolRun missing = ToolRun.run("passwd", "-b", file, "alice", "a");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("-c creates it"), missing.err());
        assertFalse(Files.exists(file));

        assertEquals(
                0,
                ToolRun.run("passwd", "-c", "-b", "--iterations", "10", file, "alice", "a")
                        .exitCode());
        String before = Files.readString(file);
        assertEquals(1, ToolRun.run("passwd", "-D", file, "nobody").exitCode());
        assertEquals(2, ToolRun.run("passwd", "-b", file, "alice").exitCode(), "-b without a password");
        assertEquals(2, ToolRun.run("passwd", file, "alice", "pw").exitCode(), "a password without -b");
        assertEquals(2, ToolRun.run("passwd", "-b", file, "a:b", "pw").exitCode(), "':' ends a user name");
        assertEquals(2, ToolRun.run("passwd", "-D", "-c", file, "alice").exitCode());
        Files.writeString(file, before + "broken line\n");
        ToolRun broken = ToolRun.run("passwd", "-b", file, "bob", "b");
        assertEquals(1, broken.exitCode(), broken.toString());
        assertTrue(broken.err().contains("line 2"), broken.err());
        assertEquals(before + "broken line\n", Files.readString(file));
    }
}
