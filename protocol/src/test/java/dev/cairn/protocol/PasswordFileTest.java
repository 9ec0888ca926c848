package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: Cairn reads mosquitto's password files as they are and writes entries mosquitto reads.
 * Method: lines written by mosquitto_passwd 2.0 (Debian's package, recorded once: {@code -c},
 * {@code -b}, {@code -H sha512}, a non-ASCII and an empty password) verified with the right and a
 * wrong password; broken lines rejected with their line number. A live run of mosquitto_passwd
 * and of the mosquitto broker is in the broker's and the tools' integration tests.
 */
class PasswordFileTest {
    /** mosquitto_passwd -c -b pw alice secret; -b pw bob pw2; -H sha512 -b pw carol c3. */
    private static final List<String> MOSQUITTO_FILE = List.of(
            "alice:$7$101$oFfC2vVIEiBlBXvi$KFq/PKNffzJtsujCyOcLruio6LpwalOOPY5jUamSn2nCTxiU5P3tHAail/ka4e6rO67iyrbpnb40xSJZtSrSBQ==",
            "bob:$7$101$dLoteXUTGXVz5H48$nA+IqBAEvC0TGSEgThPqlZ9PFJ1LJvHcc+D8Gruh1EoccPM5ZpCL1LClKDZmvs6zwmvh3wjR+VnUn2O0lQ5o+A==",
            "carol:$6$lwreYA8sSnniDNdS$v3fMkqNulo+OyP0q2ViUM039jccnv5qBOO8n/MSQ1yk0g9LwyHtSHzmWc8ztHdsl5oOiFOPticsHRw7PH8TDaw==",
            // printf 'tty-pass\ntty-pass\n' | mosquitto_passwd -c pw2 dave (the prompt read from stdin)
            "dave:$7$101$fPibpFP7SfYFCazY$Hk8FI3M1IsmiWjeCyZf9LddCYG1YYp9idhggBA9O+wJYGAQJDbfEaxh6EwC0cs7dJNfViBOHy5ThnXY/7ICgnw==",
            "erin:$7$101$4X+/xOgX+LEJOJm7$/t6qn/BYdrd28uYAI3MHuhGVyg9uu8oty7cRQfSWiYhP3654Ry8WCE/hgMOy720n1aoCfUlMXwsu2qenU9omuQ==",
            "frank:$7$101$9rcsiFMKvbC7ESsv$e1pNGjdcYSLewbQTa+BICLmOeYPRaYGky7Rq4KCF6/6O1BZE3GegZfEmeXXWUozkgDJoa+nf61Pr4j/Hg8BNFA==");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void entriesWrittenByMosquittoPasswdMatchTheirPasswordsAndNoOther() {
        PasswordFile file = PasswordFile.parse(MOSQUITTO_FILE);
        assertEquals(6, file.size());
        String[][] cases = {
            {"alice", "secret"}, {"bob", "pw2"}, {"carol", "c3"}, {"dave", "tty-pass"}, {"erin", "é-ünï"}, {"frank", ""}
        };
        for (String[] c : cases) {
            PasswordHash hash = file.get(c[0]);
            assertTrue(hash.matches(utf8(c[1])), c[0] + " with the right password");
            assertFalse(hash.matches(utf8(c[1] + "x")), c[0] + " with a wrong password");
            assertFalse(hash.matches(utf8("secret-of-someone-else")), c[0]);
        }
        assertEquals(101, file.get("alice").iterations());
        assertEquals(0, file.get("carol").iterations(), "$6$ has no iteration count");
        assertNull(file.get("mallory"));
    }

    @Test
    void passwordBytesThatAreNotUtf8MatchNothing() {
        PasswordHash replacement = PasswordHash.pbkdf2("\uFFFD".toCharArray(), 10, new SecureRandom());
        assertTrue(replacement.matches(utf8("\uFFFD")));
        assertFalse(replacement.matches(new byte[] {(byte) 0xFF}), "not decoded with a replacement character");
        assertFalse(replacement.matches(new byte[] {(byte) 0xC3}));
    }

    @Test
    void cairnWritesPbkdf2EntriesWithAPerEntrySaltAndTheIterationCountInTheEntry() {
        SecureRandom random = new SecureRandom();
        PasswordHash one = PasswordHash.pbkdf2("s3cret".toCharArray(), 1000, random);
        PasswordHash two = PasswordHash.pbkdf2("s3cret".toCharArray(), 1000, random);
        assertTrue(one.encoded().startsWith("$7$1000$"), one.encoded());
        assertFalse(one.encoded().equals(two.encoded()), "a fresh salt per entry");
        PasswordHash read = PasswordHash.parse(one.encoded());
        assertTrue(read.matches(utf8("s3cret")));
        assertFalse(read.matches(utf8("s3creT")));
        assertEquals(one.encoded(), read.encoded(), "the text round-trips");
    }

