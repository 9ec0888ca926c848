package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the TLS and WebSocket cases start each broker with the listener their clients speak to,
 * with the same certificate files, and hand the clients the CA. Method: the cases' arguments and
 * the generated broker settings, no processes.
 */
class BenchmarkCaseTest {
    private static final BenchPki PKI =
            new BenchPki(Path.of("/run/pki/ca.pem"), Path.of("/run/pki/server.pem"), Path.of("/run/pki/server.key"));

    @Test
    void theTlsAndWebSocketCasesNameTheirWireAndTheTlsOnesPassTheCa() {
        assertEquals(Wire.Kind.TLS, BenchmarkCase.named("tls-qos1").wire());
        assertEquals(Wire.Kind.WS, BenchmarkCase.named("ws-qos1").wire());
        assertEquals(Wire.Kind.TLS, BenchmarkCase.named("tls-connect-storm").wire());
        assertEquals(Wire.Kind.TCP, BenchmarkCase.named("pairwise-qos1").wire());

        LoadOptions tls = LoadOptions.parse(
                BenchmarkCase.named("tls-qos1").arguments(List.of("--duration-seconds", "3"), 2000, 77, PKI));
        assertEquals(Wire.Kind.TLS, tls.transport());
        assertEquals(PKI.caFile(), tls.caFile());
        assertEquals(Scenario.PAIRWISE, tls.scenario());
        assertEquals(2000, tls.port());
        assertEquals(3, tls.durationSeconds());

        String[] ws = BenchmarkCase.named("ws-qos1").arguments(List.of(), 2001, 77, null);
        assertFalse(Arrays.asList(ws).contains("--ca-file"), "a plain wire needs no CA: " + Arrays.toString(ws));
        assertEquals(Wire.Kind.WS, LoadOptions.parse(ws).transport());

        LoadOptions storm =
                LoadOptions.parse(BenchmarkCase.named("tls-connect-storm").arguments(List.of(), 2002, 77, PKI));
        assertEquals(Scenario.CONNECT_STORM, storm.scenario());
        assertEquals(
                Metric.CONNECT_PER_SECOND,
                BenchmarkCase.named("tls-connect-storm").headline());
    }

    @Test
    void mosquittoGetsATlsListenerWithTheRunsFilesAndAWebSocketOneBesideAPlainOne() {
        String tls = BrokerSettings.mosquittoConf(8883, Path.of("/data"), Wire.Kind.TLS, PKI, 0, null);
        assertTrue(
                tls.contains("listener 8883 127.0.0.1\ncertfile /run/pki/server.pem\nkeyfile /run/pki/server.key\n"),
                tls);
        assertFalse(tls.contains("protocol websockets"), tls);

        String ws = BrokerSettings.mosquittoConf(8080, Path.of("/data"), Wire.Kind.WS, null, 1884, null);
        // mosquitto 2.0.11 will not start with WebSocket listeners only: a plain one comes first.
        assertTrue(ws.startsWith("listener 1884 127.0.0.1\nlistener 8080 127.0.0.1\nprotocol websockets\n"), ws);
        assertFalse(ws.contains("certfile"), ws);

        String wss = BrokerSettings.mosquittoConf(8443, Path.of("/data"), Wire.Kind.WSS, PKI, 1884, null);
        assertTrue(wss.contains("listener 8443 127.0.0.1\nprotocol websockets\ncertfile /run/pki/server.pem\n"), wss);

        String tcp = BrokerSettings.mosquittoConf(1883, Path.of("/data"));
        assertTrue(tcp.startsWith("listener 1883 127.0.0.1\nallow_anonymous true\n"), tcp);
    }

    @Test
    void cairnGetsOneNamedListenerOfTheWiresTypeInsteadOfTheDefault() {
        assertEquals(List.of("--port", "1883"), BrokerSettings.cairnListener(1883, Wire.Kind.TCP, null, null));
        List<String> tls = List.of(
                "--set", "default_listener=false",
                "--set", "listener.bench.type=tls",
                "--set", "listener.bench.port=8883",
                "--set", "listener.bench.certfile=/run/pki/server.pem",
                "--set", "listener.bench.keyfile=/run/pki/server.key");
        assertEquals(tls, BrokerSettings.cairnListener(8883, Wire.Kind.TLS, PKI, null));
        List<String> openSsl = new ArrayList<>(tls);
        openSsl.addAll(List.of("--set", "listener.bench.tls_provider=openssl"));
        assertEquals(openSsl, BrokerSettings.cairnListener(8883, Wire.Kind.TLS, PKI, "openssl"));
        assertEquals(
                List.of(
                        "--set", "default_listener=false",
                        "--set", "listener.bench.type=ws",
                        "--set", "listener.bench.port=8080"),
                BrokerSettings.cairnListener(8080, Wire.Kind.WS, null, "openssl"));
    }

