package dev.cairn.broker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The TLS settings of one listener ({@link ListenerKey}): the files of the server's certificate
 * chain and key, the CA bundle and revocation lists client certificates are checked against, and
 * what the handshake allows. The files are read when the listener starts and again on every
 * reload (SIGHUP); the paths themselves do not change while the broker runs.
 *
 * @param keyPassword the password of an encrypted keyfile, or null
 * @param caFile null when not set
 * @param crlFile null when not set
 * @param ciphers the allowed cipher suites by IANA name, in order; empty for the provider's defaults
 * @param provider the TLS implementation the listener's handshakes and records run on
 */
public record TlsSettings(
        Path certFile,
        Path keyFile,
        String keyPassword,
        Path caFile,
        Path crlFile,
        boolean requireCertificate,
        CertificateUsername certificateUsername,
        TlsVersion minVersion,
        List<String> ciphers,
        TlsProvider provider) {

    public TlsSettings {
        ciphers = List.copyOf(ciphers);
    }

    /** What of a client certificate becomes the connection's username, if anything. */
    public enum CertificateUsername {
        /** The client's own username (if any) stands. */
        NONE,
        /** The certificate subject's CN ({@code use_identity_as_username}). */
        IDENTITY,
        /** The whole certificate subject, RFC 2253 ({@code use_subject_as_username}). */
        SUBJECT
    }

    /** The TLS implementation of a listener ({@code tls_provider}). */
    public enum TlsProvider {
        /** The JDK's own {@code SSLEngine}: always there. */
        JDK("jdk"),
        /** Netty's engine on BoringSSL ({@code netty-tcnative-boringssl-static}): Linux x86-64 and aarch64. */
        OPENSSL("openssl");

        private final String configName;

        TlsProvider(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /** The oldest protocol version a listener accepts ({@code tls_version}, as mosquitto 2 reads it). */
    public enum TlsVersion {
        TLS_1_2("tlsv1.2", List.of("TLSv1.3", "TLSv1.2")),
        TLS_1_3("tlsv1.3", List.of("TLSv1.3"));

        private final String configName;
        private final List<String> protocols;

        TlsVersion(String configName, List<String> protocols) {
            this.configName = configName;
            this.protocols = protocols;
        }

        public String configName() {
            return configName;
        }

        /** The JDK protocol names enabled: this version and every newer one. */
        public List<String> protocols() {
            return protocols;
        }
    }
}
