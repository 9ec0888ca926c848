package dev.cairn.broker.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.auth.Authenticator.Outcome;
import dev.cairn.broker.auth.Authenticator.Request;
import dev.cairn.broker.auth.Authenticator.Verdict;
import dev.cairn.broker.testing.ScramClient;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.ScramCredential;
import dev.cairn.protocol.ScramCredential.Mechanism;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the server side of SCRAM follows RFC 5802 to the byte: the RFC 7677 section 3 example
 * (SCRAM-SHA-256, user "user", password "pencil") gives its server-first and server-final exactly;
 * every failure (wrong proof, unknown user, credentials bound to a replaced password, a CONNECT
 * user name that is not the SCRAM one, channel binding, garbage) is the same NOT_AUTHORIZED after
 * the same steps. Method: a real password file in a temporary directory, fixed server nonces, and
 * for SCRAM-SHA-512 the test's own client ({@link ScramClient}).
 */
class ScramAuthenticatorTest {
    private static final String RFC_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @TempDir
    Path dir;

    /** A password file where "user" has password "pencil" and the RFC's SCRAM-SHA-256 salt and count. */
    private PasswordStore rfcStore() throws IOException {
        PasswordHash entry = PasswordHash.pbkdf2("pencil".toCharArray(), 10, new SecureRandom());
        ScramCredential c = ScramCredential.derive(
                Mechanism.SCRAM_SHA_256,
                "pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
                4096,
                entry);
        PasswordFile file = PasswordFile.empty().with("user", entry).withScram("user", c);
        Path path = dir.resolve("passwd");
        Files.writeString(path, file.text());
        return PasswordStore.open(path);
    }

    private static ScramAuthenticator scram(PasswordStore store, Mechanism m, String serverNonce) {
        return new ScramAuthenticator(store, m, () -> serverNonce, new SecureRandom());
    }

