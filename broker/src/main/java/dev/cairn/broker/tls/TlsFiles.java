package dev.cairn.broker.tls;

import dev.cairn.broker.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reading the PEM files of TLS, for the listeners ({@link ServerTls}) and the bridges' client side
 * ({@link ClientTls}) alike: certificate chains and CA bundles (PEM certificates, leaf first in a
 * chain), private keys (PKCS#8 PEM, RSA or EC, plain or encrypted with a password), and the check
 * that a key belongs to its certificate. Every failure is a {@link ConfigException} naming the
 * key and the file.
 */
final class TlsFiles {
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN (ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (ENCRYPTED )?PRIVATE KEY-----");

    private TlsFiles() {}

    static String rootMessage(Throwable e) {
        StringBuilder m = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            m.append(": ").append(t.getMessage());
        }
        return m.toString();
    }

    static List<X509Certificate> certificates(String key, Path file) {
        Collection<? extends java.security.cert.Certificate> read;
        try {
            byte[] bytes = Files.readAllBytes(file);
            read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigException(key + ": " + file + " holds no valid PEM certificate: " + e.getMessage());
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (java.security.cert.Certificate c : read) {
            certs.add((X509Certificate) c);
        }
        if (certs.isEmpty()) {
            throw new ConfigException(key + ": " + file + " holds no PEM certificate");
        }
        return certs;
    }

    static PrivateKey privateKey(String key, Path file, String password) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        }
        Matcher m = PEM_KEY.matcher(text);
        if (!m.find()) {
            throw new ConfigException(key + ": " + file + " holds no PKCS#8 PEM private key (BEGIN PRIVATE KEY or BEGIN"
                    + " ENCRYPTED PRIVATE KEY; convert an older key with openssl pkcs8 -topk8)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        if (m.group(1) != null) {
            if (password == null) {
                throw new ConfigException(key + ": " + file + " is encrypted and no keyfile_password is set");
            }
            spec = decrypt(key, file, der, password);
        } else {
            spec = new PKCS8EncodedKeySpec(der);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new ConfigException(key + ": " + file + " holds neither an RSA nor an EC private key");
    }

    private static PKCS8EncodedKeySpec decrypt(String key, Path file, byte[] der, String password) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 (what openssl writes) names its real algorithm in its parameters.
            String algorithm = info.getAlgParameters() == null
                    ? info.getAlgName()
                    : info.getAlgParameters().toString();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(
                    key + ": cannot decrypt " + file + " with keyfile_password (" + e.getMessage() + ")");
        }
    }

    /** Signs with the key and verifies with the certificate: a key of another certificate fails here, not in every handshake. */
    static void checkKeyMatches(String key, Path keyFile, PrivateKey privateKey, X509Certificate cert, Path certFile) {
        String algorithm = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new ConfigException(
                    key + ": the key in " + keyFile + " does not belong to the first certificate in " + certFile);
        }
    }
}
