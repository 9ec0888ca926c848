package dev.cairn.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.ConfigException;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the password file is read at start, where a bad one stops the broker naming file and
 * line, and again on reload, where a bad one keeps the users loaded before (logged at ERROR
 * naming file and line) so that clients keep logging in. Method: real files in a temporary
 * directory.
 */
class PasswordStoreTest {
    @TempDir
    Path dir;

    private static String entry(String user, String password) {
        return user + ":"
                + PasswordHash.pbkdf2(password.toCharArray(), 100, new SecureRandom())
                        .encoded() + "\n";
    }

    private static boolean matches(PasswordStore store, String user, String password) {
        PasswordFile file = store.current().file();
        return file.get(user) != null && file.get(user).matches(password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBadFileAtStartIsAConfigErrorNamingTheFileAndTheLine() throws IOException {
        Path path = dir.resolve("passwd");
        Files.writeString(path, entry("alice", "a") + "bob:hunter2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PasswordStore.open(path));
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the bad line's secret is not echoed: " + e.getMessage());

        ConfigException missing = assertThrows(ConfigException.class, () -> PasswordStore.open(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("none"), missing.getMessage());
    }

    @Test
    void aReloadReadsTheNewUsersAndMovesTheGeneration() throws IOException {
        Path path = dir.resolve("passwd");
        Files.writeString(path, entry("alice", "a"));
        PasswordStore store = PasswordStore.open(path);
        long before = store.current().generation();

        Files.writeString(path, entry("alice", "a2") + entry("bob", "b"));
        assertTrue(store.reload());

        assertEquals(2, store.users());
        assertTrue(matches(store, "alice", "a2"));
        assertFalse(matches(store, "alice", "a"));
        assertTrue(store.current().generation() > before);
    }

    @Test
    @ExpectedErrorLog("line 3")
    void aReloadOfABrokenFileKeepsTheOldUsersAndLogsTheFileAndLine() throws IOException {
        Path path = dir.resolve("passwd");
        Files.writeString(path, entry("alice", "a"));
        PasswordStore store = PasswordStore.open(path);
        long before = store.current().generation();

        Files.writeString(path, "# edited\n" + entry("alice", "new") + "bob:$7$x$y$z\n");
        assertFalse(store.reload());

        assertTrue(matches(store, "alice", "a"), "the users loaded before stay in force");
        assertFalse(matches(store, "alice", "new"));
        assertEquals(before, store.current().generation(), "the cache stays valid too");
    }
}
