package dev.cairn.broker.tls;

import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.BridgeKey;
import dev.cairn.broker.config.BridgeTlsSettings;
import dev.cairn.broker.config.ConfigException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of TLS, for a bridge's connection to its remote (ADR 0025): the CA certificates
 * the remote's certificate must chain to ({@code cafile}, and every certificate in the files of
 * {@code capath}), the bridge's own chain and key when it presents one, and the protocols allowed,
 * as one Netty {@link SslContext} on the JDK's engine. The files are read with the listeners' code
 * ({@link TlsFiles}), so a key or certificate either side takes, the other takes too. The handshake
 * checks that the remote's certificate names the host of the bridge's address (HTTPS rules: a
 * subject alternative name, IP or DNS) unless {@code insecure} is set, which is logged at WARN.
 */
public final class ClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTls.class);

    private ClientTls() {}

    /**
     * Reads the bridge's TLS files and builds its context; null when the bridge uses plain TCP.
     *
     * @throws ConfigException naming the key and the file that cannot be used
     */
    public static SslContext open(BridgeConfig bridge) {
        BridgeTlsSettings s = bridge.tls();
        if (s == null) {
            return null;
        }
        String name = bridge.name();
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(s.minVersion().protocols())
                .trustManager(trust(name, s))
                // Netty's client default already, said here because the check is the point [RFC 6125].
                .endpointIdentificationAlgorithm(s.insecure() ? null : "HTTPS");
        if (s.certFile() != null) {
            List<X509Certificate> chain = TlsFiles.certificates(BridgeKey.CERTFILE.of(name), s.certFile());
            PrivateKey key = TlsFiles.privateKey(BridgeKey.KEYFILE.of(name), s.keyFile(), s.keyPassword());
            TlsFiles.checkKeyMatches(BridgeKey.KEYFILE.of(name), s.keyFile(), key, chain.get(0), s.certFile());
            builder.keyManager(key, chain.toArray(new X509Certificate[0]));
        }
        try {
            return builder.build();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("bridge " + name + ": cannot build a TLS context: " + TlsFiles.rootMessage(e));
        }
    }

    /**
     * What a failed connection's exception says, for the bridge's log line: a failed handshake
     * names itself and its root cause (e.g. that the remote's certificate chains to no CA of
     * cafile, or does not name the host), not only the wrapper Netty adds.
     */
    public static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return (t instanceof SSLHandshakeException ? "TLS handshake failed: " : "TLS failed: ")
                        + root.getMessage();
            }
        }
        return cause.toString();
    }

    /** Logs, once at start, what of the remote's certificate the bridge does not check. */
    public static void warnIfInsecure(BridgeConfig bridge) {
        if (bridge.tls() != null && bridge.tls().insecure()) {
            LOG.warn(
                    "{} = true: bridge {} does not check that the remote's certificate names {}; anyone with a"
                            + " certificate of its CAs can pose as the remote",
                    BridgeKey.INSECURE.of(bridge.name()),
                    bridge.name(),
                    bridge.addresses());
        }
    }

    /** The CAs of cafile and capath as the only trust anchors: the JDK's own CA list is not consulted. */
    private static TrustManagerFactory trust(String name, BridgeTlsSettings s) {
        List<X509Certificate> cas = new ArrayList<>();
        if (s.caFile() != null) {
            cas.addAll(TlsFiles.certificates(BridgeKey.CAFILE.of(name), s.caFile()));
        }
        if (s.caPath() != null) {
            cas.addAll(directory(BridgeKey.CAPATH.of(name), s.caPath()));
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(
                    "bridge " + name + ": cannot use the CA certificates as trust anchors: " + e.getMessage());
        }
    }

    /**
     * Every certificate in the regular files of {@code dir} (not its subdirectories); files that
     * hold no PEM certificate are skipped, as a directory such as /etc/ssl/certs holds other files
     * too, but a directory with no certificate at all is refused.
     */
    private static List<X509Certificate> directory(String key, Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot list " + dir + ": " + e.getMessage());
        }
        List<X509Certificate> cas = new ArrayList<>();
        for (Path file : files) {
            try {
                cas.addAll(TlsFiles.certificates(key, file));
            } catch (ConfigException e) {
                LOG.debug("{}: {} skipped: {}", key, file, e.getMessage());
            }
        }
        if (cas.isEmpty()) {
            throw new ConfigException(key + ": " + dir + " holds no file with a PEM certificate");
        }
        return cas;
    }
}
