package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS and mutual TLS listeners with real clients: Paho 3.1.1 and 5.0 (SSL socket factory), the
 * HiveMQ client and mosquitto_pub/mosquitto_sub (--cafile, --cert, --key), with certificates made
 * in the test ({@link TestPki}, written to a temporary directory). Refusals (unknown CA, expired
 * certificate, no certificate, TLS 1.1, plain MQTT and garbage on the TLS port) end the connection
 * in the handshake and leave the broker serving others.
 */
class TlsIT extends Clients {
    private static final String TLS = "secure";

    @TempDir
    Path dir;

    private Issued ca;
    private Path caFile;
    private Path clientCert;
    private Path clientKey;
    private Issued client;

    @BeforeEach
    void makeCertificates() {
        ca = TestPki.ca("cairn-test-ca", KeyType.EC);
        TestPki.writeServerFiles(dir, ca, KeyType.RSA);
        caFile = dir.resolve("ca.pem");
        client = TestPki.client(ca, "CN=pump-7,O=Plant", KeyType.EC);
        clientCert = TestPki.writeCertificates(dir.resolve("client.pem"), client.certificate());
        clientKey = TestPki.writeKey(dir.resolve("client.key"), client.privateKey());
    }

    /** The listeners' {@code tls_provider}; null leaves the default. {@link TlsOpenSslIT} runs every test on OpenSSL. */
    String provider() {
        return null;
    }

    /** A TLS listener named {@value #TLS} on a free port, with {@code extra} listener keys. */
    private Map<String, String> tlsListener(String... extra) {
        Map<String, String> s = new HashMap<>();
        if (provider() != null) {
            s.put("listener.secure.tls_provider", provider());
        }
        s.put("listener.secure.type", "tls");
        s.put("listener.secure.port", "0");
        s.put("listener.secure.certfile", dir.resolve("server.pem").toString());
        s.put("listener.secure.keyfile", dir.resolve("server.key").toString());
        s.put("listener.secure.cafile", caFile.toString());
        for (int i = 0; i < extra.length; i += 2) {
            s.put("listener.secure." + extra[i], extra[i + 1]);
        }
        return s;
    }

    private Map<String, String> mutualTls(String... extra) {
        Map<String, String> s = tlsListener(extra);
        s.put("listener.secure.require_certificate", "true");
        return s;
    }

    private static String sslUri(TestBroker broker) {
        return "ssl://127.0.0.1:" + broker.port(TLS);
    }

