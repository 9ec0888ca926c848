package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.protocol.CairnVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal: the load generator's command line keeps its options and defaults, and every error names the option. */
class LoadOptionsTest {
    private static final String[] OPTIONS = {
        "--host",
        "--port",
        "--subscriber-port",
        "--username",
        "--password",
        "--scenario",
        "--publishers",
        "--subscribers",
        "--qos",
        "--protocol",
        "--payload-bytes",
        "--window",
        "--closed-loop-outstanding",
        "--rate",
        "--duration-seconds",
        "--warmup-seconds",
        "--drain-seconds",
        "--broker-pid",
        "--io-threads",
        "--backlog-messages",
        "--connections",
        "--connect-rate",
        "--hold-seconds",
        "--transport",
        "--ca-file",
        "--ws-path",
        "--label",
        "--help",
        "--version"
    };

    @Test
    void defaultsAreThoseOfTheDocumentedPairwiseRun() {
        LoadOptions o = LoadOptions.parse(new String[] {"--port", "1884"});

        assertEquals("127.0.0.1", o.host());
        assertEquals(1884, o.port());
        assertEquals(1884, o.subscriberPort(), "subscribers on the same broker");
        assertEquals(Scenario.PAIRWISE, o.scenario());
        assertEquals(4, o.publishers());
        assertEquals(4, o.subscribers());
        assertEquals(QoS.AT_LEAST_ONCE, o.qos());
        assertEquals(ProtocolVersion.MQTT_5, o.protocol());
        assertEquals(100, o.payloadBytes());
        assertEquals(16, o.window());
        assertEquals(Pacing.closedLoop(64), o.pacing(), "4 x window");
        assertEquals(10, o.durationSeconds());
        assertEquals(3, o.warmupSeconds());
        assertEquals(10, o.drainSeconds());
        assertEquals(0, o.brokerPid());
        assertEquals(1, o.ioThreads());
        assertEquals(100_000, o.backlogMessages());
        assertEquals(1_000, o.connections());
        assertEquals(1_000, o.connectRate());
        assertEquals(5, o.holdSeconds());
        assertEquals("", o.label());
        assertEquals(Wire.Kind.TCP, o.transport());
        assertNull(o.caFile());
        assertEquals("/mqtt", o.webSocketPath());
    }

    @Test
    void theTransportOptionsAreReadAndCheckedTogether() {
        LoadOptions tls = LoadOptions.parse(new String[] {
            "--port", "1", "--transport", "tls", "--ca-file", "/tmp/ca.pem", "--scenario", "connect-storm"
        });
        assertEquals(Wire.Kind.TLS, tls.transport());
        assertEquals(Path.of("/tmp/ca.pem"), tls.caFile());
        assertEquals(Scenario.CONNECT_STORM, tls.scenario());
        assertEquals("tls", tls.describe().get("wire"));
        assertFalse(tls.describe().containsKey("qos"), "a storm publishes nothing");

        LoadOptions ws = LoadOptions.parse(new String[] {"--port", "1", "--transport", "ws", "--ws-path", "/ws"});
        assertEquals(Wire.Kind.WS, ws.transport());
        assertEquals("/ws", ws.webSocketPath());
        assertTrue(ws.wire().waitsForUpgrade(), "CONNECT waits for the upgrade");
        assertFalse(tls.transport().webSocket());

        assertRefused("--transport must be tcp, tls, ws or wss, got 'quic'", "--port", "1", "--transport", "quic");
        assertRefused("--transport tls needs --ca-file", "--port", "1", "--transport", "tls");
        assertRefused("--transport wss needs --ca-file", "--port", "1", "--transport", "wss");
        assertRefused("--ca-file applies only to --transport tls and wss", "--port", "1", "--ca-file", "/tmp/ca.pem");
        assertRefused("--ws-path must start with '/'", "--port", "1", "--transport", "ws", "--ws-path", "mqtt");
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsRefusedWhenTheRunBuildsItsWire(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        LoadOptions o =
                LoadOptions.parse(new String[] {"--port", "1", "--transport", "tls", "--ca-file", notPem.toString()});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::wire);
        assertTrue(e.getMessage().startsWith("--ca-file " + notPem), e.getMessage());
    }

