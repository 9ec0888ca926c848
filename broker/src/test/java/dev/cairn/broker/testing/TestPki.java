package dev.cairn.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test, never stored in the repository: a CA, certificates it signs
 * (server with 127.0.0.1 and localhost as names, clients with a CN, expired ones), a CRL, and the
 * PEM files and Java SSL contexts the broker and the clients read. RSA or EC keys.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate (chain: itself then its issuer when not self-signed). */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    /** Which kind of key. */
    public enum KeyType {
        RSA,
        EC
    }

    private TestPki() {}

    public static KeyPair keyPair(KeyType type) {
        try {
            if (type == KeyType.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA valid for a day around now. */
    public static Issued ca(String cn, KeyType type) {
        KeyPair keys = keyPair(type);
        X500Name name = new X500Name("CN=" + cn + ",O=Cairn test");
        Instant now = Instant.now();
        X509Certificate cert = build(
                name,
                name,
                keys,
                keys.getPrivate(),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)),
                true,
                null);
        return new Issued(keys, cert, List.of(cert));
    }

    /** A server certificate for 127.0.0.1 and localhost signed by {@code ca}. */
    public static Issued server(Issued ca, KeyType type) {
        Instant now = Instant.now();
        return leaf(
                ca,
                "CN=cairn-test-server,O=Cairn test",
                type,
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)),
                true);
    }

    /** A server certificate signed by {@code ca} whose only name is {@code dnsName}. */
    public static Issued serverNamed(Issued ca, KeyType type, String dnsName) {
        Instant now = Instant.now();
        KeyPair keys = keyPair(type);
        X509Certificate cert = build(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + dnsName + ",O=Cairn test"),
                keys,
                ca.privateKey(),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)),
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new Issued(keys, cert, List.of(cert, ca.certificate()));
    }

    /** A client certificate with subject {@code subject} (e.g. {@code CN=pump-7,O=Plant}) signed by {@code ca}. */
    public static Issued client(Issued ca, String subject, KeyType type) {
        Instant now = Instant.now();
        return leaf(ca, subject, type, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), false);
    }

    /** A client certificate that expired an hour ago. */
    public static Issued expiredClient(Issued ca, String subject) {
        Instant now = Instant.now();
        return leaf(ca, subject, KeyType.EC, now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)), false);
    }

    private static Issued leaf(Issued ca, String subject, KeyType type, Instant from, Instant to, boolean server) {
        KeyPair keys = keyPair(type);
        X509Certificate cert = build(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                new X500Name(subject),
                keys,
                ca.privateKey(),
                from,
                to,
                false,
                server
                        ? new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                        })
                        : null);
        return new Issued(keys, cert, List.of(cert, ca.certificate()));
    }

    private static X509Certificate build(
            X500Name issuer,
            X500Name subject,
            KeyPair keys,
            PrivateKey signer,
            Instant from,
            Instant to,
            boolean ca,
            GeneralNames altNames) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(from),
                    Date.from(to),
                    subject,
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            }
            if (altNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                .build(key);
    }

    /** A CRL of {@code ca} revoking {@code revoked}, valid for a day. */
    public static X509CRL crl(Issued ca, X509Certificate... revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    X500Name.getInstance(
                            ca.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(60)));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(signer(ca.privateKey())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- PEM files ----

    /**
     * A server certificate of {@code ca} written as a listener takes it: {@code dir/server.pem}
     * (the chain, leaf first) and {@code dir/server.key}; {@code dir/ca.pem} holds the CA.
     */
    public static void writeServerFiles(Path dir, Issued ca, KeyType type) {
        Issued server = server(ca, type);
        writeCertificates(dir.resolve("server.pem"), server.certificate(), ca.certificate());
        writeKey(dir.resolve("server.key"), server.privateKey());
        writeCertificates(dir.resolve("ca.pem"), ca.certificate());
    }

    public static Path writeCertificates(Path file, X509Certificate... certs) {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : certs) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return write(file, pem.toString());
    }

    /** The key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static Path writeKey(Path file, PrivateKey key) {
        return write(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** The key as PKCS#8 PEM encrypted with {@code password} (PBES2, AES-256, as openssl writes it). */
    public static Path writeEncryptedKey(Path file, PrivateKey key, String password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setPassword(password.toCharArray())
                    .setRandom(RANDOM)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .build();
            PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
            return write(file, pem(pem.getType(), pem.getContent()));
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path writeCrl(Path file, X509CRL crl) {
        try {
            return write(file, pem("X509 CRL", crl.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            // Replaced in one step: a broker reloading it never reads half a file.
            return Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Java clients ----

    /** A client socket factory trusting {@code ca} and, unless {@code client} is null, presenting its certificate. */
    public static SSLSocketFactory socketFactory(Issued ca, Issued client) {
        return sslContext(ca, client).getSocketFactory();
    }

    public static SSLContext sslContext(Issued ca, Issued client) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    client == null ? null : keyManagers(client).getKeyManagers(),
                    trustManagers(ca).getTrustManagers(),
                    RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrustManagerFactory trustManagers(Issued ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyManagerFactory keyManagers(Issued client) {
        try {
            char[] password = "test".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(
                    "client", client.privateKey(), password, client.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