    private static Request request(String connectUser, String method, String data) {
        return new Request("c", connectUser, null, "127.0.0.1", false, method, bytes(data));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void theRfc7677ExampleGivesItsServerFirstAndServerFinal() throws IOException {
        ScramAuthenticator server = scram(rfcStore(), Mechanism.SCRAM_SHA_256, RFC_SERVER_NONCE);
        Request r = request(null, "SCRAM-SHA-256", RFC_CLIENT_FIRST);
        assertNull(server.quickVerdict(r), "the steps run on the auth pool");
        Outcome first = server.verify(r);
        assertEquals(Verdict.CONTINUE, first.verdict());
        assertEquals(RFC_SERVER_FIRST, text(first.authData()));
        Outcome last = first.next().next(bytes(RFC_CLIENT_FINAL));
        assertEquals(Verdict.ACCEPTED, last.verdict());
        assertEquals(RFC_SERVER_FINAL, text(last.authData()));
        assertEquals("user", last.username());
    }

    @Test
    void aWrongProofIsRefused() throws IOException {
        ScramAuthenticator server = scram(rfcStore(), Mechanism.SCRAM_SHA_256, RFC_SERVER_NONCE);
        Outcome first = server.verify(request(null, "SCRAM-SHA-256", RFC_CLIENT_FIRST));
        String wrong = RFC_CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertEquals(Verdict.NOT_AUTHORIZED, first.next().next(bytes(wrong)).verdict());
        // The proof of a client that knows the password but changed the nonce is refused too.
        Outcome again = server.verify(request(null, "SCRAM-SHA-256", RFC_CLIENT_FIRST));
        String otherNonce = RFC_CLIENT_FINAL.replace("k0,p=", "k1,p=");
        assertEquals(
                Verdict.NOT_AUTHORIZED, again.next().next(bytes(otherNonce)).verdict());
    }

    @Test
    void anUnknownUserGetsAServerFirstOfTheSameFormAndIsRefusedAtTheEnd() throws IOException {
        ScramAuthenticator server = scram(rfcStore(), Mechanism.SCRAM_SHA_256, "xyz");
        ScramClient client = new ScramClient("SCRAM-SHA-256", "nobody", "pencil", "abc");
        Outcome first = server.verify(new Request("c", null, null, "h", false, "SCRAM-SHA-256", client.clientFirst()));
        assertEquals(Verdict.CONTINUE, first.verdict());
        String serverFirst = text(first.authData());
        assertTrue(serverFirst.matches("r=abcxyz,s=[A-Za-z0-9+/=]{24},i=4096"), serverFirst);
        Outcome last = first.next().next(client.clientFinal(first.authData()));
        assertEquals(Verdict.NOT_AUTHORIZED, last.verdict());
        // The same name gets the same salt each time, as a real user's would.
        Outcome repeat = server.verify(new Request("c", null, null, "h", false, "SCRAM-SHA-256", client.clientFirst()));
        assertEquals(serverFirst, text(repeat.authData()));
    }

    @Test
    void scramSha512WithTheTestsOwnClient() throws IOException {
        PasswordHash entry = PasswordHash.pbkdf2("s3cret".toCharArray(), 10, new SecureRandom());
        ScramCredential c = ScramCredential.derive(
                Mechanism.SCRAM_SHA_512, "s3cret".toCharArray(), 4096, entry, new SecureRandom());
        Path path = dir.resolve("passwd512");
        Files.writeString(
                path,
                PasswordFile.empty()
                        .with("ann,a=b", entry)
                        .withScram("ann,a=b", c)
                        .text());
        ScramAuthenticator server = scram(PasswordStore.open(path), Mechanism.SCRAM_SHA_512, "srv");
        ScramClient client = new ScramClient("SCRAM-SHA-512", "ann,a=b", "s3cret", "cli");
        Outcome first = server.verify(request(null, "SCRAM-SHA-512", text(client.clientFirst())));
        Outcome last = first.next().next(client.clientFinal(first.authData()));
        assertEquals(Verdict.ACCEPTED, last.verdict());
        assertEquals("ann,a=b", last.username(), "=2C and =3D decoded");
        assertTrue(client.serverFinalVerifies(last.authData()));
        // A SCRAM-SHA-256 server finds no SHA-256 credential for the user.
        ScramAuthenticator sha256 = scram(PasswordStore.open(path), Mechanism.SCRAM_SHA_256, "srv");
        ScramClient client256 = new ScramClient("SCRAM-SHA-256", "ann,a=b", "s3cret", "cli");
        Outcome first256 = sha256.verify(request(null, "SCRAM-SHA-256", text(client256.clientFirst())));
        assertEquals(
                Verdict.NOT_AUTHORIZED,
                first256.next().next(client256.clientFinal(first256.authData())).verdict());
    }

    /**
     * mosquitto_passwd keeps comment lines, so after it changed a password the old SCRAM line is
     * still in the file; bound to the old entry, it no longer lets the old password in.
     */
    @Test
    void credentialsOfAReplacedPasswordEntryNoLongerCount() throws IOException {
        PasswordStore store = rfcStore();
        Path path = dir.resolve("passwd");
        String text = Files.readString(path);
        String newEntry = "user:"
                + PasswordHash.pbkdf2("other".toCharArray(), 10, new SecureRandom())
                        .encoded();
        Files.writeString(path, text.replaceFirst("(?m)^user:.*$", java.util.regex.Matcher.quoteReplacement(newEntry)));
        assertTrue(store.reload());
        assertTrue(Files.readString(path).contains("#scram-sha-256:user:"), "the SCRAM line is still there");
        ScramAuthenticator server = scram(store, Mechanism.SCRAM_SHA_256, RFC_SERVER_NONCE);
        Outcome first = server.verify(request(null, "SCRAM-SHA-256", RFC_CLIENT_FIRST));
        assertFalse(text(first.authData()).contains("W22ZaJ0SNY7soEsUEjb6gQ=="), "the stale salt is not offered");
        assertEquals(
                Verdict.NOT_AUTHORIZED,
                first.next().next(bytes(RFC_CLIENT_FINAL)).verdict());
    }

    @Test
    void aConnectUserNameThatIsNotTheScramOneIsRefused() throws IOException {
        ScramAuthenticator server = scram(rfcStore(), Mechanism.SCRAM_SHA_256, RFC_SERVER_NONCE);
        Outcome first = server.verify(request("admin", "SCRAM-SHA-256", RFC_CLIENT_FIRST));
        assertEquals(
                Verdict.NOT_AUTHORIZED,
                first.next().next(bytes(RFC_CLIENT_FINAL)).verdict());
        Outcome same = server.verify(request("user", "SCRAM-SHA-256", RFC_CLIENT_FIRST));
        assertEquals(Verdict.ACCEPTED, same.next().next(bytes(RFC_CLIENT_FINAL)).verdict());
    }

    @Test
    void malformedClientFirstMessagesAndChannelBindingAreRefused() throws IOException {
        ScramAuthenticator server = scram(rfcStore(), Mechanism.SCRAM_SHA_256, RFC_SERVER_NONCE);
        for (String bad : new String[] {
            "p=tls-unique,,n=user,r=abc", // channel binding is not offered
            "n,,m=ext,n=user,r=abc", // a mandatory extension
            "n,,n=us=er,r=abc", // '=' not followed by 2C or 3D
            "n,,r=abc,n=user",
            "n,,n=user,r=",
            "n,a=other,n=user,r=abc", // authorization identity of another user
            "",
            "garbage"
        }) {
            assertEquals(
                    Verdict.NOT_AUTHORIZED,
                    server.verify(request(null, "SCRAM-SHA-256", bad)).verdict(),
                    bad);
        }
        assertEquals(
                Verdict.NOT_AUTHORIZED,
                server.verify(new Request("c", null, null, "h", false, "SCRAM-SHA-256", null))
                        .verdict(),
                "no Authentication Data");
        Outcome first = server.verify(request(null, "SCRAM-SHA-256", "n,a=user,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertEquals(Verdict.CONTINUE, first.verdict(), "an authorization identity naming the same user");
        assertEquals(Verdict.NOT_AUTHORIZED, first.next().next(null).verdict(), "an AUTH without data");
        assertArrayEquals(bytes(RFC_SERVER_FIRST), first.authData());
    }
}
