package dev.cairn.broker.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802 section 3 and 7, without channel binding), written from the
 * RFC for tests, on the JDK's primitives alone (nothing of the broker's SCRAM code), so that the
 * broker's side is checked against an independent one. ASCII passwords only (no SASLprep). One
 * exchange per instance.
 */
public final class ScramClient {
    private final String method;
    private final String user;
    private final String password;
    private final String clientNonce;
    private String bare;
    private byte[] expectedServerSignature;

    /** @param method SCRAM-SHA-256 or SCRAM-SHA-512 */
    public ScramClient(String method, String user, String password, String clientNonce) {
        this.method = method;
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    public String method() {
        return method;
    }

    private String bits() {
        return method.substring("SCRAM-SHA-".length());
    }

    /** The client-first message: {@code n,,n=USER,r=NONCE}. */
    public byte[] clientFirst() {
        bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return ("n,," + bare).getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final message answering {@code serverFirst}; remembers the signature the server must send. */
    public byte[] clientFinal(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String attr : serverFirst.split(",")) {
            if (attr.startsWith("r=")) {
                nonce = attr.substring(2);
            } else if (attr.startsWith("s=")) {
                salt = Base64.getDecoder().decode(attr.substring(2));
            } else if (attr.startsWith("i=")) {
                iterations = Integer.parseInt(attr.substring(2));
            }
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("the server's nonce does not extend ours: " + serverFirst);
        }
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA" + bits());
            int keyBits = Integer.parseInt(bits());
            byte[] salted = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyBits))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance("SHA-" + bits()).digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)), authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the server-final message carries the signature only a server with our ServerKey can make. */
    public boolean serverFinalVerifies(byte[] serverFinal) {
        if (serverFinal == null || expectedServerSignature == null) {
            return false;
        }
        String expected = "v=" + Base64.getEncoder().encodeToString(expectedServerSignature);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), serverFinal);
    }

    private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        String alg = "HmacSHA" + bits();
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        return mac.doFinal(data);
    }

    @Override
    public String toString() {
        return method.toLowerCase(Locale.ROOT) + " client of " + user;
    }
}
