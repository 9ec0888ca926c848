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
        assertTrue(c.listeners().get(0).closed(), "the quick start listens on loopback");
        assertTrue(c.listeners().get(0).anonymousAllowed(), "the quick start: anonymous on loopback");
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

    /**
     * A config with several mistakes reports them all at once, each naming its key, instead of one
     * per attempt to start (cairn --check-config prints this list).
     */
    @Test
    void everyProblemIsReportedNotOnlyTheFirst() throws IOException {
        Path file = dir.resolve("cairn.conf");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "prot = 1884",
                        "qos_max = 3",
                        "durability = sometimes",
                        "retain_available = yes",
                        "listener.plant.type = quic",
                        "listener.plant.port = 8883",
                        "listener.edge.type = tls",
                        "listener.edge.port = x",
                        "listener.edge.nonsense = 1",
                        ""),
                StandardCharsets.UTF_8);

        List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()))
                .problems();

        List<String> expected = List.of(
                "unknown config key 'prot'",
                "qos_max must be between 0 and 2, got 3",
                "durability must be 'fsync' or 'process', got 'sometimes'",
                "retain_available must be true or false, got 'yes'",
                "listener.plant.type must be 'tcp', 'tls', 'ws' or 'wss', got 'quic'",
                "listener.edge.port must be a whole number, got 'x'",
                "listener.edge.certfile is required for a TLS listener",
                "listener.edge.keyfile is required for a TLS listener",
                "unknown listener key 'listener.edge.nonsense'");
        for (String problem : expected) {
            assertEquals(
                    1,
                    problems.stream().filter(p -> p.startsWith(problem)).count(),
                    "'" + problem + "' once in " + problems);
        }
        assertEquals(expected.size(), problems.size(), problems.toString());
    }

    /** The checks across keys report every clash too, once each key on its own is fine. */
    @Test
    void everyPairOfListenersSharingAPortIsReported() {
        List<String> problems = assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(
                                null,
                                Map.of(
                                        "port", "18830",
                                        "listener.a.port", "18830",
                                        "listener.b.port", "18840",
                                        "listener.c.port", "18840")))
                .problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("listeners default (127.0.0.1:18830) and a"), problems.toString());
        assertTrue(problems.get(1).startsWith("listeners b (127.0.0.1:18840) and c"), problems.toString());
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
            // A key that is unset by default (a file path such as acl_file) shows "(none)".
            String shownDefault = key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`";
            String row = "| `" + key.key() + "` | " + shownDefault + " |";
            assertTrue(text.contains(row), "README lacks the row for " + key.key() + ": " + row);
        }
        for (ListenerKey key : ListenerKey.values()) {
            String documented = key.defaultValue().isEmpty() ? "—" : "`" + key.defaultValue() + "`";
            String row = "| `listener.NAME." + key.key() + "` | " + documented + " |";
            assertTrue(text.contains(row), "README lacks the row for listener.NAME." + key.key() + ": " + row);
        }
        for (BridgeKey key : BridgeKey.values()) {
            String documented = key.defaultValue().isEmpty() ? "—" : "`" + key.defaultValue() + "`";
            String row = "| `bridge.NAME." + key.key() + "` | " + documented + " |";
            assertTrue(text.contains(row), "README lacks the row for bridge.NAME." + key.key() + ": " + row);
        }
    }

    /**
     * The README's configuration table says "Reloads on SIGHUP" in the row of exactly the keys a
     * reload applies ({@link ConfigKey#reloads}, {@link ListenerKey#reloads}).
     */
    @Test
    void readmeMarksExactlyTheKeysThatReload() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(
                    key.reloads(), readmeRow(rows, "| `" + key.key() + "` |").contains("Reloads on SIGHUP"), key.key());
        }
        for (ListenerKey key : ListenerKey.values()) {
            assertEquals(
                    key.reloads(),
                    readmeRow(rows, "| `listener.NAME." + key.key() + "` |").contains("Reloads on SIGHUP"),
                    key.key());
        }
    }

    private static String readmeRow(List<String> rows, String start) {
        return rows.stream().filter(r -> r.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(start));
    }

    /** What a reload compares: every setting by its name in the file, and which of them reload. */
    @Test
    void settingsNameEveryKeyAndSayWhichReload() {
        ConfigLoader.Loaded loaded = ConfigLoader.loadWithSettings(
                null,
                Map.of(
                        "listener.plant.type", "tcp",
                        "listener.plant.port", "0",
                        "listener.plant.connections_max", "7"));
        assertEquals("7", loaded.settings().get("listener.plant.connections_max"));
        assertEquals("100000", loaded.settings().get("connections_max"), "defaults are settings too");
        assertTrue(ConfigLoader.reloads("listener.plant.connections_max"));
        assertTrue(ConfigLoader.reloads("queued_messages_max"));
        assertFalse(ConfigLoader.reloads("listener.plant.port"));
        assertFalse(ConfigLoader.reloads("packet_size_max_bytes"));
        assertFalse(ConfigLoader.reloads("bridge.up.address"));
    }

    /**
     * The README's bridge example loads with the meaning its line-by-line translation of the
     * mosquitto block gives.
     */
    @Test
    void theReadmesBridgeExampleLoads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("and the same bridge in Cairn:");
        int start = readme.indexOf("```\n", section) + 4;
        Path file =
                Files.writeString(dir.resolve("bridge.conf"), readme.substring(start, readme.indexOf("```", start)));
        BridgeConfig b = ConfigLoader.load(file, Map.of()).bridges().get(0);
        assertEquals("central", b.name());
        assertEquals(
                List.of(new BridgeConfig.Address("10.0.0.5", 1883), new BridgeConfig.Address("10.0.0.6", 1883)),
                b.addresses());
        assertEquals("site7/plant/oven", b.topics().get(0).toRemote("plant/oven"));
        assertEquals(2, b.topics().get(1).qos());
        assertEquals("edge-site7", b.clientId());
        assertEquals("s3cret", b.password());
        assertEquals(60_000, b.restartMaxMillis());
        assertEquals(100, b.maxInflight());
    }

    // ---- Named listeners ----

    private Map<String, String> tls(String name, String... extra) throws IOException {
        Map<String, String> s = new java.util.HashMap<>();
        s.put("listener." + name + ".type", "tls");
        s.put("listener." + name + ".port", "8883");
        s.put(
                "listener." + name + ".certfile",
                Files.writeString(dir.resolve("cert.pem"), "").toString());
        s.put(
                "listener." + name + ".keyfile",
                Files.writeString(dir.resolve("key.pem"), "").toString());
        for (int i = 0; i < extra.length; i += 2) {
            s.put("listener." + name + "." + extra[i], extra[i + 1]);
        }
        return s;
    }

    private static String refusal(Map<String, String> settings) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, settings))
                .getMessage();
    }

    @Test
    void theDefaultListenerIsTheOnlyOneUnlessNamedListenersAreAdded() {
        List<ListenerConfig> listeners = BrokerConfig.defaults().listeners();
        assertEquals(1, listeners.size());
        assertEquals(
                ListenerConfig.plainDefault("127.0.0.1", 1883, new ListenerAuth(null, null, null)), listeners.get(0));
    }

    @Test
    void aNamedTlsListenerIsParsedWithMosquittosKeysAndTheDefaultsOfTheRest() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "");
        BrokerConfig c = ConfigLoader.load(
                null,
                tls(
                        "plant",
                        "bind",
                        "0.0.0.0",
                        "cafile",
                        ca.toString(),
                        "require_certificate",
                        "true",
                        "use_identity_as_username",
                        "true",
                        "use_subject_as_username",
                        "true",
                        "tls_version",
                        "tlsv1.3",
                        "ciphers",
                        "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384",
                        "handshake_timeout_seconds",
                        "3"));
        assertEquals(
                List.of("default", "plant"),
                c.listeners().stream().map(ListenerConfig::name).toList());
        ListenerConfig plant = c.listeners().get(1);
        assertEquals(ListenerType.TLS, plant.type());
        assertEquals("0.0.0.0", plant.bindAddress());
        assertEquals(8883, plant.port());
        assertEquals(3, plant.handshakeTimeoutSeconds());
        TlsSettings t = plant.tls();
        assertEquals(ca, t.caFile());
        assertTrue(t.requireCertificate());
        assertEquals(TlsSettings.CertificateUsername.IDENTITY, t.certificateUsername(), "the CN wins, as in mosquitto");
        assertEquals(List.of("TLSv1.3"), t.minVersion().protocols());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"), t.ciphers());
        assertEquals(null, t.keyPassword());
        assertEquals(null, t.crlFile());
        assertEquals(TlsSettings.TlsProvider.JDK, t.provider(), "the JDK's engine unless tls_provider says otherwise");
        assertEquals(
                TlsSettings.TlsProvider.OPENSSL,
                ConfigLoader.load(null, tls("plant", "tls_provider", "openssl"))
                        .listeners()
                        .get(1)
                        .tls()
                        .provider());
    }

    @Test
    void webSocketListenersTakeAPathDefaultingToSlashMqttAndWssTakesTheTlsKeys() throws IOException {
        Map<String, String> s = tls(
                "secureweb",
                "type",
                "wss",
                "port",
                "8884",
                "path",
                "/plant/mqtt",
                "http_origins",
                "https://HMI.plant.example, http://localhost:8080");
        s.put("listener.web.type", "ws");
        s.put("listener.web.port", "8080");
        List<ListenerConfig> listeners = ConfigLoader.load(null, s).listeners();
        Map<String, ListenerConfig> byName = new java.util.HashMap<>();
        listeners.forEach(l -> byName.put(l.name(), l));
        ListenerConfig web = byName.get("web");
        assertEquals(ListenerType.WS, web.type());
        assertEquals("/mqtt", web.webSocket().path());
        assertEquals(null, web.tls());
        ListenerConfig secure = byName.get("secureweb");
        assertEquals(ListenerType.WSS, secure.type());
        assertEquals("/plant/mqtt", secure.webSocket().path());
        assertEquals(
                List.of("https://hmi.plant.example", "http://localhost:8080"),
                secure.webSocket().origins());
        assertTrue(secure.webSocket().allowsOrigin("https://hmi.plant.example"));
        assertFalse(secure.webSocket().allowsOrigin("https://evil.example"));
        assertTrue(secure.webSocket().allowsOrigin(null), "a client that is not a browser sends no Origin");
        assertTrue(web.webSocket().origins().isEmpty());
        assertTrue(web.webSocket().allowsOrigin("https://anywhere.example"));
        assertTrue(secure.tls() != null);
        assertEquals(null, listeners.get(0).webSocket(), "the default listener is plain TCP");
    }

    @Test
    void aTlsListenerDefaultsToTls12AndNewerWithoutClientCertificates() throws IOException {
        ListenerConfig l = ConfigLoader.load(null, tls("plant")).listeners().get(1);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), l.tls().minVersion().protocols());
        assertFalse(l.tls().requireCertificate());
        assertEquals(TlsSettings.CertificateUsername.NONE, l.tls().certificateUsername());
        assertEquals("127.0.0.1", l.bindAddress());
        assertEquals(10, l.handshakeTimeoutSeconds());
        assertTrue(l.tls().ciphers().isEmpty());
    }

    @Test
    void aListenerMistakeIsRefusedWithAMessageNamingTheKey() throws IOException {
        Map<String, String> noCert = tls("plant");
        noCert.remove("listener.plant.certfile");
        assertEquals("listener.plant.certfile is required for a TLS listener", refusal(noCert));

        Map<String, String> missing =
                tls("plant", "cafile", dir.resolve("nope.pem").toString());
        assertTrue(refusal(missing).startsWith("listener.plant.cafile: "), refusal(missing));
        assertTrue(refusal(missing).contains("does not exist"), refusal(missing));

        assertEquals(
                "listener.plant.type must be 'tcp', 'tls', 'ws' or 'wss', got 'quic'",
                refusal(Map.of("listener.plant.type", "quic", "listener.plant.port", "1")));
        assertEquals(
                List.of(
                        "listener.web.certfile is required for a TLS listener",
                        "listener.web.keyfile is required for a TLS listener"),
                assertThrows(
                                ConfigException.class,
                                () -> ConfigLoader.load(
                                        null, Map.of("listener.web.type", "wss", "listener.web.port", "1")))
                        .problems(),
                "both missing files, not only the first");
        assertEquals(
                "listener.web.path must start with '/' and hold no spaces, control characters, '?' or '#', got 'mqtt'",
                refusal(Map.of("listener.web.type", "ws", "listener.web.port", "1", "listener.web.path", "mqtt")));
        assertTrue(refusal(Map.of("listener.plant.port", "1", "listener.plant.path", "/mqtt"))
                .startsWith("listener.plant.path applies only to WebSocket listeners (ws, wss)"));
        assertTrue(refusal(Map.of("listener.plant.port", "1", "listener.plant.http_origins", "https://a.example"))
                .startsWith("listener.plant.http_origins applies only to WebSocket listeners (ws, wss)"));
        assertEquals(
                "listener.web.http_origins: an origin is scheme://host[:port] with scheme http or https and no path,"
                        + " got 'https://a.example/page'",
                refusal(Map.of(
                        "listener.web.type",
                        "ws",
                        "listener.web.port",
                        "1",
                        "listener.web.http_origins",
                        "https://a.example/page")));
        assertEquals(
                "listener.plant.port must be a whole number, got 'x'", refusal(Map.of("listener.plant.port", "x")));
        assertEquals(
                "listener.plant.port must be between 0 and 65535, got 70000",
                refusal(Map.of("listener.plant.port", "70000")));
        assertEquals("listener.plant.port is required", refusal(Map.of("listener.plant.type", "tcp")));
        assertEquals(
                "listener.plant.handshake_timeout_seconds must be between 1 and 3600, got 0",
                refusal(tls("plant", "handshake_timeout_seconds", "0")));
        assertTrue(refusal(Map.of("listener.plant.port", "1", "listener.plant.certfile", "x"))
                .startsWith("listener.plant.certfile applies only to TLS listeners"));
        assertTrue(refusal(tls("plant", "require_certificate", "true"))
                .startsWith("listener.plant.require_certificate = true needs listener.plant.cafile"));
        assertTrue(refusal(tls("plant", "use_identity_as_username", "true"))
                .startsWith("listener.plant.use_identity_as_username = true needs listener.plant.require_certificate"));
        assertEquals(
                "listener.plant.tls_version must be 'tlsv1.2' or 'tlsv1.3', got 'tlsv1.1'",
                refusal(tls("plant", "tls_version", "tlsv1.1")));
        assertEquals(
                "listener.plant.tls_provider must be 'jdk' or 'openssl', got 'boringssl'",
                refusal(tls("plant", "tls_provider", "boringssl")));
        assertTrue(refusal(Map.of("listener.plant.port", "1", "listener.plant.tls_provider", "openssl"))
                .startsWith("listener.plant.tls_provider applies only to TLS listeners"));
        assertEquals(
                "listener.plant.require_certificate must be true or false, got 'yes'",
                refusal(tls("plant", "require_certificate", "yes")));
        assertEquals(
                "unknown listener key 'listener.plant.prot' in command line",
                refusal(Map.of("listener.plant.prot", "1")));
        assertTrue(refusal(Map.of("listener.a.b.port", "1")).startsWith("bad listener key 'listener.a.b.port'"));
        assertTrue(refusal(Map.of("listener.default.port", "1")).contains("belongs to the listener of bind and port"));
    }

    @Test
    void twoListenersOnOnePortOfOverlappingAddressesAreRefused() {
        assertEquals(
                "listeners default (127.0.0.1:1883) and plant (127.0.0.1:1883) would share a port; give each its own port",
                refusal(Map.of("listener.plant.port", "1883")));
        assertTrue(refusal(Map.of("listener.a.port", "2000", "listener.a.bind", "0.0.0.0", "listener.b.port", "2000"))
                .startsWith("listeners a (0.0.0.0:2000) and b (127.0.0.1:2000)"));
        // Different addresses, or port 0 (a free port each), do not clash.
        assertEquals(
                3,
                ConfigLoader.load(
                                null,
                                Map.of(
                                        "listener.a.port", "2000",
                                        "listener.a.bind", "127.0.0.2",
                                        "listener.b.port", "2000",
                                        "listener.b.bind", "127.0.0.3"))
                        .listeners()
                        .size());
        assertEquals(
                2,
                ConfigLoader.load(null, Map.of("port", "0", "listener.a.port", "0"))
                        .listeners()
                        .size());
    }

    @Test
    void theDefaultListenerCanBeSwitchedOffOnlyWhenAnotherListens() {
        BrokerConfig c = ConfigLoader.load(null, Map.of("default_listener", "false", "listener.plant.port", "1884"));
        assertEquals(
                List.of("plant"),
                c.listeners().stream().map(ListenerConfig::name).toList());
        assertTrue(
                refusal(Map.of("default_listener", "false")).startsWith("default_listener is false and no listener"));
    }

    @Test
    void listenerKeysWorkInTheFileAndWithSetAndWithPortMovesOnlyTheDefaultListener() throws IOException {
        Path file = Files.writeString(
                dir.resolve("cairn.conf"), "listener.plant.port = 1884\nlistener.plant.bind = 127.0.0.5\n");
        BrokerConfig c = CommandLine.parse(
                        new String[] {"--config", file.toString(), "--set", "listener.plant.port=1885"})
                .toConfig();
        assertEquals(1885, c.listeners().get(1).port(), "--set wins over the file");
        assertEquals("127.0.0.5", c.listeners().get(1).bindAddress());
        BrokerConfig moved = c.withPort(0);
        assertEquals(0, moved.listeners().get(0).port());
        assertEquals(1885, moved.listeners().get(1).port());
        assertRefusedNaming("--set: unknown config key 'listener.plant.prot'", "--set", "listener.plant.prot=1");
    }

    /**
     * The safe default holds for every listener: a named one on every interface without a password
     * file must not let anyone in either, while one that requires client certificates may load.
     */
    @Test
    void aNamedListenerOnANonLoopbackAddressNeedsCredentialsToo() throws IOException {
        String message = refusal(Map.of("listener.plant.port", "1884", "listener.plant.bind", "0.0.0.0"));
        assertTrue(message.startsWith("listener.plant.bind = 0.0.0.0 is not a loopback address"), message);

        Path ca = Files.writeString(dir.resolve("ca.pem"), "");
        ListenerConfig plant = ConfigLoader.load(
                        null, tls("plant", "bind", "0.0.0.0", "cafile", ca.toString(), "require_certificate", "true"))
                .listeners()
                .get(1);
        assertTrue(plant.closed(), "client certificates required: only their holders get in");
        Map<String, String> serverOnly = tls("plant", "bind", "0.0.0.0");
        assertTrue(refusal(serverOnly).startsWith("listener.plant.bind = 0.0.0.0"), "TLS alone authenticates nobody");
        serverOnly.put("allow_anonymous", "true");
        assertEquals(2, ConfigLoader.load(null, serverOnly).listeners().size(), "anonymous access asked for");
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

    // ---- Per-listener authentication and limits ----

    private static ListenerConfig listener(BrokerConfig config, String name) {
        return config.listeners().stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aNamedListenerTakesTheTopLevelAuthenticationUnlessItOverridesIt() {
        BrokerConfig c = ConfigLoader.load(
                null,
                Map.ofEntries(
                        Map.entry("allow_anonymous", "false"),
                        Map.entry("password_file", "/etc/cairn/passwd"),
                        Map.entry("acl_file", "/etc/cairn/acl"),
                        Map.entry("listener.inherits.port", "0"),
                        Map.entry("listener.own.port", "0"),
                        Map.entry("listener.own.allow_anonymous", "true"),
                        Map.entry("listener.own.password_file", "/etc/cairn/office-passwd"),
                        Map.entry("listener.own.acl_file", "/etc/cairn/office-acl"),
                        Map.entry("listener.none.port", "0"),
                        Map.entry("listener.none.password_file", ""),
                        Map.entry("listener.none.acl_file", "")));
        ListenerAuth topLevel = new ListenerAuth(false, Path.of("/etc/cairn/passwd"), Path.of("/etc/cairn/acl"));
        assertEquals(topLevel, listener(c, ListenerConfig.DEFAULT_NAME).auth());
        assertEquals(topLevel, listener(c, "inherits").auth());
        assertEquals(
                new ListenerAuth(true, Path.of("/etc/cairn/office-passwd"), Path.of("/etc/cairn/office-acl")),
                listener(c, "own").auth());
        assertEquals(new ListenerAuth(false, null, null), listener(c, "none").auth(), "empty: none on this listener");
        assertFalse(listener(c, "inherits").anonymousAllowed());
        assertTrue(listener(c, "own").anonymousAllowed());
        assertEquals(
                "listener.own.allow_anonymous must be true or false, got 'yes'",
                refusal(Map.of("listener.own.port", "0", "listener.own.allow_anonymous", "yes")));
    }

    /**
     * auth_methods: the enhanced methods offered, top-level for the default listener and inherited
     * by named listeners, which may override it (empty: none); unknown names and methods without a
     * password file to read credentials from are refused, naming the key.
     */
    @Test
    void authMethodsAreInheritedOverriddenAndChecked() {
        BrokerConfig c = ConfigLoader.load(
                null,
                Map.of(
                        "password_file", "/etc/cairn/passwd",
                        "auth_methods", "SCRAM-SHA-256, SCRAM-SHA-512,SCRAM-SHA-256",
                        "listener.inherits.port", "0",
                        "listener.own.port", "0",
                        "listener.own.auth_methods", "SCRAM-SHA-512",
                        "listener.none.port", "0",
                        "listener.none.auth_methods", ""));
        assertEquals(
                List.of("SCRAM-SHA-256", "SCRAM-SHA-512"),
                listener(c, ListenerConfig.DEFAULT_NAME).auth().authMethods());
        assertEquals(
                List.of("SCRAM-SHA-256", "SCRAM-SHA-512"),
                listener(c, "inherits").auth().authMethods());
        assertEquals(List.of("SCRAM-SHA-512"), listener(c, "own").auth().authMethods());
        assertEquals(List.of(), listener(c, "none").auth().authMethods());
        assertEquals(
                List.of(),
                ConfigLoader.load(null, Map.of()).listeners().get(0).auth().authMethods());

        String unknown = refusal(Map.of("password_file", "/p", "auth_methods", "SCRAM-SHA-1"));
        assertTrue(unknown.startsWith("auth_methods: unknown authentication method 'SCRAM-SHA-1'"), unknown);
        String lowerCase = refusal(Map.of("listener.x.port", "0", "listener.x.auth_methods", "scram-sha-256"));
        assertTrue(lowerCase.startsWith("listener.x.auth_methods: unknown"), lowerCase);
        String noFile = refusal(Map.of("auth_methods", "SCRAM-SHA-256"));
        assertTrue(noFile.startsWith("auth_methods = SCRAM-SHA-256 needs a password_file"), noFile);
        String noFileHere = refusal(Map.of(
                "password_file", "/p",
                "listener.x.port", "0",
                "listener.x.password_file", "",
                "listener.x.auth_methods", "SCRAM-SHA-512"));
        assertTrue(noFileHere.startsWith("listener.x.auth_methods = SCRAM-SHA-512 needs a password_file"), noFileHere);
    }

    /**
     * The safe default judges each listener by its own effective settings: a top-level password
     * file or allow_anonymous no longer vouches for a listener that overrides it, and a listener's
     * own password file or allow_anonymous = true lets it bind to every interface.
     */
    @Test
    void theSafeDefaultJudgesEachListenerByItsOwnSettings() {
        String open = "listener.plant.bind";
        // Its own password file, the default listener on loopback without one.
        assertEquals(
                2,
                ConfigLoader.load(
                                null,
                                Map.of(
                                        "listener.plant.port",
                                        "1884",
                                        open,
                                        "0.0.0.0",
                                        "listener.plant.password_file",
                                        "/etc/cairn/passwd"))
                        .listeners()
                        .size());
        // Its own allow_anonymous = true, the top level saying false.
        assertEquals(
                2,
                ConfigLoader.load(
                                null,
                                Map.of(
                                        "allow_anonymous",
                                        "false",
                                        "listener.plant.port",
                                        "1884",
                                        open,
                                        "0.0.0.0",
                                        "listener.plant.allow_anonymous",
                                        "true"))
                        .listeners()
                        .size());
        // The top-level password file switched off for this listener.
        String message = refusal(Map.of(
                "password_file",
                "/etc/cairn/passwd",
                "listener.plant.port",
                "1884",
                open,
                "0.0.0.0",
                "listener.plant.password_file",
                ""));
        assertTrue(message.startsWith("listener.plant.bind = 0.0.0.0 is not a loopback address"), message);
        assertTrue(message.contains("listener.plant.KEY for this listener only"), message);
        // The top-level allow_anonymous = true taken back for this listener.
        message = refusal(Map.of(
                "allow_anonymous",
                "true",
                "listener.plant.port",
                "1884",
                open,
                "0.0.0.0",
                "listener.plant.allow_anonymous",
                "false"));
        assertTrue(message.startsWith("listener.plant.bind = 0.0.0.0 is not a loopback address"), message);
        // A non-loopback default listener is judged by the top-level keys even when a named one has its own.
        message = refusal(Map.of(
                "bind", "0.0.0.0",
                "listener.plant.port", "1884",
                "listener.plant.password_file", "/etc/cairn/passwd"));
        assertTrue(message.startsWith("bind = 0.0.0.0 is not a loopback address"), message);
    }

    @Test
    void listenerLimitsDefaultToOffAndAreCheckedAgainstTheirRanges() {
        BrokerConfig c = ConfigLoader.load(
                null,
                Map.of(
                        "listener.a.port", "0",
                        "listener.b.port", "0",
                        "listener.b.connections_max", "5",
                        "listener.b.connections_per_second_per_address", "2"));
        assertEquals(0, listener(c, "a").connectionsMax());
        assertEquals(0, listener(c, "a").connectionsPerSecondPerAddress());
        assertEquals(0, listener(c, ListenerConfig.DEFAULT_NAME).connectionsPerSecondPerAddress());
        assertEquals(5, listener(c, "b").connectionsMax());
        assertEquals(2, listener(c, "b").connectionsPerSecondPerAddress());
        assertEquals(
                "listener.b.connections_per_second_per_address must be between 0 and 1000000, got -1",
                refusal(Map.of("listener.b.port", "0", "listener.b.connections_per_second_per_address", "-1")));
        assertEquals(
                "listener.b.connections_max must be a whole number, got 'many'",
                refusal(Map.of("listener.b.port", "0", "listener.b.connections_max", "many")));
    }

    @Test
    void theDefaultListenerTakesLimitsFromTopLevelKeysAndNamedOnesInheritTheRate() {
        BrokerConfig c = ConfigLoader.load(
                null,
                Map.of(
                        "default_listener_connections_max", "7",
                        "connections_per_second_per_address", "3",
                        "listener.a.port", "0",
                        "listener.b.port", "0",
                        "listener.b.connections_per_second_per_address", "0"));
        assertEquals(7, listener(c, ListenerConfig.DEFAULT_NAME).connectionsMax());
        assertEquals(3, listener(c, ListenerConfig.DEFAULT_NAME).connectionsPerSecondPerAddress());
        assertEquals(0, listener(c, "a").connectionsMax(), "the default listener's own limit is not inherited");
        assertEquals(3, listener(c, "a").connectionsPerSecondPerAddress(), "inherited");
        assertEquals(0, listener(c, "b").connectionsPerSecondPerAddress(), "its own 0 turns the rate off");
        assertEquals(
                "connections_per_second_per_address must be between 0 and 1000000, got -1",
                refusal(Map.of("connections_per_second_per_address", "-1")));
        assertEquals(
                "default_listener_connections_max must be a whole number, got 'many'",
                refusal(Map.of("default_listener_connections_max", "many")));
    }

    /** The README's per-listener example is a config that loads, with the effective settings it describes. */
    @Test
    void theReadmesPerListenerExampleLoads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("### Per-listener settings");
        int start = readme.indexOf("```\n", section) + 4;
        Path file =
                Files.writeString(dir.resolve("example.conf"), readme.substring(start, readme.indexOf("```", start)));
        BrokerConfig c = ConfigLoader.load(file, Map.of());
        assertEquals(
                List.of("local", "office", "plant"),
                c.listeners().stream().map(ListenerConfig::name).toList());
        assertEquals(
                Path.of("/etc/cairn/plant-passwd"), listener(c, "plant").auth().passwordFile());
        assertEquals(
                Path.of("/etc/cairn/office.acl"), listener(c, "office").auth().aclFile());
        assertEquals(5, listener(c, "office").connectionsPerSecondPerAddress());
        assertTrue(listener(c, "local").anonymousAllowed());
        assertEquals(
                Path.of("/etc/cairn/plant.acl"), listener(c, "local").auth().aclFile());
    }
}
