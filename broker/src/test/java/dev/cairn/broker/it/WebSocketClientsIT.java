package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real WebSocket clients on {@code ws} and {@code wss} listeners: MQTT.js (npm {@code mqtt} 5,
 * run by Node, the client browser pages use) and Paho 3.1.1 and 5.0 over {@code wss://}, each
 * and a page in headless Chromium, each subscribing over WebSockets and receiving what a Paho
 * client publishes over plain TCP. MQTT.js and playwright-core are installed with npm into
 * {@code target/node} on first use. A wss listener sits behind the
 * same TLS handler as a tls listener: a client that does not speak TLS gets no HTTP answer.
 */
class WebSocketClientsIT extends Clients {
    private static final Path CHROMIUM = NodeScripts.CHROMIUM;

    @TempDir
    Path dir;

    /** The CA the wss listener's certificate chains to; JUnit makes a new one per test. */
    private final Issued ca = TestPki.ca("cairn-ws-ca", KeyType.EC);

    /** The wss listener's {@code tls_provider}; null leaves the default. {@link WebSocketClientsOpenSslIT} runs every test on OpenSSL. */
    String provider() {
        return null;
    }

    /** A ws listener "web" and a wss listener "secureweb" at /plant/mqtt, on free ports. */
    private Map<String, String> listeners() {
        TestPki.writeServerFiles(dir, ca, KeyType.EC);
        Map<String, String> s = new HashMap<>();
        if (provider() != null) {
            s.put("listener.secureweb.tls_provider", provider());
        }
        s.put("listener.web.type", "ws");
        s.put("listener.web.port", "0");
        s.put("listener.secureweb.type", "wss");
        s.put("listener.secureweb.port", "0");
        s.put("listener.secureweb.path", "/plant/mqtt");
        s.put("listener.secureweb.certfile", dir.resolve("server.pem").toString());
        s.put("listener.secureweb.keyfile", dir.resolve("server.key").toString());
        return s;
    }

    /**
     * Runs the Node script {@code script} (a test resource under /websocket) with {@code args};
     * its output lines arrive in the returned queue.
     */
    private BlockingQueue<String> node(String script, String... args) throws Exception {
        NodeScripts.install("mqtt@5", "playwright-core@1");
        // Node trusts the test's CA for wss, as a browser would once the plant's CA is installed.
        return NodeScripts.run(
                this,
                "/websocket/" + script,
                Map.of(
                        "NODE_EXTRA_CA_CERTS",
                        dir.resolve("ca.pem").toAbsolutePath().toString()),
                args);
    }

    private static String nextLine(BlockingQueue<String> lines) throws InterruptedException {
        return NodeScripts.nextLine(lines, 30);
    }

    @Test
    void mqttJsOverWsAndWssReceivesWhatPahoPublishesOverTcp() throws Exception {
        TestBroker broker = broker(listeners());
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);
        List<String[]> cases = List.of(
                new String[] {"ws://127.0.0.1:" + broker.port("web") + "/mqtt", "4"},
                new String[] {"ws://127.0.0.1:" + broker.port("web") + "/mqtt", "5"},
                new String[] {"wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt", "4"},
                new String[] {"wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt", "5"});
        int n = 0;
        for (String[] c : cases) {
            String topic = "hmi/" + n++;
            BlockingQueue<String> lines = node("mqttjs-subscriber.js", c[0], topic, c[1]);
            assertEquals("subscribed 1", nextLine(lines), c[0] + " MQTT " + c[1]);
            pub.publish(topic, utf8("valve open"), 1, false);
            assertEquals("message " + topic + " valve open", nextLine(lines), c[0] + " MQTT " + c[1]);
        }
    }

    /**
     * A page in headless Chromium (Debian's {@code chromium}, driven by {@code playwright-core}),
     * served from http://hmi.localhost, with MQTT.js's browser bundle: on a ws listener that
     * lists its origin it subscribes and receives what Paho publishes over TCP; on one that lists
     * only another origin, the browser's upgrade is refused (403) and the page sees an error.
     */
    @Test
    void aPageInHeadlessChromiumReceivesWhatPahoPublishesOverTcp() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM), CHROMIUM + " is needed (Debian package chromium; .ci/run installs it)");
        Map<String, String> s = listeners();
        s.put("listener.web.http_origins", "http://hmi.localhost");
        s.put("listener.strict.type", "ws");
        s.put("listener.strict.port", "0");
        s.put("listener.strict.http_origins", "https://elsewhere.example");
        TestBroker broker = broker(s);
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);

        BlockingQueue<String> page = node(
                "browser-subscriber.js",
                "ws://127.0.0.1:" + broker.port("web") + "/mqtt",
                "hmi/browser",
                CHROMIUM.toString());
        assertEquals("subscribed 1", nextLine(page));
        pub.publish("hmi/browser", utf8("tank 3 full"), 1, false);
        assertEquals("message hmi/browser tank 3 full", nextLine(page));

        BlockingQueue<String> refused = node(
                "browser-subscriber.js",
                "ws://127.0.0.1:" + broker.port("strict") + "/mqtt",
                "hmi/browser",
                CHROMIUM.toString());
        assertTrue(nextLine(refused).startsWith("error"), "an origin not in http_origins is refused");
    }

    @Test
    void pahoV3AndV5OverWssReceiveWhatPahoPublishesOverTcp() throws Exception {
        TestBroker broker = broker(listeners());
        String uri = "wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt";
        SSLSocketFactory factory = TestPki.socketFactory(ca, null);
        Received got3 = new Received();
        wss3(uri, "wss-sub3", factory, got3).subscribe("plant/#", 1);
        Received got5 = new Received();
        wss5(uri, "wss-sub5", factory, got5).subscribe("plant/#", 1);

        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);
        pub.publish("plant/line1", utf8("from tcp"), 1, false);
        assertEquals("from tcp", got3.next(1).get(0).payload());
        assertEquals("from tcp", got5.next(1).get(0).payload());
    }

    @Test
    void aPlainHttpUpgradeOnAWssListenerGetsNoHttpAnswer() throws Exception {
        TestBroker broker = broker(listeners());
        try (Socket plain = new Socket("127.0.0.1", broker.port("secureweb"))) {
            plain.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
            plain.getOutputStream()
                    .write(WebSocketIT.RawWebSocket.upgradeRequest("/plant/mqtt", "mqtt")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes(); // until the broker closes
            assertTrue(
                    !new String(answer, StandardCharsets.ISO_8859_1).contains("HTTP/1.1"),
                    "no HTTP on a TLS port before the handshake");
        }
        // The plain ws listener and the wss one still serve.
        String uri = "wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt";
        org.eclipse.paho.client.mqttv3.MqttClient c = unconnectedPaho3(uri, "after", null);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(TestPki.socketFactory(ca, null));
        c.connect(o);
        assertTrue(c.isConnected());
        assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class,
                () -> unconnectedPaho3(uri, "no-trust", null).connect(options3(true)),
                "a client that does not trust the CA is refused in the handshake");
    }

    /** A Paho 3.1.1 client connected over {@code uri} (wss://) with {@code factory}'s trust and certificate. */
    private org.eclipse.paho.client.mqttv3.MqttClient wss3(
            String uri, String id, SSLSocketFactory factory, Received received) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient c = unconnectedPaho3(uri, id, received);
        MqttConnectOptions o = options3(true);
        o.setSocketFactory(factory);
        c.connect(o);
        return c;
    }

    /** A Paho 5.0 client connected over {@code uri} (wss://) with {@code factory}'s trust and certificate. */
    private org.eclipse.paho.mqttv5.client.MqttClient wss5(
            String uri, String id, SSLSocketFactory factory, Received received) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient c = unconnectedPaho5(uri, id, received);
        MqttConnectionOptions o = options5(true, 0);
        o.setSocketFactory(factory);
        c.connect(o);
        return c;
    }

    /** The base64 SHA-256 of the listener's server certificate's public key (SubjectPublicKeyInfo). */
    private String serverSpki() throws Exception {
        X509Certificate server;
        try (InputStream in = Files.newInputStream(dir.resolve("server.pem"))) {
            server = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(server.getPublicKey().getEncoded()));
    }

    /**
     * A page in headless Chromium over wss: Chromium trusts the listener's certificate through
     * --ignore-certificate-errors-spki-list (the hash of the server certificate's public key, for a
     * test CA it has not installed), subscribes and receives what Paho publishes over TCP; the
     * same page without the flag cannot connect (the trust comes from the flag, nothing else).
     */
    @Test
    void aPageInHeadlessChromiumOverWssReceivesWhatPahoPublishesOverTcp() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM), CHROMIUM + " is needed (Debian package chromium; .ci/run installs it)");
        TestBroker broker = broker(listeners());
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);
        String url = "wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt";

        BlockingQueue<String> page =
                node("browser-subscriber.js", url, "hmi/secure", CHROMIUM.toString(), serverSpki());
        assertEquals("subscribed 1", nextLine(page));
        pub.publish("hmi/secure", utf8("pressure ok"), 1, false);
        assertEquals("message hmi/secure pressure ok", nextLine(page));

        BlockingQueue<String> untrusted = node("browser-subscriber.js", url, "hmi/secure", CHROMIUM.toString());
        assertTrue(nextLine(untrusted).startsWith("error"), "without the flag Chromium does not trust the test CA");
    }

    /** The wss listener of {@link #listeners} with client certificates required and the CN as the user name. */
    private Map<String, String> mutualWss(Path acl) {
        Map<String, String> s = listeners();
        s.put("listener.secureweb.cafile", dir.resolve("ca.pem").toString());
        s.put("listener.secureweb.require_certificate", "true");
        s.put("listener.secureweb.use_identity_as_username", "true");
        s.put("listener.secureweb.allow_anonymous", "false");
        s.put("listener.secureweb.acl_file", acl.toString());
        return s;
    }

    /**
     * Mutual TLS over wss: Paho 3.1.1 and 5.0 over wss:// with a client certificate get in where
     * anonymous clients may not, and the certificate's CN is the session's user name: the
     * listener's ACL, which grants plant/# to user pump-7 only, lets them subscribe there and
     * refuses office/# (5.0: SUBACK 0x87 [MQTT-3.9.3-1]). A client without a certificate, and one
     * whose certificate another CA signed, are refused in the handshake, before any MQTT byte.
     */
    @Test
    void mutualTlsOverWssLetsACertificateInAndItsCnIsTheUserName() throws Exception {
        Path acl = Files.writeString(dir.resolve("wss.acl"), "user pump-7\ntopic readwrite plant/#\n");
        TestBroker broker = broker(mutualWss(acl));
        String uri = "wss://127.0.0.1:" + broker.port("secureweb") + "/plant/mqtt";
        Issued pump = TestPki.client(ca, "CN=pump-7,O=Plant", KeyType.EC);
        SSLSocketFactory withCertificate = TestPki.socketFactory(ca, pump);

        Received got3 = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient sub3 = wss3(uri, "wss-mtls3", withCertificate, got3);
        sub3.subscribe("plant/#", 1);
        Received got5 = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient sub5 = wss5(uri, "wss-mtls5", withCertificate, got5);
        assertEquals(1, sub5.subscribe("plant/#", 1).getReasonCodes()[0], "granted QoS 1 to pump-7");
        assertEquals(
                0x87, sub5.subscribe("office/#", 1).getReasonCodes()[0], "the ACL judges the certificate's CN, pump-7");

        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);
        pub.publish("plant/pump-7/state", utf8("running"), 1, false);
        got3.expect("plant/pump-7/state", "running");
        got5.expect("plant/pump-7/state", "running");

        assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class,
                () -> wss3(uri, "wss-nocert", TestPki.socketFactory(ca, null), null),
                "no client certificate where one is required");
        Issued otherCa = TestPki.ca("other-ca", KeyType.EC);
        SSLSocketFactory foreign = TestPki.socketFactory(ca, TestPki.client(otherCa, "CN=pump-7,O=Plant", KeyType.EC));
        assertThrows(
                org.eclipse.paho.client.mqttv3.MqttException.class,
                () -> wss3(uri, "wss-stranger", foreign, null),
                "a certificate of a CA the listener does not trust");
        assertTrue(sub3.isConnected() && sub5.isConnected(), "the refusals touch no other connection");
    }

    /**
     * On a wss listener, a client that finishes the TLS handshake and then never sends (or never
     * finishes) the HTTP upgrade, and a plain TCP client that never starts TLS, are closed within
     * the connect timeout (1 s here; the handshake timeout for the one without TLS), and the
     * listener goes on serving.
     */
    @Test
    void unfinishedUpgradesAndPlainClientsOnAWssListenerAreClosedWithinTheTimeouts() throws Exception {
        Map<String, String> s = listeners();
        s.put("connect_timeout_seconds", "1");
        s.put("listener.secureweb.handshake_timeout_seconds", "1");
        TestBroker broker = broker(s);
        int port = broker.port("secureweb");
        SSLSocketFactory factory = TestPki.socketFactory(ca, null);
        long start = System.nanoTime();
        try (SSLSocket silent = (SSLSocket) factory.createSocket("127.0.0.1", port);
                SSLSocket half = (SSLSocket) factory.createSocket("127.0.0.1", port);
                Socket plain = new Socket("127.0.0.1", port)) {
            for (Socket socket : List.of(silent, half, plain)) {
                socket.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
            }
            silent.startHandshake();
            half.startHandshake();
            half.getOutputStream()
                    .write("GET /plant/mqtt HTTP/1.1\r\nHost: 127.0.0".getBytes(StandardCharsets.US_ASCII));
            half.getOutputStream().flush();
            plain.getOutputStream().write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
            for (Socket socket : List.of(silent, half, plain)) {
                assertTrue(TlsIT.readsToEnd(socket.getInputStream()), "closed by the broker");
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 5_000, "all closed within the 1 s timeouts (and scheduling), took " + millis + " ms");

        org.eclipse.paho.client.mqttv3.MqttClient after =
                wss3("wss://127.0.0.1:" + port + "/plant/mqtt", "after-idle", factory, null);
        assertTrue(after.isConnected(), "the listener still serves");
    }
}
