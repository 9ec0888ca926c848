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
        String tls = BrokerSettings.mosquittoConf(8883, Path.of("/data"), Wire.Kind.TLS, PKI, 0);
        assertTrue(
                tls.contains("listener 8883 127.0.0.1\ncertfile /run/pki/server.pem\nkeyfile /run/pki/server.key\n"),
                tls);
        assertFalse(tls.contains("protocol websockets"), tls);

        String ws = BrokerSettings.mosquittoConf(8080, Path.of("/data"), Wire.Kind.WS, null, 1884);
        // mosquitto 2.0.11 will not start with WebSocket listeners only: a plain one comes first.
        assertTrue(ws.startsWith("listener 1884 127.0.0.1\nlistener 8080 127.0.0.1\nprotocol websockets\n"), ws);
        assertFalse(ws.contains("certfile"), ws);

        String wss = BrokerSettings.mosquittoConf(8443, Path.of("/data"), Wire.Kind.WSS, PKI, 1884);
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
}
