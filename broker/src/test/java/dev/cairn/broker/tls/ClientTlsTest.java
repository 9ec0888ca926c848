package dev.cairn.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a bridge's TLS context ({@link ClientTls}) reads its CAs, certificate and key with the
 * listeners' code, checks the remote's host name unless told not to, and refuses files it cannot
 * use with a message naming the bridge key and the file.
 */
class ClientTlsTest {
    @TempDir
    Path dir;

    private Path caFile;
    private Path cert;
    private Path key;

    @BeforeEach
    void files() {
        Issued ca = TestPki.ca("test-ca", KeyType.EC);
        caFile = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        Issued client = TestPki.client(ca, "CN=edge-1", KeyType.RSA);
        cert = TestPki.writeCertificates(dir.resolve("bridge.pem"), client.certificate(), ca.certificate());
        key = TestPki.writeKey(dir.resolve("bridge.key"), client.privateKey());
    }

    private static BridgeConfig bridge(String... extra) {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.central.address", "central.example:8883");
        s.put("bridge.central.topic.1", "# out 1");
        for (int i = 0; i < extra.length; i += 2) {
            s.put("bridge.central." + extra[i], extra[i + 1]);
        }
        return ConfigLoader.load(null, s).bridges().get(0);
    }

    private static String endpointCheck(SslContext context) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "central.example", 8883);
        return engine.getSSLParameters().getEndpointIdentificationAlgorithm();
    }

    @Test
    void aBridgeWithoutCaFileOrCaPathHasNoTls() {
        assertNull(ClientTls.open(bridge()));
    }

    @Test
    void theHostNameIsCheckedUnlessInsecure() {
        assertEquals("HTTPS", endpointCheck(ClientTls.open(bridge("cafile", caFile.toString()))));
        assertNull(endpointCheck(ClientTls.open(bridge("cafile", caFile.toString(), "insecure", "true"))));
    }

    @Test
    void aClientCertificateAndTheOldestVersionAreTaken() {
        SslContext context = ClientTls.open(bridge(
                "cafile", caFile.toString(),
                "certfile", cert.toString(),
                "keyfile", key.toString(),
                "tls_version", "tlsv1.3"));
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "central.example", 8883);
        assertEquals(List.of("TLSv1.3"), List.of(engine.getEnabledProtocols()));
        assertTrue(context.isClient());
    }

    @Test
    void capathReadsEveryCertificateFileAndSkipsOthers() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(caFile, certs.resolve("a1b2c3d4.0"));
        Files.writeString(certs.resolve("README"), "not a certificate\n");
        Files.createDirectories(certs.resolve("java"));
        assertEquals("HTTPS", endpointCheck(ClientTls.open(bridge("capath", certs.toString()))));
    }

    @Test
    void aCapathWithoutCertificatesIsRefusedNamingIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> ClientTls.open(bridge("capath", empty.toString())));
        assertTrue(e.getMessage().contains("bridge.central.capath: " + empty), e.getMessage());
    }

    @Test
    void aCaFileWithoutCertificateIsRefusedNamingKeyAndFile() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN NOTHING-----\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> ClientTls.open(bridge("cafile", junk.toString())));
        assertTrue(e.getMessage().startsWith("bridge.central.cafile: " + junk), e.getMessage());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyfile() {
        Issued other = TestPki.client(TestPki.ca("other", KeyType.EC), "CN=other", KeyType.RSA);
        Path otherKey = TestPki.writeKey(dir.resolve("other.key"), other.privateKey());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ClientTls.open(bridge(
                        "cafile", caFile.toString(), "certfile", cert.toString(), "keyfile", otherKey.toString())));
        assertTrue(e.getMessage().startsWith("bridge.central.keyfile: the key in " + otherKey), e.getMessage());
    }

    @Test
    void anEncryptedKeyNeedsItsPassword() {
        Issued ca = TestPki.ca("test-ca-2", KeyType.EC);
        Issued client = TestPki.client(ca, "CN=edge-2", KeyType.EC);
        Path c = TestPki.writeCertificates(dir.resolve("c2.pem"), client.certificate());
        Path k = TestPki.writeEncryptedKey(dir.resolve("c2.key"), client.privateKey(), "s3cret");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ClientTls.open(
                        bridge("cafile", caFile.toString(), "certfile", c.toString(), "keyfile", k.toString())));
        assertTrue(e.getMessage().contains("bridge.central.keyfile"), e.getMessage());
        SslContext context = ClientTls.open(bridge(
                "cafile", caFile.toString(),
                "certfile", c.toString(),
                "keyfile", k.toString(),
                "keyfile_password", "s3cret"));
        assertTrue(context.isClient());
    }

    @Test
    void aFailedHandshakeIsDescribedByItsRootCause() {
        Exception wrapped =
                new io.netty.handler.codec.DecoderException(new SSLHandshakeException("PKIX path building failed"));
        assertEquals("TLS handshake failed: PKIX path building failed", ClientTls.describe(wrapped));
        assertEquals("java.io.IOException: reset", ClientTls.describe(new java.io.IOException("reset")));
    }
}
