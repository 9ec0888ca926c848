package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the broker logs about refused TLS handshakes, read from a child broker's log: why each
 * failed (expired, unknown CA, revoked by the CRL, no certificate, TLS 1.1, not TLS at all) at
 * INFO with the peer's address, rate-limited; and the username that use_subject_as_username gives
 * a session, in place of the one the client sent. On each TLS provider.
 */
class TlsHandshakeLogIT extends Clients {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String FAILED = "on listener secure failed: ";

    @TempDir
    Path dir;

    /** Both providers (tls_provider) check certificates, keys and CRLs alike and fail for the same reasons. */
    @ParameterizedTest(name = "tls_provider = {0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void refusedHandshakesAreLoggedWithTheirReasonRateLimitedAndTheSubjectBecomesTheUsername(String provider)
            throws Exception {
        Issued ca = TestPki.ca("plant-ca", KeyType.RSA);
        Issued server = TestPki.server(ca, KeyType.EC);
        Issued good = TestPki.client(ca, "O=Plant,CN=pump-7", KeyType.EC); // ASN.1 order: O first
        Issued revoked = TestPki.client(ca, "CN=stolen-pump", KeyType.EC);
        Issued expired = TestPki.expiredClient(ca, "CN=old-pump");
        Issued stranger = TestPki.client(TestPki.ca("elsewhere", KeyType.EC), "CN=stranger", KeyType.EC);
        Path caFile = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        Map<String, String> settings = new HashMap<>(Map.of(
                "listener.secure.type", "tls",
                "listener.secure.port", "0",
                "listener.secure.certfile",
                        TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate())
                                .toString(),
                "listener.secure.keyfile",
                        TestPki.writeEncryptedKey(dir.resolve("server.key"), server.privateKey(), "s3cret")
                                .toString(),
                "listener.secure.keyfile_password", "s3cret",
                "listener.secure.cafile", caFile.toString(),
                "listener.secure.crlfile",
                        TestPki.writeCrl(dir.resolve("crl.pem"), TestPki.crl(ca, revoked.certificate()))
                                .toString(),
                "listener.secure.require_certificate", "true",
                "listener.secure.use_subject_as_username", "true",
                "allow_anonymous", "false"));
        settings.put("listener.secure.tls_provider", provider);
        try (ChildBroker broker = ChildBroker.startWithDebugLog(
                dir.resolve("data"), dir.resolve("logs"), settings, "dev.cairn.broker.core.ConnectHandler")) {
            int port = broker.port("secure");

            refused(port, TestPki.socketFactory(ca, expired));
            broker.awaitLog(FAILED + "client certificate expired", 1, WAIT);
            refused(port, TestPki.socketFactory(ca, revoked));
            broker.awaitLog(FAILED + "client certificate revoked", 1, WAIT);
            refused(port, TestPki.socketFactory(ca, null));
            broker.awaitLog(FAILED + "no client certificate", 1, WAIT);
            TlsIT.assertMosquittoPubRefused(port, caFile, stranger, dir);
            broker.awaitLog(FAILED + "client certificate from an unknown CA", 1, WAIT);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(TlsIT.tls11ClientHello());
                s.setSoTimeout((int) TIMEOUT.toMillis());
                assertTrue(TlsIT.readsToEnd(s.getInputStream()), "closed by the broker");
            }
            broker.awaitLog(FAILED + "protocol version not accepted", 1, WAIT);
            assertTrue(broker.log().contains("TLS handshake from /127.0.0.1:"), "the peer's address is in the line");

            // A flood of plain MQTT on the TLS port: every connection is closed, few lines logged.
            int flood = 30;
            for (int i = 0; i < flood; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout((int) TIMEOUT.toMillis());
                    s.getOutputStream().write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
                    assertTrue(TlsIT.readsToEnd(s.getInputStream()), "closed by the broker");
                }
            }
            broker.awaitLog(FAILED + "not TLS", 1, WAIT);
            int notTls = count(broker.log(), FAILED + "not TLS");
            // At most 10 lines per 10 s window; the flood spans at most two windows.
            assertTrue(notTls < flood && notTls <= 20, notTls + " lines for " + flood + " refused handshakes");
            // Every failed handshake is counted, logged or not: 5 refused clients and the flood.
            Scrape s = Scrape.of(broker.adminPort());
            assertEquals(5 + flood, s.value("cairn_tls_handshake_failures_total{listener=\"secure\"}"));
            assertEquals(0, s.value("cairn_tls_handshake_failures_total{listener=\"default\"}"));

            // The good certificate: its subject is the username, not the one the client sends.
            MqttClient c = unconnectedPaho3("ssl://127.0.0.1:" + port, "pump-7", null);
            MqttConnectOptions o = options3(true);
            o.setSocketFactory(TestPki.socketFactory(ca, good));
            o.setUserName("admin");
            c.connect(o);
            broker.awaitLog("client pump-7 connected on listener secure as user 'CN=pump-7,O=Plant'", 1, WAIT);
            c.disconnect();
            assertEquals(0, broker.stop());
        }
    }

    private void refused(int port, SSLSocketFactory factory) throws Exception {
        MqttClient c = unconnectedPaho3("ssl://127.0.0.1:" + port, "refused", null);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(factory);
        assertThrows(MqttException.class, () -> c.connect(o));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
