package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: who may connect, and how the check of a CONNECT's credentials (section 3.1.3.5) runs
 * beside the core without holding it up. Anonymous clients only where anonymous access is
 * allowed; a user name only with its password from the password file; refusals 0x86 / 0x87
 * (3.1.1: 4 / 5) that never say which part was wrong; the password hash on the auth pool while
 * the core serves others, what the client sends meanwhile held until the verdict [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6]),
 * a close or a takeover meanwhile handled; verified credentials cached; failed logins slowed per
 * address.
 *
 * <p>Method: the real core without sockets ({@link CoreHarness}) whose auth pool runs a check
 * only when the test says ({@link CoreHarness#holdAuthChecks}), so "the core answered while the
 * check waited" is a fact, not a race; time is the harness's manual clock, never a sleep. The
 * CONNACK's reason code is the verdict; a refused connection is closed [MQTT-3.2.2-7].
 */
class AuthenticationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Few iterations: the format is the real one, the cost is not what these tests are about. */
    private static final int ITERATIONS = 1000;

    @TempDir
    Path dir;

    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    static Packet.Connect connect(ProtocolVersion version, String clientId, String username, String password) {
        return new Packet.Connect(
                version,
                clientId,
                true,
                60,
                username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                null,
                Properties.EMPTY);
    }

    /** alice's 5.0 CONNECT with a session that outlives the connection (expiry 600 s). */
    private static Packet.Connect persistentAlice(String clientId, boolean cleanStart) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_5,
                clientId,
                cleanStart,
                60,
                "alice",
                "wonderland".getBytes(StandardCharsets.UTF_8),
                null,
                Packets.sessionExpiry(600));
    }

    private static Packet.Connect connect5(String clientId, String username, String password) {
        return connect(ProtocolVersion.MQTT_5, clientId, username, password);
    }

    private Path passwordFile(String... userThenPassword) throws IOException {
        PasswordFile file = PasswordFile.empty();
        for (int i = 0; i < userThenPassword.length; i += 2) {
            file = file.with(
                    userThenPassword[i],
                    PasswordHash.pbkdf2(userThenPassword[i + 1].toCharArray(), ITERATIONS, RANDOM));
        }
        Path path = dir.resolve("passwd");
        Files.writeString(path, file.text(), StandardCharsets.UTF_8);
        return path;
    }

    /** A core reading {@code passwd}, failed logins not slowed unless {@code extra} says so. */
    private CoreHarness startWithPasswords(Path passwd, String... extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("password_file", passwd.toString());
        settings.put("auth_failure_delay_millis", "0");
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return CoreHarness.start(settings);
    }

    private Packet.ConnAck connAck(Packet.Connect connect) {
        return connAck(core.open(), connect);
    }

    private Packet.ConnAck connAck(RecordingWire wire, Packet.Connect connect) {
        core.send(wire, connect);
        Packet.ConnAck ack = wire.next(Packet.ConnAck.class);
        if (ack.reason() != ReasonCode.SUCCESS) {
            assertTrue(wire.isClosed(), "a refused connection is closed [MQTT-3.2.2-7]");
            assertFalse(ack.sessionPresent(), "[MQTT-3.2.2-6]");
        }
        return ack;
    }

    /** Defect 1: with allow_anonymous = false any user name with any password was accepted. */
    @Test
    void anyUserNameWithAnyPasswordIsRefusedWhenAnonymousIsOffAndNoPasswordFileIsSet() {
        core = CoreHarness.start(Map.of("allow_anonymous", "false", "auth_failure_delay_millis", "0"));
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect(ProtocolVersion.MQTT_5, "guesser", "admin", "admin"))
                        .reason());
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect(ProtocolVersion.MQTT_3_1_1, "guesser", "admin", "admin"))
                        .reason());
        assertEquals(
                ReasonCode.NOT_AUTHORIZED,
                connAck(connect(ProtocolVersion.MQTT_5, "anon", null, null)).reason());
    }

    /** Audit: every login decision is counted, by outcome, for the operator's metrics. */
    @Test
    void loginsAreCountedByOutcome() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"));
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(connect5("a-1", "alice", "wonderland")).reason());
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect5("a-2", "alice", "wrong")).reason());
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect5("a-3", "mallory", "x")).reason());
        assertEquals(
                ReasonCode.NOT_AUTHORIZED, connAck(connect5("a-4", null, null)).reason());
        BrokerStats stats = core.stats();
        assertEquals(1, stats.authAccepted());
        assertEquals(2, stats.authRefusedBadCredentials());
        assertEquals(1, stats.authRefusedNotAuthorized());
    }

    /**
     * Audit: each login with a user name is logged at INFO with the client id, the user, how it was
     * proven, the address and the listener; at most 20 lines every 10 s, the next line saying how
     * many were held back, so a fleet reconnecting at once cannot flood the log.
     */
    @Test
    void acceptedLoginsAreLoggedAtMost20Every10Seconds() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"));
        try (LogLines log = LogLines.capture("ConnectHandler")) {
            for (int i = 0; i < 24; i++) {
                assertEquals(
                        ReasonCode.SUCCESS,
                        connAck(connect5("a-" + i, "alice", "wonderland")).reason());
            }
            RecordingWire device = core.open(new Origin("default", "device-7"));
            assertEquals(
                    ReasonCode.SUCCESS,
                    connAck(device, connect5("d-7", null, null)).reason());
            assertEquals(
                    ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connAck(connect5("a-x", "alice", "wrong")).reason());

            List<String> accepted = log.containing("login accepted");
            assertEquals(20, accepted.size(), String.join("\n", accepted));
            assertTrue(
                    accepted.get(0).contains(" INFO ")
                            && accepted.get(0).contains("from in-process:")
                            && accepted.get(0)
                                    .contains("(client id 'a-0', user 'alice' by password, listener default)"),
                    accepted.get(0));
            // Act: the window has passed; the certificate login of the next one is logged.
            core.advance(Duration.ofSeconds(10));
            RecordingWire next = core.open(new Origin("default", "device-8"));
            assertEquals(
                    ReasonCode.SUCCESS,
                    connAck(next, connect5("d-8", null, null)).reason());
            // Assert: 24 password logins and one certificate login before, 20 logged: 5 held back.
            String last = log.containing("login accepted").get(20);
            assertTrue(
                    last.contains("(client id 'd-8', user 'device-8' by client certificate, listener default);"
                            + " 5 more accepted logins were not logged"),
                    last);
        }
        assertEquals(26, core.stats().authAccepted(), "every login is counted, logged or not");
        assertEquals(1, core.stats().authRefusedBadCredentials());
    }

    @Test
    void withoutConfigAnonymousClientsConnectOnLoopbackAsInTheQuickStart() {
        core = CoreHarness.start();
        assertEquals(ReasonCode.SUCCESS, connAck(connect5("quick", null, null)).reason());
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(connect5("named", "anyone", "anything")).reason(),
                "no password file and anonymous allowed: the name is taken as given (as mosquitto)");
        assertEquals(0, core.authPool.submitted(), "nothing to hash");
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void aPasswordFileLetsInTheRightPasswordOnlyAndNeverSaysWhichPartWasWrong(ProtocolVersion version)
            throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland", "bob", "builder"));
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(connect(version, "a", "alice", "wonderland")).reason());
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(connect(version, "b", "bob", "builder")).reason());
        // Wrong password, unknown user, a known user's password under another name: all one answer.
        for (String[] wrong :
                new String[][] {{"alice", "Wonderland"}, {"mallory", "wonderland"}, {"bob", "wonderland"}}) {
            assertEquals(
                    ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connAck(connect(version, "x", wrong[0], wrong[1])).reason(),
                    wrong[0] + "/" + wrong[1]);
        }
        if (version == ProtocolVersion.MQTT_5) {
            // A 5.0 client may send a user name without a password (3.1.2.9): it cannot log in.
            assertEquals(
                    ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connAck(connect(version, "x", "alice", null)).reason());
        }
        // A password file switches anonymous access off unless allow_anonymous says otherwise.
        assertEquals(
                ReasonCode.NOT_AUTHORIZED,
                connAck(connect(version, "anon", null, null)).reason());
    }

    @Test
    void anonymousAccessAllowedExplicitlyBesideAPasswordFileStillChecksEveryUserName() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"), "allow_anonymous", "true");
        assertEquals(ReasonCode.SUCCESS, connAck(connect5("anon", null, null)).reason());
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect5("x", "alice", "guess")).reason());
    }

    @Test
    void theCoreServesOthersWhileAPasswordIsCheckedOnThePool() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"), "allow_anonymous", "true");
        core.holdAuthChecks();
        RecordingWire alice = core.open();
        core.send(alice, connect5("alice-1", "alice", "wonderland"));
        assertEquals(List.of(), alice.drain(), "no CONNACK before the check has run");
        assertEquals(1, core.authPool.waiting());

        // Act: meanwhile another client connects, subscribes and pings.
        RecordingWire other = core.connect(connect5("other", null, null));
        core.subscribe(other, "t/#", QoS.AT_LEAST_ONCE);
        core.send(other, new Packet.PingReq()).next(Packet.PingResp.class);
        assertEquals(List.of(), alice.drain());

        core.runAuthChecks();
        assertEquals(ReasonCode.SUCCESS, alice.next(Packet.ConnAck.class).reason());
    }

    @Test
    void packetsSentBeforeTheConnackWaitForTheCheckAndAreProcessedInOrder() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"));
        core.holdAuthChecks();
        RecordingWire alice = core.open();
        core.send(alice, connect5("alice-1", "alice", "wonderland"));
        core.send(alice, Packets.subscribe(7, "t/#", QoS.AT_LEAST_ONCE));
        core.send(alice, new Packet.PingReq());
        assertEquals(List.of(), alice.drain());

        core.runAuthChecks();

        assertEquals(ReasonCode.SUCCESS, alice.next(Packet.ConnAck.class).reason());
        assertEquals(7, alice.next(Packet.SubAck.class).packetId());
        alice.next(Packet.PingResp.class);
        alice.assertNothingMore();
    }

    @Test
    void nothingSentAfterARefusedConnectIsProcessed() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"));
        RecordingWire reader = core.connect(connect5("reader", "alice", "wonderland"));
        core.holdAuthChecks();
        RecordingWire guesser = core.open();
        core.send(guesser, connect5("guesser", "alice", "guess"));
        core.send(guesser, Packets.publish("t/x", QoS.AT_MOST_ONCE, 0, "should not be routed"));

        core.runAuthChecks();

        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                guesser.next(Packet.ConnAck.class).reason());
        guesser.assertNothingMore();
        assertTrue(guesser.isClosed());
        // The reader subscribed before the guesser's PUBLISH: had it been processed, it would have arrived.
        core.subscribe(reader, "t/#", QoS.AT_MOST_ONCE);
        core.connect(connect5("writer", "alice", "wonderland"));
        reader.assertNothingMore(); // [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6])
    }

    @Test
    void aClientThatGoesAwayWhileItsCheckRunsLeavesNoSessionAndNoAnswer() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"));
        core.holdAuthChecks();
        RecordingWire gone = core.open();
        core.send(gone, persistentAlice("gone", true));
        core.send(gone, new Packet.PingReq());
        core.drop(gone);

        core.runAuthChecks();

        assertEquals(List.of(), gone.drain(), "nothing for a closed connection");
        RecordingWire again = core.open();
        core.send(again, persistentAlice("gone", false));
        core.runAuthChecks();
        assertFalse(again.next(Packet.ConnAck.class).sessionPresent(), "the session never started");
    }

    @Test
    void aTakeoverWaitsForTheNewcomersCheckAndTheOldConnectionServesMeanwhile() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"), "auth_cache_seconds", "0");
        RecordingWire first = core.connect(connect5("device", "alice", "wonderland"));
        core.holdAuthChecks();
        RecordingWire second = core.open();
        core.send(second, connect5("device", "alice", "wonderland"));
        core.send(first, new Packet.PingReq()).next(Packet.PingResp.class);
        first.assertOpen();

        core.runAuthChecks();

        assertEquals(ReasonCode.SUCCESS, second.next(Packet.ConnAck.class).reason());
        assertEquals(
                ReasonCode.SESSION_TAKEN_OVER,
                first.next(Packet.Disconnect.class).reason()); // [MQTT-3.1.4-3]
        assertTrue(first.isClosed());
    }

    @Test
    void ofTwoConnectsForOneClientIdTheLaterWinsEvenWhenItsCheckEndsFirst() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland", "bob", "builder"));
        core.drop(core.connect(connect5("warm-up", "bob", "builder"))); // bob's credentials are now cached
        core.holdAuthChecks();
        RecordingWire earlier = core.open();
        core.send(earlier, connect5("device", "alice", "wonderland")); // waits for the pool
        RecordingWire later = core.open();
        core.send(later, connect5("device", "bob", "builder")); // answered from the cache
        assertEquals(ReasonCode.SUCCESS, later.next(Packet.ConnAck.class).reason());

        core.runAuthChecks();

        assertEquals(List.of(), earlier.drain(), "no CONNACK for the connection the later one replaced");
        assertTrue(earlier.isClosed());
        later.assertOpen();
        core.send(later, new Packet.PingReq()).next(Packet.PingResp.class);
    }

    @Test
    void cachedCredentialsSkipThePoolWhileTheirConnectionLivesAndForTheTtlAfter() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"), "auth_cache_seconds", "60");
        RecordingWire live = core.connect(connect5("one", "alice", "wonderland"));
        assertEquals(1, core.authPool.submitted());
        assertEquals(1, core.authenticator.hashesComputed());

        // Open for longer than the TTL: the entry does not expire while its connection lives.
        core.advance(Duration.ofSeconds(120));
        core.connect(connect5("two", "alice", "wonderland"));
        core.drop(live);
        core.drop(core.connect(connect5("three", "alice", "wonderland")));
        assertEquals(1, core.authPool.submitted(), "cache hits do not reach the pool");
        assertEquals(1, core.authenticator.hashesComputed());

        // A wrong password is no hit.
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect5("x", "alice", "wonderlanD")).reason());
        assertEquals(2, core.authPool.submitted());
    }

    @Test
    void cachedCredentialsExpireTheTtlAfterTheirLastConnectionEnded() throws IOException {
        core = startWithPasswords(passwordFile("alice", "wonderland"), "auth_cache_seconds", "60");
        core.drop(core.connect(connect5("one", "alice", "wonderland")));
        core.advance(Duration.ofSeconds(59));
        core.drop(core.connect(connect5("two", "alice", "wonderland")));
        assertEquals(1, core.authPool.submitted(), "still cached 59 s after");
        core.advance(Duration.ofSeconds(60));
        core.connect(connect5("three", "alice", "wonderland"));
        assertEquals(2, core.authPool.submitted(), "checked again once the TTL passed");
    }

    @Test
    void aReloadedPasswordFileInvalidatesTheCache() throws IOException {
        Path passwd = passwordFile("alice", "wonderland");
        core = startWithPasswords(passwd);
        core.drop(core.connect(connect5("one", "alice", "wonderland")));
        passwordFile("alice", "looking-glass");
        assertTrue(core.authenticator.reload());

        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect5("two", "alice", "wonderland")).reason());
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(connect5("three", "alice", "looking-glass")).reason());
        assertEquals(3, core.authPool.submitted(), "the old password was checked again, not taken from the cache");
    }

    @Test
    void failedLoginsFromOneAddressAreRefusedLaterEachTimeUpToTheLimit() throws IOException {
        core = startWithPasswords(
                passwordFile("alice", "wonderland"),
                "auth_failure_delay_millis",
                "1000",
                "auth_failure_delay_max_millis",
                "4000");
        long[] expectedDelays = {1000, 2000, 4000, 4000};
        for (long delay : expectedDelays) {
            assertRefusedAfter("192.0.2.7", delay);
        }
        // Another address is not slowed by these failures; the right password is never slowed.
        assertRefusedAfter("198.51.100.1", 1000);
        assertEquals(
                ReasonCode.SUCCESS,
                connAck(core.open("192.0.2.7"), connect5("a", "alice", "wonderland"))
                        .reason());
        // Quiet for the longest delay: the address starts again from the first.
        core.advance(Duration.ofMillis(4001));
        assertRefusedAfter("192.0.2.7", 1000);
    }

    @Test
    void atMostConnectionsMaxRefusalsWaitAndOnesForClosedConnectionsMakeRoom() throws IOException {
        core = startWithPasswords(
                passwordFile("alice", "wonderland"), "auth_failure_delay_millis", "1000", "connections_max", "1");
        RecordingWire waiting = core.open("192.0.2.7");
        core.send(waiting, connect5("g1", "alice", "guess"));
        assertEquals(List.of(), waiting.drain(), "the first refusal waits");

        RecordingWire overflow = core.open("192.0.2.8");
        core.send(overflow, connect5("g2", "alice", "guess"));
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                overflow.next(Packet.ConnAck.class).reason(),
                "no room to wait: refused at once");

        core.drop(waiting);
        RecordingWire next = core.open("192.0.2.9");
        core.send(next, connect5("g3", "alice", "guess"));
        assertEquals(List.of(), next.drain(), "the closed connection's place was taken");
        core.advance(Duration.ofMillis(1000));
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                next.next(Packet.ConnAck.class).reason());
    }

    /** A wrong password from {@code host} is refused exactly {@code millis} after it arrived. */
    private void assertRefusedAfter(String host, long millis) {
        RecordingWire guess = core.open(host);
        core.send(guess, connect5("g", "alice", "guess"));
        core.send(guess, new Packet.PingReq());
        core.advance(Duration.ofMillis(millis - 1));
        assertEquals(List.of(), guess.drain(), "no refusal before " + millis + " ms");
        core.advance(Duration.ofMillis(1));
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                guess.next(Packet.ConnAck.class).reason());
        guess.assertNothingMore(); // The PINGREQ after the refused CONNECT was ignored.
        assertTrue(guess.isClosed());
    }

    @Test
    void anAnonymousRefusalIsNotSlowedItIsNoGuess() {
        core = CoreHarness.start(Map.of("allow_anonymous", "false", "auth_failure_delay_millis", "1000"));
        assertEquals(
                ReasonCode.NOT_AUTHORIZED, connAck(connect5("anon", null, null)).reason());
    }
}