    @Test
    void editingKeepsCommentsAndOtherUsersAndReplacesInPlace() {
        PasswordFile file =
                PasswordFile.parse(List.of("# site users", MOSQUITTO_FILE.get(0), "", MOSQUITTO_FILE.get(1)));
        PasswordHash newAlice = PasswordHash.pbkdf2("new".toCharArray(), 10, new SecureRandom());
        PasswordFile edited = file.with("alice", newAlice).without("bob").with("zoe", newAlice);
        assertEquals(
                "# site users\nalice:" + newAlice.encoded() + "\n\nzoe:" + newAlice.encoded() + "\n", edited.text());
        assertTrue(edited.get("alice").matches(utf8("new")));
        assertNull(edited.get("bob"));
    }

    @Test
    void aBadLineIsRefusedWithItsLineNumberAndWithoutTheHashText() {
        String[][] bad = {
            {"nocolon", "expected user:hash"},
            {":$6$abcd$x", "expected user:hash"},
            {"u:plaintext", "not a hashed password"},
            {"u:$7$many$c2FsdA==$aGFzaA==", "not a number"},
            {"u:$7$0$c2FsdA==$aGFzaA==", "iteration count"},
            {"u:$7$10$c2FsdA==", "$7$ITERATIONS$SALT$HASH"},
            {"u:$6$!!!$aGFzaA==", "salt is not valid Base64"},
            {"u:$6$c2FsdA==$aGFzaA==", "the hash must be 64 bytes"},
            {MOSQUITTO_FILE.get(0).replace("alice", "bob"), "appears twice"}
        };
        for (String[] c : bad) {
            PasswordFile.Invalid e = assertThrows(
                    PasswordFile.Invalid.class,
                    () -> PasswordFile.parse(List.of("# header", MOSQUITTO_FILE.get(1), c[0])));
            assertEquals(3, e.line(), c[0]);
            assertTrue(e.getMessage().startsWith("line 3: ") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void userNamesThatWouldBreakTheFileAreRefused() {
        for (String name : new String[] {"", "a:b", "a\nb", "#admin"}) {
            assertThrows(IllegalArgumentException.class, () -> PasswordFile.checkUserName(name), name);
        }
        PasswordFile.checkUserName("sensor-7@site.example");
    }

    /**
     * SCRAM lines: read back as written, counted only while bound to the user's entry (a file
     * where mosquitto_passwd changed the password keeps the line, which then no longer counts),
     * ignored for users without an entry, and a broken one refused with its line number and
     * without its keys.
     */
    @Test
    void scramLinesAreBoundToTheUsersEntryAndBrokenOnesAreRefusedWithTheirLine() {
        SecureRandom random = new SecureRandom();
        PasswordHash entry = PasswordHash.pbkdf2("pw".toCharArray(), 10, random);
        ScramCredential c256 =
                ScramCredential.derive(ScramCredential.Mechanism.SCRAM_SHA_256, "pw".toCharArray(), 100, entry, random);
        PasswordFile file =
                PasswordFile.parse(List.of("# users")).with("alice", entry).withScram("alice", c256);
        assertEquals(
                List.of("# users", "alice:" + entry.encoded(), c256.encoded("alice")),
                file.text().lines().toList());
        PasswordFile read = PasswordFile.parse(file.text().lines().toList());
        ScramCredential back = read.scram("alice", ScramCredential.Mechanism.SCRAM_SHA_256);
        assertEquals(100, back.iterations());
        assertTrue(java.util.Arrays.equals(c256.storedKey(), back.storedKey()));
        assertNull(read.scram("alice", ScramCredential.Mechanism.SCRAM_SHA_512));
        assertEquals(1, read.size(), "a SCRAM line is no user");

        // The entry replaced behind Cairn's back, as mosquitto_passwd -b does: the line stays, unbound.
        PasswordHash other = PasswordHash.pbkdf2("new".toCharArray(), 10, random);
        PasswordFile replaced = PasswordFile.parse(List.of("alice:" + other.encoded(), c256.encoded("alice")));
        assertNull(replaced.scram("alice", ScramCredential.Mechanism.SCRAM_SHA_256));
        assertNull(PasswordFile.parse(List.of(c256.encoded("alice")))
                .scram("alice", ScramCredential.Mechanism.SCRAM_SHA_256));

        String storedKey = java.util.Base64.getEncoder().encodeToString(c256.storedKey());
        PasswordFile.Invalid broken = assertThrows(
                PasswordFile.Invalid.class,
                () -> PasswordFile.parse(
                        List.of("alice:" + entry.encoded(), "#scram-sha-256:alice:x:AA==:" + storedKey)));
        assertEquals(2, broken.line());
        assertFalse(broken.getMessage().contains(storedKey), broken.getMessage());
        PasswordFile.Invalid twice = assertThrows(
                PasswordFile.Invalid.class,
                () -> PasswordFile.parse(List.of(c256.encoded("alice"), c256.encoded("alice"))));
        assertEquals(2, twice.line());
        // A comment that merely looks similar is still a comment.
        assertEquals(0, PasswordFile.parse(List.of("#scram users follow")).size());
    }
}