    private static final BenchAuth AUTH =
            new BenchAuth(Path.of("/run/auth/passwd"), Path.of("/run/auth/acl"), "s3cret");

    @Test
    void theAuthenticatedCaseLogsEveryClientInAsTheBenchUserWithTheRunsPassword() {
        BenchmarkCase auth = BenchmarkCase.named("auth-qos1");
        assertTrue(auth.authenticated());
        assertFalse(BenchmarkCase.named("pairwise-qos1").authenticated());
        assertEquals(Wire.Kind.TCP, auth.wire());

        LoadOptions options = LoadOptions.parse(auth.arguments(List.of(), 2003, 77, null, AUTH));
        assertEquals(Scenario.PAIRWISE, options.scenario());
        assertEquals(1, options.qos().value());
        assertEquals(BenchAuth.USERNAME, options.username());
        assertEquals("s3cret", options.password());
        ClientSettings login = options.login(ClientSettings.clean("c1", options.protocol()));
        assertEquals(BenchAuth.USERNAME, login.username());
        assertEquals("s3cret", login.password());

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> auth.arguments(List.of(), 2003, 77, null));
        assertTrue(e.getMessage().contains("password and ACL files"), e.getMessage());
    }

    @Test
    void bothBrokersRefuseAnonymousClientsAndGetTheSamePasswordAndAclFiles() {
        String conf = BrokerSettings.mosquittoConf(1883, Path.of("/data"), Wire.Kind.TCP, null, 0, AUTH);
        List<String> lines = Arrays.asList(conf.split("\n"));
        assertTrue(lines.contains("allow_anonymous false"), conf);
        assertFalse(lines.contains("allow_anonymous true"), conf);
        assertTrue(lines.contains("password_file /run/auth/passwd"), conf);
        assertTrue(lines.contains("acl_file /run/auth/acl"), conf);
        assertTrue(Arrays.asList(
                        BrokerSettings.mosquittoConf(1883, Path.of("/data")).split("\n"))
                .contains("allow_anonymous true"));

        assertEquals(
                List.of(
                        "--set", "allow_anonymous=false",
                        "--set", "password_file=/run/auth/passwd",
                        "--set", "acl_file=/run/auth/acl"),
                BrokerSettings.cairnAuth(AUTH));
        assertEquals(List.of(), BrokerSettings.cairnAuth(null));
    }

    @Test
    void theAclGrantsTheBenchUserTheGeneratorsTopicsAndAnonymousClientsNothing() {
        List<String> lines = Arrays.asList(BenchAuth.acl().split("\n"));
        assertEquals(List.of("user " + BenchAuth.USERNAME, "topic readwrite cairn-bench/#"), lines);
        assertFalse(AUTH.toString().contains("s3cret"), "the password is not printed");
    }

    @Test
    void theBridgeCasesPutTheSubscribersOnTheRemoteAndBothEdgesBridgeTheGeneratorsTopicsAtQos1() {
        BenchmarkCase forward = BenchmarkCase.named("bridge-qos1");
        BenchmarkCase kill = BenchmarkCase.named("bridge-kill-qos1");
        assertEquals(BenchmarkCase.Bridge.FORWARD, forward.bridge());
        assertEquals(BenchmarkCase.Bridge.KILL, kill.bridge());
        assertEquals(
                BenchmarkCase.Bridge.NONE, BenchmarkCase.named("pairwise-qos1").bridge());
        LoadOptions options = LoadOptions.parse(BridgeRun.arguments(forward, List.of(), 1884, 42, 1885));
        assertEquals(1884, options.port());
        assertEquals(1885, options.subscriberPort());
        assertEquals(Metric.LOST, kill.headline());

        List<String> lines = Arrays.asList(BrokerSettings.mosquittoBridge(1885).split("\n"));
        assertTrue(lines.contains("connection bench"), lines.toString());
        assertTrue(lines.contains("address 127.0.0.1:1885"), lines.toString());
        assertTrue(lines.contains("topic cairn-bench/# out 1"), lines.toString());
        assertTrue(lines.contains("max_inflight_messages 1000"), "the window of Cairn's bridge: " + lines);
        assertEquals(
                List.of(
                        "--set", "bridge.remote.address=127.0.0.1:1885",
                        "--set", "bridge.remote.topic.1=cairn-bench/# out 1",
                        "--set", "bridge.remote.client_id=cairn-bench-edge"),
                BrokerSettings.cairnBridge(1885));
    }
}
