package dev.cairn.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a server keeps to check a SCRAM login of one user with one mechanism (RFC 5802 section
 * 3): the salt and iteration count the client stretches its password with, StoredKey and
 * ServerKey. None of it is the password or equivalent to it: StoredKey proves a client's proof,
 * ServerKey signs the server's answer. Stored in a password file as a comment line beside the
 * user's {@code $7$} entry ({@link #encoded}), with a fingerprint of that entry ({@link
 * #binding}): when the password is changed by a tool that does not know SCRAM (mosquitto_passwd
 * keeps comment lines), the fingerprint no longer matches and the SCRAM entry stops counting.
 * Why this form: docs/decisions/0017-scram-credentials.md. Immutable; any thread.
 */
public final class ScramCredential {
    /** The SCRAM mechanisms, by their SASL names (RFC 7677 for SHA-256; SHA-512 is registered likewise). */
    public enum Mechanism {
        SCRAM_SHA_256("SCRAM-SHA-256", "HmacSHA256", "SHA-256", "PBKDF2WithHmacSHA256", 32),
        SCRAM_SHA_512("SCRAM-SHA-512", "HmacSHA512", "SHA-512", "PBKDF2WithHmacSHA512", 64);

        private final String saslName;
        private final String hmac;
        private final String digest;
        private final String pbkdf2;
        private final int keyBytes;

        Mechanism(String saslName, String hmac, String digest, String pbkdf2, int keyBytes) {
            this.saslName = saslName;
            this.hmac = hmac;
            this.digest = digest;
            this.pbkdf2 = pbkdf2;
            this.keyBytes = keyBytes;
        }

        /** The name an MQTT client gives as Authentication Method, e.g. {@code SCRAM-SHA-256}. */
        public String saslName() {
            return saslName;
        }

        /** The bytes of a key and of a proof: the hash's output length. */
        public int keyBytes() {
            return keyBytes;
        }

        /** The mechanism called {@code name} (as a client writes it, exactly), or null. */
        public static Mechanism bySaslName(String name) {
            for (Mechanism m : values()) {
                if (m.saslName.equals(name)) {
                    return m;
                }
            }
            return null;
        }

        /** HMAC(key, data) with this mechanism's hash. */
        public byte[] hmac(byte[] key, byte[] data) {
            try {
                Mac mac = Mac.getInstance(hmac);
                mac.init(new SecretKeySpec(key, hmac));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + hmac, e);
            }
        }

        /** H(data) with this mechanism's hash. */
        public byte[] hash(byte[] data) {
            try {
                return MessageDigest.getInstance(digest).digest(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + digest, e);
            }
        }

