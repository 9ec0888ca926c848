package dev.cairn.broker.acl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the ACL store loads the acl_file at start (refusing a bad one), and a reload puts new
 * rules in force or, when the new file does not parse, keeps the old ones and says why at ERROR
 * with the file and line. Method: write files in a temporary directory, open, rewrite, reload.
 */
class AclStoreTest {

    @TempDir
    Path dir;

    private static TopicName topic(String t) throws Exception {
        return TopicName.parse(t, TopicLimits.PROTOCOL);
    }

    @Test
    void noFileMeansEverythingIsAllowedAndReloadDoesNothing() {
        AclStore store = AclStore.open(null);

        assertSame(TopicAcl.ALLOW_ALL, store.current());
        assertTrue(store.reload());
        assertSame(TopicAcl.ALLOW_ALL, store.current());
    }

    @Test
    void aBadFileAtStartIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic read a\nuser\n");

        AclFileException e = assertThrows(AclFileException.class, () -> AclStore.open(file));

        assertTrue(e.getMessage().equals("ACL file " + file + ", line 2: 'user' needs a username"), e.getMessage());
    }

    @Test
    void reloadPutsTheNewRulesInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic read a\n");
        AclStore store = AclStore.open(file);
        assertTrue(store.current().canRead(null, "c", topic("a")));

        Files.writeString(file, "topic read b\n");
        assertTrue(store.reload());

        assertFalse(store.current().canRead(null, "c", topic("a")));
        assertTrue(store.current().canRead(null, "c", topic("b")));
    }

    @Test
    @ExpectedErrorLog("line 3: unknown access 'raed'; expected read, write, readwrite or deny")
    void aReloadOfABadFileKeepsTheOldRules() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic read a\n");
        AclStore store = AclStore.open(file);
        TopicAcl before = store.current();

        Files.writeString(file, "topic read b\n\ntopic raed a c\n");
        assertFalse(store.reload());

        assertSame(before, store.current());
        assertTrue(store.current().canRead(null, "c", topic("a")));
        assertFalse(store.current().canRead(null, "c", topic("b")));
    }

    @Test
    @ExpectedErrorLog("cannot be read")
    void aReloadOfAVanishedFileKeepsTheOldRules() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic read a\n");
        AclStore store = AclStore.open(file);
        Files.delete(file);

        assertFalse(store.reload());

        assertTrue(store.current().canRead(null, "c", topic("a")));
    }
}
