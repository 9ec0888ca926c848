package dev.cairn.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.journal.SyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal: the config is defaults, then file, then command line; bad input names the key. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheDocumentedEmbeddedSetup() {
        BrokerConfig c = BrokerConfig.defaults();
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(1883, c.port());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals(SyncPolicy.FSYNC, c.durability());
        assertEquals(10, c.connectTimeoutSeconds());
        assertTrue(c.anonymousAllowed(), "the quick start: anonymous on loopback");
        assertEquals(1_000_000, c.queuedMessagesMax(), "queues live on disk: generous defaults");
        assertEquals(1L << 30, c.queuedBytesMax());
        assertEquals(BrokerConfig.QueueOverflow.REJECT, c.queueOverflow(), "never drop what was acknowledged");
    }

    @Test
    void queueOverflowAndQueuedBytesMaxAreParsedAndChecked() {
        BrokerConfig c =
                ConfigLoader.load(null, Map.of("queue_overflow", "drop-new", "queued_bytes_max", "5000000000"));
        assertEquals(BrokerConfig.QueueOverflow.DROP_NEW, c.queueOverflow());
        assertEquals(5_000_000_000L, c.queuedBytesMax(), "more than an int holds");
        ConfigException e = assertThrows(
                ConfigException.class, () -> ConfigLoader.load(null, Map.of("queue_overflow", "drop-old")));
        assertTrue(e.getMessage().contains("queue_overflow"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("queued_bytes_max", "0")));
    }

    @Test
    void diskFreeMinBytesDefaultsTo256MibAcceptsZeroToDisableAndRefusesNegatives() {
        assertEquals(256L << 20, BrokerConfig.defaults().diskFreeMinBytes());
        assertEquals(
                0, ConfigLoader.load(null, Map.of("disk_free_min_bytes", "0")).diskFreeMinBytes());
        assertEquals(
                5_000_000_000L,
                ConfigLoader.load(null, Map.of("disk_free_min_bytes", "5000000000"))
                        .diskFreeMinBytes());
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("disk_free_min_bytes", "-1")));
        assertTrue(e.getMessage().contains("disk_free_min_bytes"), e.getMessage());
    }

    @Test
    void fileOverridesDefaultsAndCommandLineOverridesFile() throws IOException {
        Path file = dir.resolve("cairn.conf");
        Files.writeString(
                file, "# comment\nport = 2000\nqueued_messages_max=7\ndurability = process\n", StandardCharsets.UTF_8);
        BrokerConfig c = ConfigLoader.load(file, Map.of("port", "3000"));
        assertEquals(3000, c.port());
        assertEquals(7, c.queuedMessagesMax());
        assertEquals(SyncPolicy.PROCESS, c.durability());
    }

    @Test
    void unknownKeyIsRefusedWithItsName() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("prot", "1")));
        assertTrue(e.getMessage().contains("prot"), e.getMessage());
    }

    @Test
    void outOfRangeValueIsRefusedWithTheRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("port", "70000")));
        assertTrue(e.getMessage().contains("port must be between 0 and 65535"), e.getMessage());
    }

    @Test
    void nonNumbersAndBadEnumsAreRefused() {
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("connections_max", "many")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("durability", "maybe")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("retain_available", "yes")));
    }

    /** The names of the choice keys are part of every config file written so far: pinned exactly. */
    @Test
    void choiceKeysAcceptExactlyTheirNamesAndListThemWhenRefused() {
        Map<String, List<String>> names = Map.of(
                "durability", List.of("fsync", "process"),
                "journal_roll_cycle", List.of("five-minutely", "hourly", "daily"),
                "queue_overflow", List.of("reject", "drop-new"));
        for (Map.Entry<String, List<String>> e : names.entrySet()) {
            for (String name : e.getValue()) {
                BrokerConfig c = ConfigLoader.load(null, Map.of(e.getKey(), name));
                String parsed = switch (e.getKey()) {
                    case "durability" -> c.durability().configName();
                    case "journal_roll_cycle" -> c.journalRollCycle().configName();
                    default -> c.queueOverflow().configName();
                };
                assertEquals(name, parsed, e.getKey());
            }
        }
        assertEquals(
                "durability must be 'fsync' or 'process', got 'FSYNC'",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("durability", "FSYNC")))
                        .getMessage(),
                "names are case-sensitive");
        assertEquals(
                "journal_roll_cycle must be 'five-minutely', 'hourly' or 'daily', got 'weekly'",
                assertThrows(
                                ConfigException.class,
                                () -> ConfigLoader.load(null, Map.of("journal_roll_cycle", "weekly")))
                        .getMessage());
        assertEquals(
                "queue_overflow must be 'reject' or 'drop-new', got 'drop-old'",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("queue_overflow", "drop-old")))
                        .getMessage());
    }

    @Test
    void commandLineMapsOptionsToKeys() {
        CommandLine cli = CommandLine.parse(new String[] {
            "--bind",
            "0.0.0.0",
            "--port",
            "0",
            "--data-dir",
            "/tmp/x",
            "--set",
            "topic_alias_max=5",
            "--set",
            "allow_anonymous=true"
        });
        BrokerConfig c = cli.toConfig();
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(0, c.port());
        assertEquals(Path.of("/tmp/x"), c.dataDir());
        assertEquals(5, c.topicAliasMax());
        assertFalse(cli.helpRequested());
    }

    @Test
    void commandLineRejectsUnknownOptionsAndMissingValuesNamingTheOption() {
        assertRefusedNaming("--prot", "--prot", "1");
        assertRefusedNaming("--port", "--port");
        assertRefusedNaming("--set", "--set", "novalue");
        assertRefusedNaming("--set", "--set", "=1");
        assertRefusedNaming(
                "missing.conf", "--config", dir.resolve("missing.conf").toString());
    }

    @Test
    void commandLineRejectsBadValuesNamingTheOptionOrKey() {
        assertRefusedNaming("--port", "--port", "http");
        assertRefusedNaming("--port", "--port", "70000");
        assertRefusedNaming("--set: unknown config key 'topic_alias'", "--set", "topic_alias=5");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> CommandLine.parse(new String[] {"--set", "qos_max=3"}).toConfig());
        assertTrue(e.getMessage().contains("qos_max must be between 0 and 2"), e.getMessage());
    }

    @Test
    void commandLineReadsTheConfigFileAndTheLaterOverrideOfAKeyWins() throws IOException {
        Path file = Files.writeString(dir.resolve("cairn.conf"), "port = 1884\ntopic_alias_max = 7\n");
        BrokerConfig c = CommandLine.parse(new String[] {
                    "--config",
                    file.toString(),
                    "--set",
                    "port=1885",
                    "--port",
                    "1886",
                    "--set",
                    "qos_max=1",
                    "--set",
                    "qos_max=0"
                })
                .toConfig();
        assertEquals(1886, c.port());
        assertEquals(7, c.topicAliasMax(), "from the file");
        assertEquals(0, c.qosMax(), "--set is repeatable; the later one wins");
        assertEquals(
                1885,
                CommandLine.parse(new String[] {"--port", "1886", "--set", "port=1885"})
                        .toConfig()
                        .port());
    }

    @Test
    void commandLineHelpListsEveryOptionAndTheExitCodes() {
        for (String flag : new String[] {"--help", "-h"}) {
            CommandLine cli = CommandLine.parse(new String[] {"--port", "1", flag});
            assertTrue(cli.helpRequested(), flag);
            assertFalse(cli.versionRequested(), flag);
        }
        String usage = CommandLine.usage();
        for (String option : new String[] {
            "--config FILE",
            "--bind ADDR",
            "--port N",
            "--data-dir DIR",
            "--set key=value",
            "--help",
            "--version",
            "Exit codes",
            " 2 "
        }) {
            assertTrue(usage.contains(option), "usage lacks " + option + ":\n" + usage);
        }
    }

    @Test
    void commandLineVersionIsTheMavenProjectVersion() throws IOException {
        CommandLine cli = CommandLine.parse(new String[] {"--version"});
        assertTrue(cli.versionRequested());
        assertFalse(cli.helpRequested());
        assertEquals("Cairn " + projectVersion(), CommandLine.version());
        assertTrue(CommandLine.parse(new String[] {"-V"}).versionRequested());
    }

    /** The version this module's POM inherits from its parent. */
    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8));
        assertTrue(m.find(), "pom.xml names its parent's version");
        return m.group(1);
    }

    private static void assertRefusedNaming(String named, String... args) {
        ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
    }

    @Test
    void readmeDocumentsEveryKeyWithItsDefault() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        for (ConfigKey key : ConfigKey.values()) {
            String shownDefault = key.defaultValue().isEmpty() ? "(unset)" : "`" + key.defaultValue() + "`";
            String row = "| `" + key.key() + "` | " + shownDefault + " |";
            assertTrue(text.contains(row), "README lacks the row for " + key.key() + ": " + row);
        }
    }

    /**
     * Defect 2: anonymous access was documented as loopback-only but a broker bound to every
     * address with the defaults let anyone in. Such a config must not load.
     */
    @Test
    void aNonLoopbackBindWithoutPasswordFileOrExplicitAnonymousRefusesToLoad() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("bind", "0.0.0.0")));
        assertTrue(e.getMessage().contains("password_file"), e.getMessage());
        assertTrue(e.getMessage().contains("allow_anonymous"), e.getMessage());
        assertTrue(e.getMessage().contains("0.0.0.0"), e.getMessage());
    }
}
