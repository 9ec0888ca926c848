package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificate rotation on SIGHUP, on a broker in a child process, for a tls and a wss listener:
 * the signal reloads instead of stopping the broker; new handshakes get the new certificate (and are checked against the new
 * CA bundle), a connection opened before keeps working, and a bad new file keeps the old
 * material with an ERROR naming the file. On each TLS provider.
 */
class TlsReloadIT extends Clients {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "tls_provider = {0}")
    @ValueSource(strings = {"jdk", "openssl"})
    @ExpectedErrorLog("keeps its old TLS material")
    void sighupRotatesTheCertificateForNewHandshakesAndKeepsLiveConnections(String provider) throws Exception {
        Issued oldCa = TestPki.ca("old-ca", KeyType.EC);
        Issued newCa = TestPki.ca("new-ca", KeyType.EC);
        Issued oldServer = TestPki.server(oldCa, KeyType.EC);
        Path cert = TestPki.writeCertificates(dir.resolve("server.pem"), oldServer.certificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), oldServer.privateKey());
        Issued oldClient = TestPki.client(oldCa, "CN=old-client", KeyType.EC);
        Path bundle = TestPki.writeCertificates(dir.resolve("ca.pem"), oldCa.certificate());
        try (ChildBroker broker = ChildBroker.start(
                dir.resolve("data"),
                dir.resolve("logs"),
                Map.of(
                        "listener.secure.type",
                        "tls",
                        "listener.secure.port",
                        "0",
                        "listener.secure.certfile",
                        cert.toString(),
                        "listener.secure.keyfile",
                        key.toString(),
                        "listener.secure.cafile",
                        bundle.toString(),
                        "listener.secure.require_certificate",
                        "true",
                        "listener.secure.tls_provider",
                        provider))) {
            int port = broker.port("secure");
            assertEquals(oldServer.certificate().getSerialNumber(), serverSerial(port, oldCa, newCa, oldClient));

            // A client connected before the rotation, trusting both CAs.
            Received old = new Received();
            MqttClient live = connect(port, "live", trustingBoth(oldCa, newCa, oldClient), old);
            live.subscribe("rotation/#", 1);

            // Rotate: a certificate of the new CA, and a CA bundle that now trusts only the new CA.
            Issued newServer = TestPki.server(newCa, KeyType.RSA);
            Issued newClient = TestPki.client(newCa, "CN=new-client", KeyType.EC);
            TestPki.writeCertificates(cert, newServer.certificate());
            TestPki.writeKey(key, newServer.privateKey());
            TestPki.writeCertificates(bundle, newCa.certificate());
            broker.hangUp();
            broker.awaitLog("reload: listener secure uses the TLS material now in", 1, WAIT);

            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker:\n" + broker.log());
            assertEquals(newServer.certificate().getSerialNumber(), serverSerial(port, oldCa, newCa, newClient));
            assertThrows(
                    SSLHandshakeException.class,
                    () -> serverSerial(port, oldCa, newCa, oldClient),
                    "the old CA's client certificate is no longer trusted");
            // The connection from before the rotation still delivers, both ways.
            MqttClient fresh = connect(port, "fresh", trustingBoth(oldCa, newCa, newClient), null);
            fresh.publish("rotation/after", utf8("new material"), 1, false);
            old.expect("rotation/after", "new material");
            live.publish("rotation/from-live", utf8("still here"), 1, false);
            old.expect("rotation/from-live", "still here");

            // A bad key: the listener keeps the new (now current) material and says which file.
            Files.writeString(key, "not a key\n");
            broker.hangUp();
            broker.awaitLog(
                    "reload: listener secure keeps its old TLS material: listener.secure.keyfile: " + key, 1, WAIT);
            assertTrue(broker.isAlive(), "a bad file must not stop the broker");
            assertEquals(newServer.certificate().getSerialNumber(), serverSerial(port, oldCa, newCa, newClient));
            assertEquals(0, broker.stop(), "a clean stop after the reloads");
        }
    }

    /**
     * The same rotation on a wss listener: after SIGHUP a new WebSocket client's handshake gets
     * the new certificate, and a Paho client connected over wss:// before it keeps delivering both
     * ways.
     */
    @ParameterizedTest(name = "tls_provider = {0}")
    @ValueSource(strings = {"jdk", "openssl"})
    void sighupRotatesAWssListenersCertificateAndKeepsLiveWebSocketConnections(String provider) throws Exception {
        Issued oldCa = TestPki.ca("old-ws-ca", KeyType.EC);
        Issued newCa = TestPki.ca("new-ws-ca", KeyType.EC);
        Issued oldServer = TestPki.server(oldCa, KeyType.EC);
        Path cert = TestPki.writeCertificates(dir.resolve("server.pem"), oldServer.certificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), oldServer.privateKey());
        try (ChildBroker broker = ChildBroker.start(
                dir.resolve("data"),
                dir.resolve("logs"),
                Map.of(
                        "listener.web.type",
                        "wss",
                        "listener.web.port",
                        "0",
                        "listener.web.certfile",
                        cert.toString(),
                        "listener.web.keyfile",
                        key.toString(),
                        "listener.web.tls_provider",
                        provider))) {
            int port = broker.port("web");
            SSLSocketFactory trusting = trustingBoth(oldCa, newCa, null);
            assertEquals(oldServer.certificate().getSerialNumber(), handshakeSerial(port, trusting));
            Received old = new Received();
            MqttClient live = connect("wss://127.0.0.1:" + port + "/mqtt", "live-ws", trusting, old);
            live.subscribe("rotation/#", 1);

            Issued newServer = TestPki.server(newCa, KeyType.EC);
            TestPki.writeCertificates(cert, newServer.certificate());
            TestPki.writeKey(key, newServer.privateKey());
            broker.hangUp();
            broker.awaitLog("reload: listener web uses the TLS material now in", 1, WAIT);

            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker:\n" + broker.log());
            assertEquals(newServer.certificate().getSerialNumber(), handshakeSerial(port, trusting));
            MqttClient fresh = connect("wss://127.0.0.1:" + port + "/mqtt", "fresh-ws", trusting, null);
            fresh.publish("rotation/after", utf8("new certificate"), 1, false);
            old.expect("rotation/after", "new certificate");
            live.publish("rotation/from-live", utf8("still here"), 1, false);
            old.expect("rotation/from-live", "still here");
            assertEquals(0, broker.stop(), "a clean stop after the reload");
        }
    }

    /** The serial of the certificate the broker presents in a TLS handshake on {@code port}. */
    private static BigInteger handshakeSerial(int port, SSLSocketFactory factory) throws IOException {
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Handshakes with the broker (trusting both CAs, presenting {@code client}) and returns the server certificate's serial. */
    private static BigInteger serverSerial(int port, Issued caA, Issued caB, Issued client) throws IOException {
        SSLSocketFactory factory = trustingBoth(caA, caB, client);
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            // TLS 1.3 reports a refused client certificate only with the first read.
            // A 3.1.1 CONNECT with an empty client id and clean session; the answer is a CONNACK.
            socket.getOutputStream().write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
            socket.getOutputStream().flush();
            int first = socket.getInputStream().read();
            if (first < 0) {
                throw new SSLHandshakeException("closed by the broker after the handshake");
            }
            assertEquals(0x20, first, "CONNACK");
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLSocketFactory trustingBoth(Issued caA, Issued caB, Issued client) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("a", caA.certificate());
            ks.setCertificateEntry("b", caB.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    client == null ? null : TestPki.keyManagers(client).getKeyManagers(), tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private MqttClient connect(int port, String id, SSLSocketFactory factory, Received received) throws Exception {
        return connect("ssl://127.0.0.1:" + port, id, factory, received);
    }

    private MqttClient connect(String uri, String id, SSLSocketFactory factory, Received received) throws Exception {
        MqttClient c = unconnectedPaho3(uri, id, received);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(factory);
        c.connect(o);
        return c;
    }
}
