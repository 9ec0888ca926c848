package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.Mosquitto;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import dev.cairn.protocol.Properties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a bridge reaches its remote over TLS (ADR 0025): it checks the remote's certificate against
 * its cafile and the host it connects to, presents its own certificate where the remote requires
 * one (mutual TLS), and a remote it cannot verify is refused with a log line that says why, and
 * retried. Method: certificates made in the test ({@link TestPki}, in a temporary directory); the
 * remote is a real mosquitto with a TLS listener, or a second in-process Cairn with one; raw
 * clients publish on the edge and subscribe on the remote.
 */
class BridgeTlsIT extends Clients {
    private static final Duration DRAIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Issued ca;
    private Path caFile;
    private Path bridgeCert;
    private Path bridgeKey;

    @BeforeEach
    void makeCertificates() {
        ca = TestPki.ca("cairn-test-ca", KeyType.EC);
        TestPki.writeServerFiles(dir, ca, KeyType.RSA);
        caFile = dir.resolve("ca.pem");
        Issued bridge = TestPki.client(ca, "CN=edge-1,O=Plant", KeyType.EC);
        bridgeCert = TestPki.writeCertificates(dir.resolve("bridge.pem"), bridge.certificate(), ca.certificate());
        bridgeKey = TestPki.writeKey(dir.resolve("bridge.key"), bridge.privateKey());
    }

    /** A central Cairn with a TLS listener "secure" (server certificate in {@code certDir}); mutual TLS if asked. */
    private TestBroker central(Path certDir, boolean requireCertificate) {
        Map<String, String> s = new HashMap<>();
        s.put("listener.secure.type", "tls");
        s.put("listener.secure.port", "0");
        s.put("listener.secure.certfile", certDir.resolve("server.pem").toString());
        s.put("listener.secure.keyfile", certDir.resolve("server.key").toString());
        s.put("listener.secure.cafile", caFile.toString());
        s.put("listener.secure.require_certificate", Boolean.toString(requireCertificate));
        return broker(s);
    }

    private Map<String, String> edgeSettings(String address, String... extra) {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.central.address", address);
        s.put("bridge.central.topic.1", "# out 1 edge/ site7/");
        s.put("bridge.central.client_id", "edge-1");
        s.put("bridge.central.restart_timeout_initial_millis", "50");
        s.put("bridge.central.restart_timeout_max_millis", "200");
        s.put("bridge.central.cafile", caFile.toString());
        for (int i = 0; i < extra.length; i += 2) {
            s.put("bridge.central." + extra[i], extra[i + 1]);
        }
        return s;
    }

    private RawMqttClient centralSubscriber(TestBroker central) throws Exception {
        RawMqttClient sub = raw(central, ProtocolVersion.MQTT_5, "central-sub");
        subscribeRaw(sub, 1, "site7/#", QoS.AT_LEAST_ONCE);
        return sub;
    }

