package dev.cairn.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * One stored password in mosquitto's password file format, the part after {@code user:}:
 * <ul>
 *   <li>{@code $7$ITERATIONS$SALT$HASH}: PBKDF2-HMAC-SHA512 over the password's UTF-8 bytes with
 *       the salt, {@code ITERATIONS} rounds, a 64-byte key; what mosquitto_passwd writes by default
 *       since mosquitto 2.0, and what Cairn writes;
 *   <li>{@code $6$SALT$HASH}: SHA-512 of the password's bytes followed by the salt (mosquitto 1.6
 *       and earlier).
 * </ul>
 * {@code SALT} and {@code HASH} are standard Base64 with padding. Immutable; any thread.
 */
public final class PasswordHash {
    /**
     * Bytes of salt in an entry Cairn writes: 12, as mosquitto_passwd writes. mosquitto 2.0 checks
     * a {@code $7$} entry with a 12-byte salt whatever the entry holds, so an entry with a longer
     * salt never matches there (tried with mosquitto 2.0.11: 16 bytes were refused).
     */
    public static final int SALT_BYTES = 12;
    /**
     * Iterations of an entry Cairn writes unless told otherwise: OWASP's figure for
     * PBKDF2-HMAC-SHA512. What that costs a login, and why a reconnect storm still fits in a
     * minute, is in docs/decisions/0016-password-hash-cost.md.
     */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Iterations accepted in a {@code $7$} entry; more would let a file stall every login. */
    public static final int ITERATIONS_MAX = 10_000_000;

    private static final int KEY_BYTES = 64;
    private static final String PBKDF2 = "$7$";
    private static final String SHA512 = "$6$";

    private final boolean pbkdf2;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(boolean pbkdf2, int iterations, byte[] salt, byte[] hash) {
        this.pbkdf2 = pbkdf2;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Reads an encoded hash.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never echoing the text)
     */
    public static PasswordHash parse(String encoded) {
        if (encoded.startsWith(PBKDF2)) {
            String[] parts = encoded.substring(PBKDF2.length()).split("\\$", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("a $7$ hash has the form $7$ITERATIONS$SALT$HASH");
            }
            int iterations;
            try {
                iterations = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the iteration count of a $7$ hash is not a number");
            }
            if (iterations < 1 || iterations > ITERATIONS_MAX) {
                throw new IllegalArgumentException(
                        "the iteration count of a $7$ hash must be between 1 and " + ITERATIONS_MAX);
            }
            return new PasswordHash(true, iterations, base64(parts[1], "salt"), hash(parts[2]));
        }
        if (encoded.startsWith(SHA512)) {
            String[] parts = encoded.substring(SHA512.length()).split("\\$", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a $6$ hash has the form $6$SALT$HASH");
            }
            return new PasswordHash(false, 0, base64(parts[0], "salt"), hash(parts[1]));
        }
        throw new IllegalArgumentException(
                "not a hashed password: expected $7$ (PBKDF2-SHA512) or $6$ (SHA-512); plain-text passwords are"
                        + " not read");
    }

    private static byte[] hash(String text) {
        byte[] hash = base64(text, "hash");
        if (hash.length != KEY_BYTES) {
            throw new IllegalArgumentException("the hash must be " + KEY_BYTES + " bytes, got " + hash.length);
        }
        return hash;
    }

    private static byte[] base64(String text, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not valid Base64");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        return bytes;
    }

    /** A new PBKDF2-HMAC-SHA512 hash of {@code password} with a fresh random salt. */
    public static PasswordHash pbkdf2(char[] password, int iterations, SecureRandom random) {
        if (iterations < 1 || iterations > ITERATIONS_MAX) {
            throw new IllegalArgumentException("iterations must be between 1 and " + ITERATIONS_MAX);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(true, iterations, salt, pbkdf2(toBytes(password), salt, iterations));
    }

    /** Whether {@code password} (the CONNECT's Password field) is the one hashed; constant time in the compare. */
    public boolean matches(byte[] password) {
        byte[] candidate = pbkdf2 ? pbkdf2(password, salt, iterations) : sha512(password, salt);
        return MessageDigest.isEqual(candidate, hash);
    }

    /** The PBKDF2 iteration count, or 0 for a {@code $6$} hash. */
    public int iterations() {
        return iterations;
    }

    /** The text stored after {@code user:}. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        String tail = b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        return pbkdf2 ? PBKDF2 + iterations + "$" + tail : SHA512 + tail;
    }

    @Override
    public String toString() {
        return pbkdf2 ? "PBKDF2-HMAC-SHA512 (" + iterations + " iterations)" : "salted SHA-512";
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            digest.update(salt);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-512", e);
        }
    }

    /**
     * PBKDF2-HMAC-SHA512 over raw password bytes. The JDK's key factory takes the password as
     * chars and encodes them as UTF-8, which equals the raw bytes for any password that is valid
     * UTF-8 (an MQTT Password is binary data, section 3.1.3.5, but clients send text, and the
     * password tools hash text). Bytes that are not valid UTF-8 match nothing: decoding them with
     * replacement characters would let different byte strings share one hash.
     */
    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        char[] chars;
        try {
            CharBuffer decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(password));
            chars = new char[decoded.remaining()];
            decoded.get(chars);
        } catch (CharacterCodingException e) {
            return new byte[KEY_BYTES]; // Matches no stored hash: those are of UTF-8 text.
        }
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA512", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] toBytes(char[] password) {
        ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }
}