    private org.eclipse.paho.client.mqttv3.MqttClient paho3Tls(
            TestBroker broker, String id, SSLSocketFactory factory, Received received, String username)
            throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient c = unconnectedPaho3(sslUri(broker), id, received);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(factory);
        if (username != null) {
            o.setUserName(username);
        }
        c.connect(o);
        return c;
    }

    private org.eclipse.paho.mqttv5.client.MqttClient paho5Tls(
            TestBroker broker, String id, SSLSocketFactory factory, Received received) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient c = unconnectedPaho5(sslUri(broker), id, received);
        MqttConnectionOptions o = options5(true, 0);
        o.setSocketFactory(factory);
        c.connect(o);
        return c;
    }

    private Mqtt5BlockingClient hiveTls(TestBroker broker, String id, Issued withCertificate) {
        var ssl = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port(TLS))
                .sslConfig()
                .trustManagerFactory(TestPki.trustManagers(ca));
        if (withCertificate != null) {
            ssl = ssl.keyManagerFactory(TestPki.keyManagers(withCertificate));
        }
        Mqtt5BlockingClient c = ssl.applySslConfig().buildBlocking();
        closeAfterTest(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    @Test
    void pahoV3AndV5ExchangeMessagesOverServerOnlyTls() throws Exception {
        TestBroker broker = broker(tlsListener());
        SSLSocketFactory factory = TestPki.socketFactory(ca, null);
        Received got = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient sub = paho3Tls(broker, "sub3", factory, got, null);
        sub.subscribe("plant/#", 1);
        paho5Tls(broker, "pub5", factory, null).publish("plant/line1", utf8("over tls"), 1, false);
        got.expect("plant/line1", "over tls");
    }

    @Test
    void pahoV3V5AndHiveMqExchangeMessagesOverMutualTls() throws Exception {
        TestBroker broker = broker(mutualTls());
        SSLSocketFactory factory = TestPki.socketFactory(ca, client);
        Received got3 = new Received();
        paho3Tls(broker, "sub3", factory, got3, null).subscribe("plant/#", 1);
        Received got5 = new Received();
        paho5Tls(broker, "sub5", factory, got5).subscribe("plant/#", 1);
        Mqtt5BlockingClient hive = hiveTls(broker, "hive", client);
        hive.connect();
        hive.publishWith()
                .topic("plant/hive")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("from hive"))
                .send();
        got3.expect("plant/hive", "from hive");
        got5.expect("plant/hive", "from hive");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                hive.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            hive.subscribeWith()
                    .topicFilter("back/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            paho5Tls(broker, "pub5", factory, null).publish("back/5", utf8("from paho5"), 1, false);
            Optional<Mqtt5Publish> p = publishes.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(p.isPresent(), "HiveMQ received nothing over mutual TLS");
            assertEquals("from paho5", new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoClientsExchangeMessagesOverMutualTls(String version) throws Exception {
        TestBroker broker = broker(mutualTls());
        List<String> tls = List.of(
                "-h", "localhost", // The server certificate names localhost and 127.0.0.1.
                "-p", Integer.toString(broker.port(TLS)),
                "-V", version,
                "--cafile", caFile.toString(),
                "--cert", clientCert.toString(),
                "--key", clientKey.toString());
        List<String> subCommand = new ArrayList<>(
                List.of("mosquitto_sub", "-q", "1", "-C", "1", "-W", "10", "-t", "plant/#", "-F", "%t %p"));
        subCommand.addAll(tls);
        Process sub = new ProcessBuilder(subCommand).redirectErrorStream(true).start();
        closeAfterTest(() -> sub.destroyForcibly().waitFor(5, TimeUnit.SECONDS));
        // mosquitto_sub prints nothing when it has subscribed: publish a retained message, which it
        // receives whenever its subscription lands.
        List<String> pubCommand =
                new ArrayList<>(List.of("mosquitto_pub", "-q", "1", "-r", "-t", "plant/tls", "-m", "via " + version));
        pubCommand.addAll(tls);
        Process pub = new ProcessBuilder(pubCommand).redirectErrorStream(true).start();
        assertTrue(pub.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "mosquitto_pub did not finish");
        String pubOutput = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, pub.exitValue(), "mosquitto_pub failed: " + pubOutput);
        assertTrue(sub.waitFor(15, TimeUnit.SECONDS), "mosquitto_sub did not finish");
        String subOutput = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sub.exitValue(), "mosquitto_sub failed: " + subOutput);
        assertEquals("plant/tls via " + version, subOutput.trim());
    }

    @Test
    void refusesAClientCertificateOfAnUnknownCaAnExpiredOneAndNoneWhereOneIsRequired() throws Exception {
        TestBroker broker = broker(mutualTls());
        Issued expired = TestPki.expiredClient(ca, "CN=old-pump");
        for (Issued presented : new Issued[] {expired, null}) {
            String what = presented == null ? "no certificate" : "expired certificate";
            assertThrows(
                    org.eclipse.paho.client.mqttv3.MqttException.class,
                    () -> paho3Tls(broker, "refused", TestPki.socketFactory(ca, presented), null, null),
                    what);
        }
        // HiveMQ without a certificate is refused too.
        assertThrows(
                RuntimeException.class,
                () -> hiveTls(broker, "hive-no-cert", null).connect());
        // A certificate of another CA: the JDK's client would not even send it (it picks one the
        // server's CA list names), mosquitto_pub sends what it is given.
        Issued otherCa = TestPki.ca("someone-else", KeyType.EC);
        Issued stranger = TestPki.client(otherCa, "CN=stranger", KeyType.EC);
        assertMosquittoPubRefused(broker.port(TLS), caFile, stranger, dir);
        // The broker is unaffected: a client with a good certificate still gets through.
        Received got = new Received();
        paho3Tls(broker, "good", TestPki.socketFactory(ca, client), got, null).subscribe("ok", 1);
    }

    /** mosquitto_pub presenting {@code certificate} (written to {@code dir}) to the TLS port is refused. */
    static void assertMosquittoPubRefused(int port, Path caFile, Issued certificate, Path dir) throws Exception {
        Path cert = TestPki.writeCertificates(dir.resolve("presented.pem"), certificate.certificate());
        Path key = TestPki.writeKey(dir.resolve("presented.key"), certificate.privateKey());
        Process pub = new ProcessBuilder(
                        "mosquitto_pub",
                        "-h",
                        "localhost",
                        "-p",
                        Integer.toString(port),
                        "--cafile",
                        caFile.toString(),
                        "--cert",
                        cert.toString(),
                        "--key",
                        key.toString(),
                        "-t",
                        "x",
                        "-m",
                        "y")
                .redirectErrorStream(true)
                .start();
        assertTrue(pub.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "mosquitto_pub did not finish");
        String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(
                pub.exitValue() != 0,
                "mosquitto_pub with " + certificate.certificate().getSubjectX500Principal() + " got through: "
                        + output);
    }

    /**
     * A TLS 1.1 ClientHello (record and client version 3.2, no supported_versions extension) gets
     * an alert and the connection ends: TLS 1.2 is the oldest version accepted. Written by hand,
     * because the JDK's own client refuses to offer TLS 1.1 at all.
     */
    @Test
    void refusesTls11WithAnAlertAndCloses() throws Exception {
        TestBroker broker = broker(tlsListener());
        try (Socket s = new Socket("127.0.0.1", broker.port(TLS))) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.getOutputStream().write(tls11ClientHello());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertEquals(0x15, in.read(), "an alert record");
            assertTrue(readsToEnd(in), "the connection ends after the alert");
        }
        paho3Tls(broker, "good", TestPki.socketFactory(ca, null), null, null);
    }

    static byte[] tls11ClientHello() {
        byte[] random = new byte[32];
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 0x03;
        body[i++] = 0x02; // client_version TLS 1.1
        System.arraycopy(random, 0, body, i, 32);
        i += 32;
        body[i++] = 0; // session id length
        body[i++] = 0;
        body[i++] = 4; // two cipher suites
        body[i++] = (byte) 0xc0;
        body[i++] = 0x13; // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x00;
        body[i++] = 0x2f; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1; // one compression method: null
        body[i++] = 0;
        byte[] handshake = new byte[4 + body.length];
        handshake[0] = 1; // ClientHello
        handshake[3] = (byte) body.length;
        System.arraycopy(body, 0, handshake, 4, body.length);
        byte[] record = new byte[5 + handshake.length];
        record[0] = 0x16; // handshake
        record[1] = 0x03;
        record[2] = 0x02;
        record[4] = (byte) handshake.length;
        System.arraycopy(handshake, 0, record, 5, handshake.length);
        return record;
    }

    @Test
    void identityAsUsernameLetsACertificateInWhereAnonymousClientsAreRefused() throws Exception {
        Map<String, String> settings = mutualTls("use_identity_as_username", "true");
        settings.put("listener.plain.type", "tls");
        settings.put("listener.plain.port", "0");
        settings.put("listener.plain.certfile", dir.resolve("server.pem").toString());
        settings.put("listener.plain.keyfile", dir.resolve("server.key").toString());
        settings.put("listener.plain.cafile", caFile.toString());
        settings.put("listener.plain.require_certificate", "true");
        if (provider() != null) {
            settings.put("listener.plain.tls_provider", provider());
        }
        settings.put("allow_anonymous", "false");
        TestBroker broker = broker(settings);
        SSLSocketFactory factory = TestPki.socketFactory(ca, client);
        // No username in the CONNECT: the certificate's CN (pump-7) is the username.
        paho3Tls(broker, "pump", factory, null, null).disconnect();
        // A username the client sends is ignored in favour of the certificate's.
        paho3Tls(broker, "pump-claims", factory, null, "admin").disconnect();
        // A certificate without a CN gives no username: closed after the handshake, before MQTT.
        Issued noCn = TestPki.client(ca, "O=Plant,OU=Line 1", KeyType.EC);
        assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class,
                () -> paho3Tls(broker, "nameless", TestPki.socketFactory(ca, noCn), null, null));
        // The same certificate on a listener without use_identity_as_username: anonymous, refused.
        org.eclipse.paho.client.mqttv3.MqttClient c =
                unconnectedPaho3("ssl://127.0.0.1:" + broker.port("plain"), "anon", null);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(factory);
        org.eclipse.paho.client.mqttv3.MqttException refused =
                assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> c.connect(o));
        assertEquals(5, refused.getReasonCode(), "CONNACK return code 5, not authorized: " + refused);
    }

    @Test
    void plainMqttSilenceAndGarbageOnTheTlsPortAreClosedWithinTheHandshakeTimeout() throws Exception {
        TestBroker broker = broker(tlsListener("handshake_timeout_seconds", "1"));
        long start = System.nanoTime();
        try (Socket plain = new Socket("127.0.0.1", broker.port(TLS));
                Socket silent = new Socket("127.0.0.1", broker.port(TLS));
                Socket garbage = new Socket("127.0.0.1", broker.port(TLS))) {
            for (Socket s : List.of(plain, silent, garbage)) {
                s.setSoTimeout((int) TIMEOUT.toMillis());
            }
            // A 3.1.1 CONNECT, as a plain client would send it.
            plain.getOutputStream().write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
            // A handshake record header, then bytes that are no ClientHello, then nothing more.
            OutputStream g = garbage.getOutputStream();
            g.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x7f, 0x7f});
            g.flush();
            for (Socket s : List.of(plain, silent, garbage)) {
                assertTrue(readsToEnd(s.getInputStream()), "closed by the broker");
            }
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < TIMEOUT.toMillis(), "all closed within the 1 s handshake timeout, took " + tookMillis);
        // The broker is unaffected.
        Received got = new Received();
        paho3Tls(broker, "good", TestPki.socketFactory(ca, null), got, null).subscribe("ok", 1);
    }

    /** Reads until the peer closes (true) or the read times out (false); whatever it sent is discarded. */
    static boolean readsToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[512];
        try {
            while (in.read(buf) >= 0) {
                // Alerts and the like: keep reading until the end of the stream.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset"); // A reset is a close too.
        }
    }

    @Test
    void aTcpAndATlsListenerInOneBrokerDeliverToEachOther() throws Exception {
        TestBroker broker = broker(tlsListener());
        Received onTcp = new Received();
        paho3(broker, "on-tcp", onTcp).subscribe("from-tls", 1);
        Received onTls = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient tlsClient =
                paho5Tls(broker, "on-tls", TestPki.socketFactory(ca, null), onTls);
        tlsClient.subscribe("from-tcp", 1);
        tlsClient.publish("from-tls", utf8("hello tcp"), 1, false);
        onTcp.expect("from-tls", "hello tcp");
        raw(broker, ProtocolVersion.MQTT_3_1_1, "raw-tcp")
                .send(publish("from-tcp", dev.cairn.broker.codec.QoS.AT_MOST_ONCE, 0, "hello tls"));
        onTls.expect("from-tcp", "hello tls");
    }
}