    private void publishOnEdge(TestBroker edge, String payload) throws Exception {
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub-" + payload);
        pub.send(publish("edge/line", QoS.AT_LEAST_ONCE, 1, payload));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason(), "queued for the bridge");
    }

    private static void assertNext(RawMqttClient sub, String payload) throws Exception {
        Packet got = sub.receive(DRAIN);
        assertTrue(got instanceof Packet.Publish, "a PUBLISH, not " + got);
        Packet.Publish p = (Packet.Publish) got;
        assertEquals("site7/line", p.topic());
        assertEquals(payload, text(p.payload()));
        sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }

    /** Waits until {@code count} log lines hold every one of {@code texts}; returns them. */
    private static List<String> awaitLines(LogLines log, int count, String... texts) throws InterruptedException {
        await(() -> matching(log, texts).size() >= count, DRAIN, count + " log lines with " + List.of(texts));
        return matching(log, texts);
    }

    private static List<String> matching(LogLines log, String... texts) {
        return log.containing(texts[0]).stream()
                .filter(l -> List.of(texts).stream().allMatch(l::contains))
                .toList();
    }

    @Test
    @DisplayName("Cairn to Cairn over mutual TLS: the central broker requires a certificate and gets the bridge's")
    void cairnToCairnOverMutualTls() throws Exception {
        TestBroker central = central(dir, true);
        RawMqttClient sub = centralSubscriber(central);
        TestBroker edge = broker(edgeSettings(
                "localhost:" + central.port("secure"),
                "certfile",
                bridgeCert.toString(),
                "keyfile",
                bridgeKey.toString()));
        // Act
        publishOnEdge(edge, "over mutual TLS");
        // Assert
        assertNext(sub, "over mutual TLS");
    }

    @Test
    @DisplayName(
            "a remote that requires a client certificate refuses a bridge without one; the bridge says so and retries")
    void aBridgeWithoutTheRequiredCertificateIsRefused() throws Exception {
        TestBroker central = central(dir, true);
        try (LogLines log = LogLines.capture("bridge central")) {
            // Act
            broker(edgeSettings("localhost:" + central.port("secure")));
            // Assert: the handshake fails (the server ends it for want of a certificate), more than once.
            List<String> failures = awaitLines(log, 2, "connecting to localhost:" + central.port("secure"), "retrying");
            assertTrue(failures.get(0).contains("TLS"), failures.get(0));
        }
    }

    @Test
    @DisplayName(
            "a remote whose certificate is of another CA is refused with a log line naming the reason, and retried")
    void aRemoteOfAnotherCaIsRefusedAndRetried() throws Exception {
        TestBroker central = central(dir, false);
        RawMqttClient sub = centralSubscriber(central);
        Issued other = TestPki.ca("another-ca", KeyType.EC);
        Path otherCa = TestPki.writeCertificates(dir.resolve("other-ca.pem"), other.certificate());
        try (LogLines log = LogLines.capture("bridge central")) {
            // Act
            TestBroker edge = broker(edgeSettings("localhost:" + central.port("secure"), "cafile", otherCa.toString()));
            publishOnEdge(edge, "never forwarded");
            // Assert: each attempt ends in the handshake, with the JDK's reason, and another follows.
            List<String> failures = awaitLines(log, 2, "TLS handshake failed", "retrying in");
            assertTrue(
                    failures.get(0).contains("bridge central: connecting to localhost:" + central.port("secure")),
                    failures.get(0));
            assertTrue(failures.get(0).contains("certification path"), failures.get(0));
            assertTrue(log.containing("bridge central connected").isEmpty(), "no link");
        }
        sub.send(new Packet.PingReq());
        assertTrue(sub.receive(DRAIN) instanceof Packet.PingResp, "nothing was forwarded before the ping");
    }

    @Test
    @DisplayName("the remote's certificate must name the host in address; insecure = true skips that check (WARN)")
    void theHostNameIsChecked() throws Exception {
        Path named = dir.resolve("named");
        Issued server = TestPki.serverNamed(ca, KeyType.EC, "central.cairn.invalid");
        TestPki.writeCertificates(named.resolve("server.pem"), server.certificate(), ca.certificate());
        TestPki.writeKey(named.resolve("server.key"), server.privateKey());
        TestBroker central = central(named, false);
        RawMqttClient sub = centralSubscriber(central);
        String address = "127.0.0.1:" + central.port("secure");
        try (LogLines log = LogLines.capture("central")) {
            // Act: the certificate names central.cairn.invalid, the bridge connects to 127.0.0.1.
            TestBroker checked = broker(edgeSettings(address));
            // Assert
            List<String> failures = awaitLines(log, 2, "TLS handshake failed", "retrying in");
            assertTrue(failures.get(0).contains("127.0.0.1"), failures.get(0));
            checked.close();
            // Act: the same with the host check off.
            TestBroker insecure = broker(edgeSettings(address, "insecure", "true"));
            publishOnEdge(insecure, "host not checked");
            // Assert
            assertNext(sub, "host not checked");
            assertEquals(
                    1,
                    log.containing("bridge.central.insecure = true").size(),
                    "one WARN at start: " + log.containing("insecure"));
        }
    }

    @Test
    @DisplayName(
            "Cairn to a real mosquitto over mutual TLS: the bridge checks mosquitto's certificate and presents its own")
    void cairnToMosquittoOverMutualTls() throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.startWithTls(
                dir.resolve("central"), dir.resolve("server.pem"), dir.resolve("server.key"), caFile));
        Received received = new Received();
        MqttClient sub = unconnectedPaho3(central.uri(), "central-sub", received);
        sub.connect(options3(true));
        sub.subscribe("site7/#", 1);
        closeAfterTest(sub::disconnect);
        TestBroker edge = broker(edgeSettings(
                "localhost:" + central.tlsPort(),
                "certfile",
                bridgeCert.toString(),
                "keyfile",
                bridgeKey.toString(),
                "tls_version",
                "tlsv1.3"));
        // Act
        publishOnEdge(edge, "to mosquitto over TLS");
        // Assert
        Received.Msg got = received.next(1).get(0);
        assertEquals("site7/line", got.topic());
        assertEquals("to mosquitto over TLS", got.payload());
    }
}
