package dev.cairn.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.TlsSettings.TlsVersion;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code bridge.NAME.*} keys: mosquitto's topic syntax and prefix mapping ({@link
 * BridgeTopic}), the defaults, and a refusal that names the key for every bad value.
 */
class BridgeConfigTest {

    private static BrokerConfig load(String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigLoader.load(null, settings);
    }

    private static BridgeConfig central(String... more) {
        String[] all = new String[more.length + 4];
        all[0] = "bridge.central.address";
        all[1] = "10.0.0.5:1883";
        all[2] = "bridge.central.topic.1";
        all[3] = "plant/# out 1";
        System.arraycopy(more, 0, all, 4, more.length);
        return load(all).bridges().get(0);
    }

    private static void assertRefusedNaming(String named, String... keyValues) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(keyValues));
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should name " + named);
    }

    private static TopicName topic(String name) throws Exception {
        return TopicName.parse(name, TopicLimits.PROTOCOL);
    }

    @Test
    void noBridgeByDefault() {
        assertEquals(List.of(), BrokerConfig.defaults().bridges());
    }

    @Test
    void aMinimalBridgeGetsMosquittosDefaults() {
        BridgeConfig b = central();
        assertEquals("central", b.name());
        assertEquals(List.of(new BridgeConfig.Address("10.0.0.5", 1883)), b.addresses());
        assertFalse(b.protocol5());
        assertFalse(b.cleanStart());
        assertEquals(60, b.keepAliveSeconds());
        assertTrue(b.clientId().endsWith(".central"), b.clientId());
        assertNull(b.username());
        assertEquals(1000, b.maxInflight(), "a deep window: each slot waits for a journal sync");
        assertTrue(b.tryPrivate(), "try_private defaults to true, as in mosquitto");
        assertEquals("$bridge/central", b.sessionClientId());
        BridgeTopic t = b.topics().get(0);
        assertEquals(new BridgeTopic(1, "plant/#", BridgeTopic.Direction.OUT, 1, "", ""), t);
    }

    @Test
    void everyKeyIsRead() {
        BridgeConfig b = central(
                "bridge.central.address", "a.example:1884, [2001:db8::1]:8883, b.example",
                "bridge.central.protocol", "5",
                "bridge.central.client_id", "edge-7",
                "bridge.central.clean_start", "true",
                "bridge.central.session_expiry_seconds", "3600",
                "bridge.central.keepalive_seconds", "30",
                "bridge.central.username", "edge",
                "bridge.central.password", "secret",
                "bridge.central.restart_timeout_initial_millis", "200",
                "bridge.central.restart_timeout_max_millis", "9000",
                "bridge.central.connect_timeout_seconds", "3",
                "bridge.central.max_inflight", "20");
        assertEquals(
                List.of(
                        new BridgeConfig.Address("a.example", 1884),
                        new BridgeConfig.Address("2001:db8::1", 8883),
                        new BridgeConfig.Address("b.example", 1883)),
                b.addresses());
        assertTrue(b.protocol5());
        assertEquals("edge-7", b.clientId());
        assertTrue(b.cleanStart());
        assertEquals(3600, b.sessionExpirySeconds());
        assertEquals(30, b.keepAliveSeconds());
        assertEquals("edge", b.username());
        assertEquals("secret", b.password());
        assertEquals(200, b.restartInitialMillis());
        assertEquals(9000, b.restartMaxMillis());
        assertEquals(3, b.connectTimeoutSeconds());
        assertEquals(20, b.maxInflight());
        assertFalse(b.toString().contains("secret"), "the password stays out of logs: " + b);
    }

    @Test
    void topicsAreOrderedByTheirNumber() {
        BridgeConfig b = central("bridge.central.topic.10", "b/# out 2", "bridge.central.topic.2", "a/# out 0");
        assertEquals(
                List.of(1, 2, 10), b.topics().stream().map(BridgeTopic::number).toList());
    }

    @Test
    void prefixesMapLocalTopicsAsMosquittoDoes() throws Exception {
        BridgeTopic t = central("bridge.central.topic.1", "plant/# out 1 edge/ site7/")
                .topics()
                .get(0);
        assertEquals("edge/plant/#", t.localFilter());
        assertEquals("site7/plant/#", t.remoteFilter());
        assertTrue(t.localTopicFilter().matches(topic("edge/plant/oven/temp")));
        assertFalse(t.localTopicFilter().matches(topic("plant/oven/temp")), "outside the local prefix");
        assertEquals("site7/plant/oven/temp", t.toRemote("edge/plant/oven/temp"));
    }

    @Test
    void anEmptyPrefixOrPatternIsWrittenAsTwoQuotes() throws Exception {
        BridgeTopic onlyRemote = central("bridge.central.topic.1", "sensors/+ out 2 \"\" plant7/")
                .topics()
                .get(0);
        assertEquals("sensors/+", onlyRemote.localFilter());
        assertEquals("plant7/sensors/a", onlyRemote.toRemote("sensors/a"));
        BridgeTopic oneTopic = central("bridge.central.topic.1", "\"\" out 1 edge/status central/edge7/status")
                .topics()
                .get(0);
        assertEquals("edge/status", oneTopic.localFilter());
        assertTrue(oneTopic.localTopicFilter().matches(topic("edge/status")));
        assertEquals("central/edge7/status", oneTopic.toRemote("edge/status"));
    }

    @Test
    void inAndBothLinesMapRemoteTopicsToLocalOnes() throws Exception {
        BridgeConfig b = central(
                "bridge.central.topic.2", "cmd/# in 2 edge/ central/",
                "bridge.central.topic.3", "sync/+ both 1 \"\" site7/",
                "bridge.central.try_private", "false");
        assertFalse(b.tryPrivate());
        BridgeTopic in = b.topics().get(1);
        assertEquals(new BridgeTopic(2, "cmd/#", BridgeTopic.Direction.IN, 2, "edge/", "central/"), in);
        assertFalse(in.direction().sendsOut());
        assertTrue(in.direction().receivesIn());
        assertEquals("central/cmd/#", in.remoteFilter());
        assertTrue(in.remoteTopicFilter().matches(topic("central/cmd/valve/open")));
        assertFalse(in.remoteTopicFilter().matches(topic("edge/cmd/valve/open")));
        assertEquals("edge/cmd/valve/open", in.toLocal("central/cmd/valve/open"));
        BridgeTopic both = b.topics().get(2);
        assertTrue(both.direction().sendsOut());
        assertTrue(both.direction().receivesIn());
        assertEquals("sync/a", both.toLocal("site7/sync/a"));
        assertEquals("site7/sync/a", both.toRemote("sync/a"));
        assertThrows(IllegalArgumentException.class, () -> in.toLocal("elsewhere/cmd/x"));
        assertTrue(b.topics().get(0).direction().sendsOut());
        assertFalse(b.topics().get(0).direction().receivesIn());
    }

    @Test
    void directionAndQosMayBeLeftOutAsInMosquitto() {
        BridgeTopic t = central("bridge.central.topic.1", "plant/#").topics().get(0);
        assertEquals(BridgeTopic.Direction.OUT, t.direction());
        assertEquals(0, t.qos());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bridge.central.topic.1 | plant/# sideways 1",
                "bridge.central.topic.1 | plant/# in 1 site7/# edge/",
                "bridge.central.topic.1 | plant/#/x both 1",
                "bridge.central.topic.1 | plant/# out 3",
                "bridge.central.topic.1 | plant/# out 1 edge/",
                "bridge.central.topic.1 | plant/# out 1 edge/# site7/",
                "bridge.central.topic.1 | plant/#/x out 1",
                "bridge.central.topic.1 | \"\" out 1 \"\" site7/",
                "bridge.central.topic.1 | $share/g/plant/# out 1",
                "bridge.central.topic.1 | plant/# out 1 a b c",
                "bridge.central.protocol | 3",
                "bridge.central.clean_start | yes",
                "bridge.central.try_private | maybe",
                "bridge.central.keepalive_seconds | 0",
                "bridge.central.max_inflight | 0",
                "bridge.central.address | host:0",
                "bridge.central.address | 2001:db8::1",
                "bridge.central.address | :1883",
                "bridge.central.password | secret",
                "bridge.central.restart_timeout_initial_millis | 5",
                "bridge.central.restart_timeout_max_millis | 100",
            })
    void aBadValueIsRefusedNamingItsKey(String key, String value) {
        assertRefusedNaming(
                key, "bridge.central.address", "10.0.0.5:1883", "bridge.central.topic.1", "plant/# out 1", key, value);
    }

    @Test
    void aBridgeWithoutAddressOrTopicIsRefused() {
        assertRefusedNaming("bridge.central.address", "bridge.central.topic.1", "plant/# out 1");
        assertRefusedNaming("bridge.central.topic.1", "bridge.central.address", "10.0.0.5");
    }

    @Test
    void unknownOrMalformedBridgeKeysAreRefused() {
        assertRefusedNaming("bridge.central.colour", "bridge.central.colour", "red");
        assertRefusedNaming("bridge.central.topic.x", "bridge.central.topic.x", "a out 1");
        assertRefusedNaming("bridge.cen.tral", "bridge.cen.tral", "1");
        assertFalse(ConfigLoader.isKnownKey("bridge.central.topic"));
        assertTrue(ConfigLoader.isKnownKey("bridge.central.topic.3"));
        assertTrue(ConfigLoader.isKnownKey("bridge.central.max_inflight"));
    }

    @Test
    void withoutCaFileOrCaPathTheBridgeUsesPlainTcp() {
        assertNull(central().tls());
    }

    @Test
    void everyTlsKeyIsRead(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Path cert = Files.writeString(dir.resolve("bridge.pem"), "");
        Path key = Files.writeString(dir.resolve("bridge.key"), "");
        BridgeConfig b = central(
                "bridge.central.cafile", ca.toString(),
                "bridge.central.capath", certs.toString(),
                "bridge.central.certfile", cert.toString(),
                "bridge.central.keyfile", key.toString(),
                "bridge.central.keyfile_password", "s3cret",
                "bridge.central.insecure", "true",
                "bridge.central.tls_version", "tlsv1.3");
        assertEquals(new BridgeTlsSettings(ca, certs, cert, key, "s3cret", true, TlsVersion.TLS_1_3), b.tls());
        BridgeTlsSettings defaults =
                central("bridge.central.capath", certs.toString()).tls();
        assertEquals(new BridgeTlsSettings(null, certs, null, null, null, false, TlsVersion.TLS_1_2), defaults);
    }

    /** Every TLS problem of a bridge at once, each naming its key, as --check-config lists them. */
    @Test
    void everyTlsProblemIsReportedNamingItsKey(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> central(
                        "bridge.central.cafile", missing.toString(),
                        "bridge.central.capath", notADirectory.toString(),
                        "bridge.central.certfile", notADirectory.toString(),
                        "bridge.central.insecure", "maybe",
                        "bridge.central.tls_version", "tlsv1.1"));
        assertEquals(
                List.of(
                        "bridge.central.cafile: " + missing + " does not exist or is not a file",
                        "bridge.central.capath: " + notADirectory + " does not exist or is not a directory",
                        "bridge.central.insecure must be true or false, got 'maybe'",
                        "bridge.central.tls_version must be 'tlsv1.2' or 'tlsv1.3', got 'tlsv1.1'",
                        "bridge.central.certfile and bridge.central.keyfile go together: the bridge presents a"
                                + " certificate only with its key"),
                e.problems());
    }

    @Test
    void tlsKeysWithoutCaFileOrCaPathAreRefused(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("bridge.pem"), "");
        Path key = Files.writeString(dir.resolve("bridge.key"), "");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> central(
                        "bridge.central.certfile", cert.toString(),
                        "bridge.central.keyfile", key.toString(),
                        "bridge.central.insecure", "true"));
        assertEquals(3, e.problems().size(), e.problems().toString());
        assertTrue(
                e.problems()
                        .get(0)
                        .startsWith(
                                "bridge.central.certfile needs bridge.central.cafile or" + " bridge.central.capath"),
                e.problems().toString());
    }
}
