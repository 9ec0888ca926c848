package dev.cairn.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import dev.cairn.storage.testing.ExpectedErrorLog;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a TLS listener starts from PEM files as openssl writes them (RSA and EC keys, encrypted
 * or not), refuses files it cannot use with a message naming the key and the file, and a reload
 * with a bad file keeps the material it had.
 */
class ServerTlsTest {
    @TempDir
    Path dir;

    private Issued ca;
    private Path cert;
    private Path key;

    @BeforeEach
    void files() {
        ca = TestPki.ca("test-ca", KeyType.EC);
        TestPki.writeServerFiles(dir, ca, KeyType.RSA);
        cert = dir.resolve("server.pem");
        key = dir.resolve("server.key");
    }

    /** The listener's {@code tls_provider}; null leaves the default. {@link ServerTlsOpenSslTest} runs every test on OpenSSL. */
    String provider() {
        return null;
    }

    private ListenerConfig listener(String... extra) {
        Map<String, String> s = new HashMap<>();
        if (provider() != null) {
            s.put("listener.t.tls_provider", provider());
        }
        s.put("listener.t.type", "tls");
        s.put("listener.t.port", "8883");
        s.put("listener.t.certfile", cert.toString());
        s.put("listener.t.keyfile", key.toString());
        for (int i = 0; i < extra.length; i += 2) {
            s.put("listener.t." + extra[i], extra[i + 1]);
        }
        return ConfigLoader.load(null, s).listeners().get(1);
    }

    private String refusal(ListenerConfig l) {
        return assertThrows(ConfigException.class, () -> ServerTls.open(l)).getMessage();
    }

    @Test
    void opensWithAnRsaOrAnEcKeyAndWithAnEncryptedOne() {
        assertTrue(ServerTls.open(listener()).context().isServer(), "RSA");
        Issued ec = TestPki.server(ca, KeyType.EC);
        TestPki.writeCertificates(cert, ec.certificate());
        TestPki.writeKey(key, ec.privateKey());
        assertTrue(ServerTls.open(listener()).context().isServer(), "EC");
        TestPki.writeEncryptedKey(key, ec.privateKey(), "pw");
        assertTrue(ServerTls.open(listener("keyfile_password", "pw")).context().isServer(), "encrypted");
        String wrong = refusal(listener("keyfile_password", "not-it"));
        assertTrue(wrong.startsWith("listener.t.keyfile: cannot decrypt " + key), wrong);
        String none = refusal(listener());
        assertEquals("listener.t.keyfile: " + key + " is encrypted and no keyfile_password is set", none);
    }

    @Test
    void opensWithClientCertificatesACaBundleAndACrl() {
        Path crl = TestPki.writeCrl(dir.resolve("crl.pem"), TestPki.crl(ca));
        SslContext context = ServerTls.open(listener(
                        "cafile", dir.resolve("ca.pem").toString(),
                        "require_certificate", "true",
                        "crlfile", crl.toString(),
                        "tls_version", "tlsv1.3",
                        "ciphers", "TLS_AES_256_GCM_SHA384"))
                .context();
        assertEquals(java.util.List.of("TLS_AES_256_GCM_SHA384"), context.cipherSuites());
    }

    @Test
    void refusesFilesItCannotUseNamingTheKeyAndTheFile() throws IOException {
        Issued other = TestPki.server(ca, KeyType.RSA);
        Path otherKey = TestPki.writeKey(dir.resolve("other.key"), other.privateKey());
        String mismatch = refusal(listener("keyfile", otherKey.toString()));
        assertEquals(
                "listener.t.keyfile: the key in " + otherKey + " does not belong to the first certificate in " + cert,
                mismatch);

        Path notPem = Files.writeString(dir.resolve("junk.pem"), "junk\n");
        assertTrue(
                refusal(listener("certfile", notPem.toString())).startsWith("listener.t.certfile: " + notPem),
                "certfile");
        Path pkcs1 = Files.writeString(
                dir.resolve("old.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertTrue(
                refusal(listener("keyfile", pkcs1.toString()))
                        .startsWith("listener.t.keyfile: " + pkcs1 + " holds no PKCS#8 PEM private key"),
                "PKCS#1");
        assertTrue(
                refusal(listener("cafile", notPem.toString(), "require_certificate", "true"))
                        .startsWith("listener.t.cafile: " + notPem),
                "cafile");
        assertTrue(
                refusal(listener(
                                "cafile", dir.resolve("ca.pem").toString(),
                                "require_certificate", "true",
                                "crlfile", notPem.toString()))
                        .startsWith("listener.t.crlfile: " + notPem),
                "crlfile");
        assertTrue(refusal(listener("ciphers", "TLS_NO_SUCH_SUITE")).startsWith("listener.t.ciphers: "), "ciphers");
    }

    @Test
    @ExpectedErrorLog("reload: listener t keeps its old TLS material: listener.t.keyfile")
    void aReloadTakesNewFilesAndKeepsTheOldMaterialWhenANewFileIsBad() throws IOException {
        ServerTls tls = ServerTls.open(listener());
        SslContext first = tls.context();
        Issued renewed = TestPki.server(ca, KeyType.EC);
        TestPki.writeCertificates(cert, renewed.certificate());
        TestPki.writeKey(key, renewed.privateKey());
        assertTrue(tls.reload());
        SslContext second = tls.context();
        assertNotSame(first, second, "new handshakes take the new material");
        Files.writeString(key, "not a key\n");
        assertFalse(tls.reload());
        assertSame(second, tls.context(), "a bad file keeps the material in use");
    }
}