    @Test
    void everyOptionIsReadAndTheLaterOfTwoWins() {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--host",
            "::1",
            "--port",
            "1",
            "--scenario",
            "fan-out",
            "--subscribers",
            "7",
            "--qos",
            "0",
            "--protocol",
            "3",
            "--payload-bytes",
            "20",
            "--window",
            "3",
            "--rate",
            "1500",
            "--duration-seconds",
            "2",
            "--warmup-seconds",
            "0",
            "--drain-seconds",
            "4",
            "--broker-pid",
            "42",
            "--io-threads",
            "2",
            "--backlog-messages",
            "1_000_000",
            "--connections",
            "9",
            "--connect-rate",
            "8",
            "--hold-seconds",
            "0",
            "--label",
            "a b",
            "--port",
            "1885"
        });

        assertEquals("::1", o.host());
        assertEquals(1885, o.port(), "the later --port wins (the side-by-side runner relies on it)");
        assertEquals(Scenario.FAN_OUT, o.scenario());
        assertEquals(1, o.publishers(), "fan-out has one publisher");
        assertEquals(7, o.subscribers());
        assertEquals(QoS.AT_MOST_ONCE, o.qos());
        assertEquals(ProtocolVersion.MQTT_3_1_1, o.protocol());
        assertEquals(20, o.payloadBytes());
        assertEquals(3, o.window());
        assertEquals(Pacing.openLoop(1500), o.pacing());
        assertEquals(2, o.durationSeconds());
        assertEquals(0, o.warmupSeconds());
        assertEquals(4, o.drainSeconds());
        assertEquals(42, o.brokerPid());
        assertEquals(2, o.ioThreads());
        assertEquals(1_000_000, o.backlogMessages());
        assertEquals(9, o.connections());
        assertEquals(8, o.connectRate());
        assertEquals(0, o.holdSeconds());
        assertEquals("a b", o.label());
        assertEquals(
                Pacing.closedLoop(5),
                LoadOptions.parse(new String[] {"--port", "1", "--closed-loop-outstanding", "5"})
                        .pacing());
    }

    @Test
    void usernameAndPasswordGoIntoEveryConnectAndAPasswordAloneIsRefused() {
        LoadOptions none = LoadOptions.parse(new String[] {"--port", "1"});
        assertNull(none.username());
        assertNull(none.password());
        assertFalse(none.describe().containsKey("login"));
        ClientSettings anonymous = none.login(ClientSettings.clean("c", none.protocol()));
        assertNull(anonymous.username());
        assertNull(anonymous.password());

        LoadOptions o = LoadOptions.parse(new String[] {"--port", "1", "--username", "u1", "--password", "p w"});
        assertEquals("u1", o.username());
        assertEquals("p w", o.password());
        assertEquals("user name and password", o.describe().get("login"));
        ClientSettings login =
                o.login(ClientSettings.persistent("c", o.protocol(), ClientSettings.SessionStart.RESUME));
        assertEquals("u1", login.username());
        assertEquals("p w", login.password());
        assertEquals("c", login.clientId());
        assertEquals(ClientSettings.SessionStart.RESUME, login.sessionStart());

        // No Password without a User Name, as 3.1.1 requires [MQTT-3.1.2-22].
        assertRefused("--password needs --username", "--port", "1", "--password", "p");
        assertRefused("--username must not be empty", "--port", "1", "--username", "");
    }

    @Test
    void badArgumentsAreRefusedNamingTheOption() {
        assertRefused("'--bogus'", "--port", "1", "--bogus", "1");
        assertRefused("--port", "--scenario", "pairwise");
        assertRefused("--port", "--port");
        assertRefused("--window", "--port", "1", "--window", "many");
        assertRefused("--qos must be in [0, 2], got 3", "--port", "1", "--qos", "3");
        assertRefused(
                "--payload-bytes must be in [" + MessageStamp.SIZE_BYTES + ", ", "--port", "1", "--payload-bytes", "8");
        assertRefused("--port must be in [1, 65535], got 0", "--port", "0");
        assertRefused("--protocol", "--port", "1", "--protocol", "4.0");
        assertRefused("--scenario", "--port", "1", "--scenario", "storm");
        assertRefused("--rate", "--port", "1", "--rate", "0");
        assertRefused("--rate", "--port", "1", "--rate", "fast");
        assertRefused(
                "--rate and --closed-loop-outstanding", "--port", "1", "--rate", "5", "--closed-loop-outstanding", "5");
        assertRefused("pairwise needs 4 subscribers, got 3", "--port", "1", "--subscribers", "3");
        assertRefused("backlog needs --qos 1 or 2", "--port", "1", "--scenario", "backlog", "--qos", "0");
    }

    @Test
    void helpListsEveryOptionAndExitCodes() {
        StringWriter out = new StringWriter();

        assertNull(LoadOptions.parse(new String[] {"--help"}, new PrintWriter(out)));

        for (String option : OPTIONS) {
            assertTrue(out.toString().contains(option), option + " missing from\n" + out);
        }
        assertTrue(out.toString().contains("Exit codes"), out.toString());
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"--help"}),
                "a run cannot be asked for help");
    }

    @Test
    void versionIsCairnsProjectVersion() {
        StringWriter out = new StringWriter();

        assertNull(LoadOptions.parse(new String[] {"--version"}, new PrintWriter(out)));

        assertEquals("Cairn " + CairnVersion.get(), out.toString().strip());
    }

    private static void assertRefused(String named, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args));
        assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' should contain " + named);
    }
}
