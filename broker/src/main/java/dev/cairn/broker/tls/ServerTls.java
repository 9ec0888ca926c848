package dev.cairn.broker.tls;

import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.config.ListenerKey;
import dev.cairn.broker.config.TlsSettings;
import dev.cairn.broker.config.TlsSettings.TlsProvider;
import dev.cairn.broker.reload.Reloadable;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS material of one listener: the server's certificate chain and key, the CA bundle and
 * revocation lists client certificates are checked against, and the protocols and cipher suites
 * allowed, as one Netty {@link SslContext} on the listener's provider ({@code tls_provider}: the
 * JDK's engine, or Netty's BoringSSL engine, which takes the same Java key and trust manager, so
 * both check client certificates and CRLs the same way). Each new connection takes the
 * context current at its accept; {@link #reload} (SIGHUP) builds a new one from the files and
 * swaps it in, so new handshakes use the new material and live connections keep theirs. A file
 * that cannot be used fails the start with a message naming the key and the file, and a reload
 * keeps the old context and logs the same at ERROR.
 *
 * <p>Files: the certificate chain and the CA bundle are PEM certificates (leaf first in the
 * chain); the key is PKCS#8 PEM, RSA or EC, plain ({@code BEGIN PRIVATE KEY}) or encrypted with
 * {@code keyfile_password} ({@code BEGIN ENCRYPTED PRIVATE KEY}); CRLs are PEM or DER. A key that
 * does not belong to the certificate is refused, rather than failing every handshake later.
 */
public final class ServerTls implements Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** The TLS 1.3 cipher suites (RFC 8446, B.4): BoringSSL always offers its own and cannot be restricted. */
    private static final Set<String> TLS13_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_CCM_SHA256",
            "TLS_AES_128_CCM_8_SHA256");

    private final ListenerConfig listener;
    private final TlsSettings settings;
    private volatile SslContext context;

    private ServerTls(ListenerConfig listener, SslContext context) {
        this.listener = listener;
        this.settings = listener.tls();
        this.context = context;
    }

    /**
     * Reads the listener's TLS files and builds its context.
     *
     * @throws ConfigException naming the key and the file that cannot be used
     */
    public static ServerTls open(ListenerConfig listener) {
        return new ServerTls(listener, build(listener));
    }

    /** The context new connections take now. Any thread. */
    public SslContext context() {
        return context;
    }

    @Override
    public String name() {
        return "TLS of listener " + listener.name();
    }

    @Override
    public boolean reload() {
        SslContext fresh;
        try {
            fresh = build(listener);
        } catch (ConfigException e) {
            LOG.error("reload: listener {} keeps its old TLS material: {}", listener.name(), e.getMessage());
            return false;
        }
        context = fresh;
        LOG.info(
                "reload: listener {} uses the TLS material now in {} and {}{}; live connections keep theirs",
                listener.name(),
                settings.certFile(),
                settings.keyFile(),
                settings.caFile() == null ? "" : " (CA bundle " + settings.caFile() + ")");
        return true;
    }

    private static SslContext build(ListenerConfig listener) {
        String name = listener.name();
        TlsSettings s = listener.tls();
        List<X509Certificate> chain = TlsFiles.certificates(ListenerKey.CERTFILE.of(name), s.certFile());
        PrivateKey key = TlsFiles.privateKey(ListenerKey.KEYFILE.of(name), s.keyFile(), s.keyPassword());
        TlsFiles.checkKeyMatches(ListenerKey.KEYFILE.of(name), s.keyFile(), key, chain.get(0), s.certFile());
        warnIfNotValidNow(name, s.certFile(), chain.get(0));
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider(name, s.provider()))
                .protocols(s.minVersion().protocols())
                .clientAuth(s.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (!s.ciphers().isEmpty()) {
            refuseTls13SuitesOnOpenSsl(name, s);
            builder.ciphers(s.ciphers(), IdentityCipherSuiteFilter.INSTANCE);
        }
        if (s.caFile() != null) {
            builder.trustManager(trust(name, s));
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (IOException | RuntimeException e) {
            if (!s.ciphers().isEmpty() && s.provider() == TlsProvider.OPENSSL) {
                // OpenSSL checks the cipher suites when the context is made; it says which list it refused.
                throw new ConfigException(ListenerKey.CIPHERS.of(name) + ": " + TlsFiles.rootMessage(e));
            }
            throw new ConfigException("listener " + name + ": cannot build a TLS context from " + s.certFile() + " and "
                    + s.keyFile() + ": " + TlsFiles.rootMessage(e));
        }
        SSLEngine probe = null;
        try {
            // The JDK checks cipher suite names only when an engine is made: check them now.
            probe = context.newEngine(ByteBufAllocator.DEFAULT);
            probe.closeOutbound();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ListenerKey.CIPHERS.of(name) + ": " + e.getMessage());
        } finally {
            ReferenceCountUtil.release(probe); // An OpenSSL engine holds native memory until released.
        }
        return context;
    }

    /**
     * Netty's provider for the setting; OpenSSL only where its native library loads (the jars for
     * Linux x86-64 and aarch64 ship with Cairn), else the start fails naming the key.
     */
    private static SslProvider provider(String name, TlsProvider provider) {
        if (provider == TlsProvider.JDK) {
            return SslProvider.JDK;
        }
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new ConfigException(ListenerKey.TLS_PROVIDER.of(name) + " = openssl, but Netty's OpenSSL engine"
                    + " cannot be loaded here (" + (cause == null ? "unknown reason" : TlsFiles.rootMessage(cause))
                    + "); use tls_provider = jdk");
        }
        return SslProvider.OPENSSL;
    }

    /**
     * BoringSSL takes {@code ciphers} for TLS 1.2 only and always offers its three TLS 1.3 suites
     * (as OpenSSL, and so mosquitto, configure TLS 1.3 suites apart): a TLS 1.3 suite named here
     * would look like a restriction and be none, so it is refused.
     */
    private static void refuseTls13SuitesOnOpenSsl(String name, TlsSettings s) {
        if (s.provider() != TlsProvider.OPENSSL) {
            return;
        }
        for (String suite : s.ciphers()) {
            if (TLS13_SUITES.contains(suite)) {
                throw new ConfigException(ListenerKey.CIPHERS.of(name) + ": " + suite + " is a TLS 1.3 suite, and with "
                        + ListenerKey.TLS_PROVIDER.of(name) + " = openssl the TLS 1.3 suites cannot be restricted"
                        + " (BoringSSL always offers TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and"
                        + " TLS_CHACHA20_POLY1305_SHA256); name TLS 1.2 suites only, or use tls_provider = jdk");
            }
        }
    }

    private static void warnIfNotValidNow(String listener, Path file, X509Certificate cert) {
        Date now = new Date();
        if (now.after(cert.getNotAfter()) || now.before(cert.getNotBefore())) {
            LOG.warn(
                    "listener {}: the certificate in {} is valid only from {} to {}; clients will refuse it",
                    listener,
                    file,
                    cert.getNotBefore().toInstant(),
                    cert.getNotAfter().toInstant());
        }
    }

    /**
     * Client certificates must chain to a CA of the bundle; with a CRL file, the client's own
     * certificate must not be on a list (as OpenSSL's CRL check, which mosquitto uses, does for
     * the leaf). Only the given CRLs are consulted: no OCSP, no download.
     */
    private static TrustManagerFactory trust(String name, TlsSettings s) {
        String caKey = ListenerKey.CAFILE.of(name);
        List<X509Certificate> cas = TlsFiles.certificates(caKey, s.caFile());
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, cas.get(i));
            }
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
            if (s.crlFile() != null) {
                params.addCertStore(CertStore.getInstance(
                        "Collection",
                        new CollectionCertStoreParameters(crls(ListenerKey.CRLFILE.of(name), s.crlFile()))));
                PKIXRevocationChecker checker = (PKIXRevocationChecker)
                        CertPathBuilder.getInstance("PKIX").getRevocationChecker();
                checker.setOptions(EnumSet.of(
                        PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK,
                        PKIXRevocationChecker.Option.ONLY_END_ENTITY));
                params.setRevocationEnabled(true);
                params.addCertPathChecker(checker);
            } else {
                params.setRevocationEnabled(false);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(params));
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(caKey + ": cannot use " + s.caFile() + " as a CA bundle: " + e.getMessage());
        }
    }

    private static Collection<? extends CRL> crls(String key, Path file) {
        Collection<? extends CRL> crls;
        try {
            crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + ": " + file + " holds no valid CRL: " + e.getMessage());
        }
        if (crls.isEmpty()) {
            throw new ConfigException(key + ": " + file + " holds no CRL");
        }
        return crls;
    }
}