        /** Hi(Normalize(password), salt, i) of RFC 5802: PBKDF2 with this mechanism's HMAC. */
        public byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
            char[] normalized = normalize(password);
            PBEKeySpec spec = new PBEKeySpec(normalized, salt, iterations, keyBytes * 8);
            try {
                return SecretKeyFactory.getInstance(pbkdf2).generateSecret(spec).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + pbkdf2, e);
            } finally {
                spec.clearPassword();
                Arrays.fill(normalized, '\0');
            }
        }

        /** The prefix of this mechanism's lines in a password file: {@code #scram-sha-256:}. */
        String linePrefix() {
            return "#" + saslName.toLowerCase(Locale.ROOT) + ":";
        }
    }

    /** Iterations of the SCRAM entries Cairn writes unless told otherwise: RFC 7677's minimum. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** Bytes of salt in an entry Cairn writes. */
    public static final int SALT_BYTES = 16;

    private final Mechanism mechanism;
    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final String binding;

    public ScramCredential(
            Mechanism mechanism, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey, String binding) {
        if (iterations < 1 || iterations > PasswordHash.ITERATIONS_MAX) {
            throw new IllegalArgumentException(
                    "the iteration count must be between 1 and " + PasswordHash.ITERATIONS_MAX);
        }
        if (storedKey.length != mechanism.keyBytes || serverKey.length != mechanism.keyBytes) {
            throw new IllegalArgumentException(
                    "StoredKey and ServerKey of " + mechanism.saslName + " must be " + mechanism.keyBytes + " bytes");
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("the salt is empty");
        }
        this.mechanism = mechanism;
        this.iterations = iterations;
        this.salt = salt.clone();
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
        this.binding = binding;
    }

    /**
     * Derives the credential of {@code password} (RFC 5802 section 3): SaltedPassword :=
     * Hi(Normalize(password), salt, i), ClientKey := HMAC(SaltedPassword, "Client Key"), StoredKey
     * := H(ClientKey), ServerKey := HMAC(SaltedPassword, "Server Key").
     *
     * @param entry the user's password entry it goes with ({@link #binding})
     */
    public static ScramCredential derive(
            Mechanism mechanism, char[] password, byte[] salt, int iterations, PasswordHash entry) {
        byte[] salted = mechanism.saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = mechanism.hmac(salted, ascii("Client Key"));
            byte[] storedKey = mechanism.hash(clientKey);
            byte[] serverKey = mechanism.hmac(salted, ascii("Server Key"));
            return new ScramCredential(mechanism, iterations, salt, storedKey, serverKey, bindingOf(entry));
        } finally {
            Arrays.fill(salted, (byte) 0);
        }
    }

    /** {@link #derive} with a fresh random salt of {@link #SALT_BYTES}. */
    public static ScramCredential derive(
            Mechanism mechanism, char[] password, int iterations, PasswordHash entry, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return derive(mechanism, password, salt, iterations, entry);
    }

    /**
     * The fingerprint of a password entry a SCRAM entry is bound to: the first 12 bytes of SHA-256
     * over the entry's text, in Base64. Every new {@code $7$} or {@code $6$} entry has a fresh
     * random salt, so any change of the password changes it.
     */
    public static String bindingOf(PasswordHash entry) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ascii(entry.encoded()));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * SASLprep's effect on the passwords people type (RFC 4013): non-ASCII spaces become spaces,
     * then NFKC. ASCII passwords are unchanged. The client must normalize the same way; the
     * stringprep prohibitions are not checked, as the password is the user's own.
     */
    static char[] normalize(char[] password) {
        boolean ascii = true;
        for (char ch : password) {
            ascii &= ch < 0x80;
        }
        if (ascii) {
            return password.clone();
        }
        StringBuilder b = new StringBuilder(password.length);
        for (char ch : password) {
            b.append(Character.isSpaceChar(ch) ? ' ' : ch);
        }
        return Normalizer.normalize(b, Normalizer.Form.NFKC).toCharArray();
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] storedKey() {
        return storedKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The {@link #bindingOf fingerprint} of the password entry this credential was derived beside. */
    public String binding() {
        return binding;
    }

    /** Whether this credential belongs to {@code entry}, the user's password entry in force. */
    public boolean boundTo(PasswordHash entry) {
        return MessageDigest.isEqual(ascii(binding), ascii(bindingOf(entry)));
    }

    /**
     * The password-file line: {@code #scram-sha-256:USER:ITERATIONS:SALT:STOREDKEY:SERVERKEY:BINDING},
     * Base64 fields. The {@code #} makes it a comment for mosquitto and mosquitto_passwd.
     */
    public String encoded(String user) {
        Base64.Encoder b64 = Base64.getEncoder();
        return mechanism.linePrefix() + user + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey) + ":" + binding;
    }

    /** The mechanism whose line {@code line} is, or null if it is no SCRAM line. */
    static Mechanism lineMechanism(String line) {
        for (Mechanism m : Mechanism.values()) {
            if (line.startsWith(m.linePrefix())) {
                return m;
            }
        }
        return null;
    }

    /** The user a SCRAM line is of; the line must be one ({@link #lineMechanism}). */
    static String lineUser(String line, Mechanism m) {
        String rest = line.substring(m.linePrefix().length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /**
     * Reads a SCRAM line of mechanism {@code m}.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing keys)
     */
    static ScramCredential parseLine(String line, Mechanism m) {
        String[] parts = line.substring(m.linePrefix().length()).split(":", -1);
        if (parts.length != 6 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("a SCRAM entry has the form " + m.linePrefix()
                    + "USER:ITERATIONS:SALT:STOREDKEY:SERVERKEY:BINDING");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count of a SCRAM entry is not a number");
        }
        return new ScramCredential(
                m,
                iterations,
                base64(parts[2], "salt"),
                base64(parts[3], "StoredKey"),
                base64(parts[4], "ServerKey"),
                parts[5]);
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " of a SCRAM entry is not valid Base64");
        }
    }

    private static byte[] ascii(String s) {
        ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(s));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    @Override
    public String toString() {
        return mechanism.saslName + " (" + iterations + " iterations)";
    }
}
