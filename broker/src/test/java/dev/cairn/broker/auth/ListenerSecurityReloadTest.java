package dev.cairn.broker.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.testing.ScramUsers;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.ScramCredential.Mechanism;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a reload of {@code auth_methods} changes the enhanced methods each listener offers, all
 * listeners or none: a configuration that gives methods to a listener that started without a
 * password file, or that cannot be loaded, keeps every listener's methods. Method: {@link
 * ListenerSecurity} opened from a real config and password file, asked what it answers a CONNECT
 * naming each method before and after {@link ListenerSecurity#reloadMethods}.
 */
class ListenerSecurityReloadTest {
    private static final String SHA256 = "SCRAM-SHA-256";
    private static final String SHA512 = "SCRAM-SHA-512";

    @TempDir
    Path dir;

    private Path passwd;

    @BeforeEach
    void writePasswordFile() throws IOException {
        passwd = Files.writeString(
                dir.resolve("passwd"),
                ScramUsers.with(PasswordFile.empty(), "alice", "pw", Mechanism.SCRAM_SHA_256, Mechanism.SCRAM_SHA_512)
                        .text());
    }

    /** The default listener with the password file, and listener plant with none. */
    private BrokerConfig config(String defaultMethods, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "password_file", passwd.toString(),
                "auth_methods", defaultMethods,
                "listener.plant.bind", "127.0.0.1",
                "listener.plant.port", "18999",
                "listener.plant.password_file", "",
                "listener.plant.auth_methods", ""));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return ConfigLoader.load(null, settings);
    }

    /** Whether {@code listener} offers {@code method}: a method not offered is refused at once (0x8C). */
    private static boolean offers(ListenerSecurity security, String listener, String method) {
        Authenticator.Outcome quick = security.connectAuthenticator(listener)
                .quickVerdict(new Authenticator.Request("c", null, null, "127.0.0.1", false, method, new byte[0]));
        return quick == null || quick.verdict() != Authenticator.Verdict.BAD_METHOD;
    }

    @Test
    void theMethodsAListenerOffersChangeWithTheConfiguration() {
        ListenerSecurity security = ListenerSecurity.open(config(SHA256), Clock.SYSTEM);
        assertTrue(offers(security, "default", SHA256));
        assertFalse(offers(security, "default", SHA512));

        assertTrue(security.reloadMethods(config(SHA512)));

        assertFalse(offers(security, "default", SHA256), "no longer offered");
        assertTrue(offers(security, "default", SHA512), "offered now");
        assertNull(
                security.connectAuthenticator("default")
                        .quickVerdict(new Authenticator.Request("c", "alice", new byte[] {'p', 'w'}, "h", false)),
                "the password login is still there (checked on the pool)");
        assertTrue(security.reloadMethods(config("")));
        assertFalse(offers(security, "default", SHA512), "none offered");
    }

    @Test
    @ExpectedErrorLog("the listener started without one")
    void methodsForAListenerThatStartedWithoutAPasswordFileKeepEveryListenersMethods() throws IOException {
        ListenerSecurity security = ListenerSecurity.open(config(SHA256), Clock.SYSTEM);
        // The file gives plant a password file and a method; the password file takes a restart.
        BrokerConfig fresh = config(
                SHA512, "listener.plant.password_file", passwd.toString(), "listener.plant.auth_methods", SHA256);

        assertFalse(security.reloadMethods(fresh));

        assertTrue(offers(security, "default", SHA256), "default keeps its methods too: all or none");
        assertFalse(offers(security, "default", SHA512));
        assertFalse(offers(security, "plant", SHA256));
    }

    @Test
    @ExpectedErrorLog("every listener keeps its auth_methods: cairn.conf has a problem: auth_methods: unknown")
    void aConfigurationThatDoesNotLoadKeepsTheMethods() {
        ListenerSecurity security = ListenerSecurity.open(config(SHA256), Clock.SYSTEM);

        boolean reloaded = security.authMethodsReloadable("cairn.conf", () -> config("SCRAM-SHA-1"))
                .reload();

        assertFalse(reloaded);
        assertTrue(offers(security, "default", SHA256));
        assertThrows(ConfigException.class, () -> config("SCRAM-SHA-1"), "what the reload met");
    }
}
