package dev.cairn.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link ServerTlsTest} test with {@code tls_provider = openssl}: Netty's BoringSSL engine
 * takes the same files, keys (encrypted ones too), CA bundle, CRL, versions and cipher suites, and
 * refuses the same mistakes naming the same keys. Where BoringSSL cannot do what the JDK does
 * (restrict the TLS 1.3 cipher suites) the combination is refused.
 */
class ServerTlsOpenSslTest extends ServerTlsTest {
    @Override
    String provider() {
        return "openssl";
    }

    /** The base test restricts TLS 1.3 to one suite, which BoringSSL cannot do: here TLS 1.2 suites and a refusal. */
    @Override
    @Test
    void opensWithClientCertificatesACaBundleAndACrl() {
        Path crl = TestPki.writeCrl(dir.resolve("crl.pem"), TestPki.crl(TestPki.ca("other-ca", TestPki.KeyType.EC)));
        ListenerConfig tls12 = openSslListener(
                "cafile",
                dir.resolve("ca.pem").toString(),
                "require_certificate",
                "true",
                "crlfile",
                crl.toString(),
                "ciphers",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertEquals(
                List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                ServerTls.open(tls12).context().cipherSuites());

        ListenerConfig tls13 = openSslListener("tls_version", "tlsv1.3", "ciphers", "TLS_AES_256_GCM_SHA384");
        String refused =
                assertThrows(ConfigException.class, () -> ServerTls.open(tls13)).getMessage();
        assertTrue(
                refused.startsWith("listener.t.ciphers: TLS_AES_256_GCM_SHA384 is a TLS 1.3 suite, and with"
                        + " listener.t.tls_provider = openssl the TLS 1.3 suites cannot be restricted"),
                refused);
    }

    private ListenerConfig openSslListener(String... extra) {
        Map<String, String> s = new java.util.HashMap<>(Map.of(
                "listener.t.type", "tls",
                "listener.t.port", "8883",
                "listener.t.certfile", dir.resolve("server.pem").toString(),
                "listener.t.keyfile", dir.resolve("server.key").toString(),
                "listener.t.tls_provider", "openssl"));
        for (int i = 0; i < extra.length; i += 2) {
            s.put("listener.t." + extra[i], extra[i + 1]);
        }
        return ConfigLoader.load(null, s).listeners().get(1);
    }
}
