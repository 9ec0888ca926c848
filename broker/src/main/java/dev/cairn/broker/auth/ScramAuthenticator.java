package dev.cairn.broker.auth;

import dev.cairn.protocol.ScramCredential;
import dev.cairn.protocol.ScramCredential.Mechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The server side of SCRAM (RFC 5802; SCRAM-SHA-256 as RFC 7677, SCRAM-SHA-512 alike) as an
 * enhanced-authentication method (MQTT 5.0 section 4.12): the CONNECT's Authentication Data is
 * the client-first message, the AUTH 0x18 sent back the server-first, the client's AUTH 0x18 the
 * client-final, and the CONNACK (or the AUTH 0x00 of a re-authentication) carries the
 * server-final, whose signature lets the client check that the server knows its credentials.
 * The keys come from the SCRAM lines of the {@code password_file} ({@link
 * dev.cairn.protocol.PasswordFile#scram}); nothing here stretches a password, so each step is a
 * few HMACs, yet they run on the auth pool like every check.
 *
 * <p>Every failure is the same {@link Verdict#NOT_AUTHORIZED} at the end of the exchange: a user
 * without SCRAM credentials (unknown, or enrolled with a tool that does not write them) gets a
 * server-first with a salt derived from its name and a secret of this process, as a known user
 * would, and the proof check costs what a real one does; neither the answer nor its time says
 * which part was wrong. Channel binding is not offered (a client asking for it with {@code p=}
 * is refused). Threads: any; an exchange is used by one connection's steps, one at a time.
 */
public final class ScramAuthenticator implements Authenticator {
    private static final int NONCE_BYTES = 18;

    private final PasswordStore store;
    private final Mechanism mechanism;
    private final Supplier<String> serverNonces;
    private final byte[] standInKey;

    /**
     * @param serverNonces the server's part of each exchange's nonce: printable ASCII without
     *     {@code ,}; fresh and unpredictable (tests give fixed ones)
     */
    ScramAuthenticator(PasswordStore store, Mechanism mechanism, Supplier<String> serverNonces, SecureRandom random) {
        this.store = store;
        this.mechanism = mechanism;
        this.serverNonces = serverNonces;
        this.standInKey = new byte[32];
        random.nextBytes(standInKey);
    }

    /** A SCRAM method whose nonces come from {@code random}. */
    public static ScramAuthenticator create(PasswordStore store, Mechanism mechanism, SecureRandom random) {
        return new ScramAuthenticator(store, mechanism, () -> randomNonce(random), random);
    }

    private static String randomNonce(SecureRandom random) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    @Override
    public Outcome quickVerdict(Request request) {
        return null; // The first step reads the password file and makes a nonce: the pool's work.
    }

    @Override
    public Outcome verify(Request request) {
        ClientFirst first = ClientFirst.parse(request.authData());
        if (first == null) {
            return Outcome.of(Verdict.NOT_AUTHORIZED);
        }
        ScramCredential credential = store.current().file().scram(first.user, mechanism);
        byte[] salt;
        int iterations;
        if (credential != null) {
            salt = credential.salt();
            iterations = credential.iterations();
        } else {
            salt = Arrays.copyOf(mechanism.hmac(standInKey, utf8(first.user)), ScramCredential.SALT_BYTES);
            iterations = ScramCredential.DEFAULT_ITERATIONS;
        }
        String nonce = first.nonce + serverNonces.get();
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        String connectUser = request.username();
        return Outcome.continueWith(
                utf8(serverFirst), data -> finish(first, serverFirst, nonce, credential, connectUser, data));
    }

    /** The client-final message: its proof checked against StoredKey, the server-final signed with ServerKey. */
    private Outcome finish(
            ClientFirst first,
            String serverFirst,
            String nonce,
            ScramCredential credential,
            String connectUser,
            byte[] data) {
        String clientFinal = data == null ? "" : new String(data, StandardCharsets.UTF_8);
        int p = clientFinal.lastIndexOf(",p=");
        byte[] proof = p < 0 ? null : base64(clientFinal.substring(p + 3));
        String withoutProof = p < 0 ? clientFinal : clientFinal.substring(0, p);
        String expectedStart = "c=" + Base64.getEncoder().encodeToString(utf8(first.gs2Header)) + ",r=" + nonce;
        boolean wellFormed = proof != null
                && proof.length == mechanism.keyBytes()
                && (withoutProof.equals(expectedStart) || withoutProof.startsWith(expectedStart + ","));
        byte[] authMessage = utf8(first.bare + "," + serverFirst + "," + withoutProof);
        // The same work whether the user has credentials or not.
        byte[] storedKey = credential != null ? credential.storedKey() : new byte[mechanism.keyBytes()];
        byte[] serverKey = credential != null ? credential.serverKey() : new byte[mechanism.keyBytes()];
        byte[] clientSignature = mechanism.hmac(storedKey, authMessage);
        byte[] clientKey = new byte[mechanism.keyBytes()];
        if (wellFormed) {
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
        }
        boolean proven = MessageDigest.isEqual(mechanism.hash(clientKey), storedKey);
        boolean sameUser = connectUser == null || connectUser.equals(first.user);
        if (!wellFormed || credential == null || !proven || !sameUser) {
            return Outcome.of(Verdict.NOT_AUTHORIZED);
        }
        byte[] serverSignature = mechanism.hmac(serverKey, authMessage);
        return Outcome.acceptedAs(first.user, utf8("v=" + Base64.getEncoder().encodeToString(serverSignature)));
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A client-first message (RFC 5802 section 7): {@code gs2-header client-first-message-bare},
     * the header {@code n,} or {@code y,} (no channel binding) with an optional {@code a=}
     * authorization identity that must name the same user, the bare part {@code n=USER,r=NONCE}
     * and optional extensions.
     */
    private record ClientFirst(String gs2Header, String bare, String user, String nonce) {
        static ClientFirst parse(byte[] data) {
            if (data == null) {
                return null;
            }
            String s = new String(data, StandardCharsets.UTF_8);
            if (!s.startsWith("n,") && !s.startsWith("y,")) {
                return null; // "p=": channel binding, not offered; anything else is not SCRAM.
            }
            int headerEnd = s.indexOf(',', 2);
            if (headerEnd < 0) {
                return null;
            }
            String authzid = s.substring(2, headerEnd);
            String gs2Header = s.substring(0, headerEnd + 1);
            String bare = s.substring(headerEnd + 1);
            String[] attrs = bare.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=")) {
                return null; // Also refuses a leading "m=": no mandatory extension is known.
            }
            String user = saslName(attrs[0].substring(2));
            String nonce = attrs[1].substring(2);
            if (user == null
                    || user.isEmpty()
                    || nonce.isEmpty()
                    || nonce.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                return null;
            }
            if (!authzid.isEmpty() && !(authzid.startsWith("a=") && user.equals(saslName(authzid.substring(2))))) {
                return null;
            }
            return new ClientFirst(gs2Header, bare, user, nonce);
        }

        /** A saslname with {@code =2C} and {@code =3D} decoded; null when another {@code =} appears. */
        private static String saslName(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch != '=') {
                    b.append(ch);
                } else if (s.startsWith("=2C", i)) {
                    b.append(',');
                    i += 2;
                } else if (s.startsWith("=3D", i)) {
                    b.append('=');
                    i += 2;
                } else {
                    return null;
                }
            }
            return b.toString();
        }
    }
}
