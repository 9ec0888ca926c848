package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.ScramClient;
import dev.cairn.broker.testing.ScramPackets;
import dev.cairn.broker.testing.ScramUsers;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.ScramCredential.Mechanism;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: MQTT 5 enhanced authentication on the wire, packet by packet: the SCRAM exchange CONNECT
 * → AUTH 0x18 → AUTH 0x18 → CONNACK 0x00 and the re-authentication AUTH 0x19 → AUTH 0x18 → AUTH
 * 0x18 → AUTH 0x00 while the connection goes on, each carrying the CONNECT's method
 * [MQTT-4.12.0-5]; and every AUTH protocol error with its exact answer: CONNACK 0x8C for a method
 * not offered [MQTT-4.12.0-1], CONNACK 0x82 for a Protocol Error before the CONNACK
 * [MQTT-4.12.0-4], DISCONNECT 0x82 after it, DISCONNECT 0x87 for a failed re-authentication
 * [MQTT-4.12.1-2], and for one the client stops answering for {@code connect_timeout_seconds}.
 * Method: a real broker and {@link RawMqttClient}; the SCRAM client side is the
 * test's own ({@link ScramClient}).
 */
class EnhancedAuthProtocolIT extends Clients {
    private static final String SHA256 = "SCRAM-SHA-256";

    @TempDir
    Path dir;

    private Path passwd;

    @BeforeEach
    void writePasswordFile() throws IOException {
        PasswordFile file = ScramUsers.with(PasswordFile.empty(), "alice", "wonderland", Mechanism.SCRAM_SHA_256);
        file = ScramUsers.with(file, "bob", "builder"); // No SCRAM lines: password logins only.
        passwd = dir.resolve("passwd");
        Files.writeString(passwd, file.text());
    }

    private TestBroker scramBroker(String... more) {
        Map<String, String> settings = new java.util.HashMap<>(
                Map.of("password_file", passwd.toString(), "auth_methods", SHA256, "auth_failure_delay_millis", "0"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return broker(settings);
    }

    private static Properties auth(String method, byte[] data) {
        return ScramPackets.auth(method, data);
    }

    private static Packet.Connect connect(String clientId, String method, byte[] data) {
        return new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 60, null, null, null, auth(method, data));
    }

    /** A CONNECT as bob with his password: no enhanced authentication. */
    private static Packet.Connect bob(ProtocolVersion version, String clientId) {
        return password(version, clientId, "bob", "builder");
    }

    /** A CONNECT with user name and password and no Authentication Method. */
    private static Packet.Connect password(ProtocolVersion version, String clientId, String user, String password) {
        return new Packet.Connect(version, clientId, true, 60, user, utf8(password), null, Properties.EMPTY);
    }

    /** Sends the CONNECT with the client-first message and reads the server's AUTH 0x18. */
    private Packet.Auth begin(RawMqttClient raw, ScramClient scram, String clientId) throws IOException {
        raw.send(connect(clientId, scram.method(), scram.clientFirst()));
        Packet.Auth serverFirst = raw.receive(Packet.Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, serverFirst.reason(), "[MQTT-4.12.0-2]");
        assertEquals(scram.method(), serverFirst.properties().authenticationMethod(), "[MQTT-4.12.0-5]");
        return serverFirst;
    }

    /** A client connected with SCRAM as alice. */
    private RawMqttClient loggedIn(TestBroker broker, String clientId) throws IOException {
        RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_5);
        ScramClient scram = new ScramClient(SHA256, "alice", "wonderland", "n0nce" + clientId);
        Packet.Auth serverFirst = begin(raw, scram, clientId);
        raw.send(new Packet.Auth(
                ReasonCode.CONTINUE_AUTHENTICATION,
                auth(SHA256, scram.clientFinal(serverFirst.properties().authenticationData()))));
        Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason());
        assertTrue(scram.serverFinalVerifies(ack.properties().authenticationData()));
        return raw;
    }

    private static void assertConnAckThenClose(RawMqttClient raw, ReasonCode expected, String why) throws IOException {
        Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
        assertEquals(expected, ack.reason(), why);
        assertEquals(0, raw.awaitClose(TIMEOUT).size(), "nothing after the refusal: " + why);
    }

    private static void assertDisconnectThenClose(RawMqttClient raw, ReasonCode expected, String why)
            throws IOException {
        Packet.Disconnect d = raw.receive(Packet.Disconnect.class);
        assertEquals(expected, d.reason(), why);
        assertEquals(0, raw.awaitClose(TIMEOUT).size(), why);
    }

    @Test
    void theScramExchangeAndAReauthenticationOnTheWire() throws IOException {
        TestBroker broker = scramBroker();
        RawMqttClient raw = loggedIn(broker, "wire");
        subscribeRaw(raw, 1, "t", QoS.AT_MOST_ONCE);

        ScramClient again = new ScramClient(SHA256, "alice", "wonderland", "second");
        raw.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, again.clientFirst())));
        Packet.Auth serverFirst = raw.receive(Packet.Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, serverFirst.reason());
        assertEquals(SHA256, serverFirst.properties().authenticationMethod(), "[MQTT-4.12.0-5]");
        // The connection goes on during the re-authentication (section 4.12.1).
        raw.send(new Packet.Publish("t", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, utf8("during")));
        assertEquals("during", text(raw.receive(Packet.Publish.class).payload()));
        raw.send(new Packet.Auth(
                ReasonCode.CONTINUE_AUTHENTICATION,
                auth(SHA256, again.clientFinal(serverFirst.properties().authenticationData()))));
        Packet.Auth success = raw.receive(Packet.Auth.class);
        assertEquals(ReasonCode.SUCCESS, success.reason());
        assertEquals(SHA256, success.properties().authenticationMethod(), "[MQTT-4.12.0-5]");
        assertTrue(again.serverFinalVerifies(success.properties().authenticationData()));
        raw.send(new Packet.PingReq());
        raw.receive(Packet.PingResp.class);
    }

    @Test
    void aMethodNotOfferedGetsConnAck0x8C() throws IOException {
        TestBroker broker = scramBroker();
        RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_5);
        raw.send(connect("m", "SCRAM-SHA-512", new ScramClient("SCRAM-SHA-512", "alice", "x", "n").clientFirst()));
        assertConnAckThenClose(raw, ReasonCode.BAD_AUTHENTICATION_METHOD, "[MQTT-4.12.0-1]: not in auth_methods");
        RawMqttClient other = rawSocket(broker, ProtocolVersion.MQTT_5);
        other.send(connect("m2", "GS2-KRB5", null));
        assertConnAckThenClose(other, ReasonCode.BAD_AUTHENTICATION_METHOD, "[MQTT-4.12.0-1]: unknown method");
        // Without auth_methods no method is offered at all.
        TestBroker plain = broker(Map.of("password_file", passwd.toString(), "auth_failure_delay_millis", "0"));
        RawMqttClient none = rawSocket(plain, ProtocolVersion.MQTT_5);
        none.send(connect("m3", SHA256, new ScramClient(SHA256, "alice", "wonderland", "n").clientFirst()));
        assertConnAckThenClose(none, ReasonCode.BAD_AUTHENTICATION_METHOD, "[MQTT-4.12.0-1]: none offered");
    }

    @Test
    void aWrongPasswordOrAUserWithoutScramCredentialsGetsConnAck0x87ButPasswordLoginsStillWork() throws IOException {
        TestBroker broker = scramBroker();
        for (String[] who : new String[][] {{"alice", "wrong"}, {"bob", "builder"}, {"nobody", "x"}}) {
            RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_5);
            ScramClient scram = new ScramClient(SHA256, who[0], who[1], "n");
            Packet.Auth serverFirst = begin(raw, scram, "w-" + who[0]);
            raw.send(new Packet.Auth(
                    ReasonCode.CONTINUE_AUTHENTICATION,
                    auth(SHA256, scram.clientFinal(serverFirst.properties().authenticationData()))));
            assertConnAckThenClose(raw, ReasonCode.NOT_AUTHORIZED, who[0] + " [MQTT-4.12.0-4]");
        }
        RawMqttClient bob = rawSocket(broker, ProtocolVersion.MQTT_5);
        bob.send(new Packet.Connect(
                ProtocolVersion.MQTT_5, "bob", true, 60, "bob", utf8("builder"), null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, bob.receive(Packet.ConnAck.class).reason(), "bob's password still works");
    }

    @Test
    void protocolErrorsBeforeTheConnAckGetConnAck0x82() throws IOException {
        TestBroker broker = scramBroker();
        // AUTH with another method than the CONNECT's [MQTT-4.12.0-5].
        RawMqttClient otherMethod = rawSocket(broker, ProtocolVersion.MQTT_5);
        begin(otherMethod, new ScramClient(SHA256, "alice", "wonderland", "a"), "e1");
        otherMethod.send(new Packet.Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("SCRAM-SHA-512", utf8("c=biws"))));
        assertConnAckThenClose(otherMethod, ReasonCode.PROTOCOL_ERROR, "[MQTT-4.12.0-5]");
        // AUTH 0x19 before the CONNACK: only 0x18 answers the server [MQTT-4.12.0-3].
        RawMqttClient reauth = rawSocket(broker, ProtocolVersion.MQTT_5);
        begin(reauth, new ScramClient(SHA256, "alice", "wonderland", "b"), "e2");
        reauth.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, utf8("n,,n=alice,r=x"))));
        assertConnAckThenClose(reauth, ReasonCode.PROTOCOL_ERROR, "[MQTT-4.12.0-3]");
        // Any packet but AUTH or DISCONNECT before the CONNACK [MQTT-3.1.2-30].
        RawMqttClient publish = rawSocket(broker, ProtocolVersion.MQTT_5);
        begin(publish, new ScramClient(SHA256, "alice", "wonderland", "c"), "e3");
        publish.send(new Packet.Publish("t", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, utf8("x")));
        assertConnAckThenClose(publish, ReasonCode.PROTOCOL_ERROR, "[MQTT-3.1.2-30]");
        // DISCONNECT during the exchange just ends it.
        RawMqttClient bye = rawSocket(broker, ProtocolVersion.MQTT_5);
        begin(bye, new ScramClient(SHA256, "alice", "wonderland", "e"), "e5");
        bye.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        assertEquals(0, bye.awaitClose(TIMEOUT).size());
    }

    @Test
    void protocolErrorsAfterTheConnAckGetDisconnect0x82() throws IOException {
        TestBroker broker = scramBroker();
        // AUTH on a 5.0 connection whose CONNECT named no method [MQTT-4.12.0-7].
        RawMqttClient plain = raw(broker, bob(ProtocolVersion.MQTT_5, "p"));
        plain.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, utf8("n,,n=alice,r=x"))));
        assertDisconnectThenClose(plain, ReasonCode.PROTOCOL_ERROR, "[MQTT-4.12.0-7]");
        // Re-authentication with another method than the CONNECT's [MQTT-4.12.1-1].
        RawMqttClient other = loggedIn(broker, "o");
        other.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth("SCRAM-SHA-512", utf8("n,,n=alice,r=x"))));
        assertDisconnectThenClose(other, ReasonCode.PROTOCOL_ERROR, "[MQTT-4.12.1-1]");
        // AUTH 0x18 that no AUTH of the server asked for [MQTT-4.12.0-3].
        RawMqttClient unasked = loggedIn(broker, "u");
        unasked.send(new Packet.Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(SHA256, utf8("c=biws"))));
        assertDisconnectThenClose(unasked, ReasonCode.PROTOCOL_ERROR, "[MQTT-4.12.0-3]");
        // AUTH 0x00 is sent by servers only (section 3.15.2.1).
        RawMqttClient success = loggedIn(broker, "s");
        success.send(new Packet.Auth(ReasonCode.SUCCESS, auth(SHA256, null)));
        assertDisconnectThenClose(success, ReasonCode.PROTOCOL_ERROR, "client AUTH 0x00");
        // A second AUTH 0x19 while a re-authentication waits for the client.
        RawMqttClient twice = loggedIn(broker, "t");
        ScramClient scram = new ScramClient(SHA256, "alice", "wonderland", "r1");
        twice.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, scram.clientFirst())));
        twice.receive(Packet.Auth.class);
        twice.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, scram.clientFirst())));
        assertDisconnectThenClose(twice, ReasonCode.PROTOCOL_ERROR, "AUTH 0x19 during a re-authentication");
    }

    @Test
    void aFailedReauthenticationGetsDisconnect0x87() throws IOException {
        TestBroker broker = scramBroker();
        RawMqttClient raw = loggedIn(broker, "f");
        ScramClient wrong = new ScramClient(SHA256, "alice", "not-it", "r2");
        raw.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, wrong.clientFirst())));
        Packet.Auth serverFirst = raw.receive(Packet.Auth.class);
        raw.send(new Packet.Auth(
                ReasonCode.CONTINUE_AUTHENTICATION,
                auth(SHA256, wrong.clientFinal(serverFirst.properties().authenticationData()))));
        assertDisconnectThenClose(raw, ReasonCode.NOT_AUTHORIZED, "[MQTT-4.12.1-2]");
    }

    @Test
    void authFromA311ClientOrBeforeConnectEndsTheConnection() throws IOException {
        TestBroker broker = scramBroker();
        // Packet type 15 is reserved in 3.1.1 (section 2.2.1): closed without an answer.
        RawMqttClient v3 = raw(broker, bob(ProtocolVersion.MQTT_3_1_1, "v3"));
        v3.sendHex("F0 00");
        assertEquals(0, v3.awaitClose(TIMEOUT).size());
        // The first packet must be CONNECT [MQTT-3.1.0-1].
        RawMqttClient first = rawSocket(broker, ProtocolVersion.MQTT_5);
        first.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, utf8("n,,n=alice,r=x"))));
        assertEquals(0, first.awaitClose(TIMEOUT).size());
    }

    @Test
    void aClientThatStopsAnsweringTheServersAuthIsClosedAfterTheConnectTimeout() throws IOException {
        TestBroker broker = scramBroker("connect_timeout_seconds", "1");
        RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_5);
        begin(raw, new ScramClient(SHA256, "alice", "wonderland", "s"), "stall");
        long start = System.nanoTime();
        assertEquals(0, raw.awaitClose(Duration.ofSeconds(5)).size());
        assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the timeout");
    }

    @Test
    void aReauthenticationTheClientStopsAnsweringGetsDisconnect0x87AfterTheConnectTimeout() throws IOException {
        TestBroker broker = scramBroker("connect_timeout_seconds", "1");
        RawMqttClient raw = loggedIn(broker, "stalled-reauth");
        ScramClient again = new ScramClient(SHA256, "alice", "wonderland", "never-finished");
        raw.send(new Packet.Auth(ReasonCode.RE_AUTHENTICATE, auth(SHA256, again.clientFirst())));
        assertEquals(
                ReasonCode.CONTINUE_AUTHENTICATION,
                raw.receive(Packet.Auth.class).reason());
        long asked = System.nanoTime();
        // The client stays alive otherwise (keep alive 60 s, a PINGREQ answered), but never sends
        // its AUTH 0x18: an unfinished re-authentication is a failed one [MQTT-4.12.1-2].
        raw.send(new Packet.PingReq());
        raw.receive(Packet.PingResp.class);
        Packet.Disconnect d = raw.receive(Packet.Disconnect.class);
        assertTrue(System.nanoTime() - asked >= 900_000_000L, "not before connect_timeout_seconds");
        assertEquals(ReasonCode.NOT_AUTHORIZED, d.reason(), "[MQTT-4.12.1-2]");
        assertEquals(0, raw.awaitClose(TIMEOUT).size(), "closed after the DISCONNECT [MQTT-4.12.1-2]");
    }

    /**
     * auth_methods adds enhanced methods to a listener; it does not take the password login away.
     * A 5.0 CONNECT with user name and password and no Authentication Method is judged by the
     * password file alone, with no AUTH from the server [MQTT-4.12.0-6] and no method in the
     * CONNACK: accepted for a user enrolled for SCRAM too, refused with 0x86 (not 0x8C, not the
     * SCRAM exchange's 0x87) for a wrong password; a 3.1.1 client likewise. Both on a listener
     * whose methods come from the top-level key and on one with its own
     * listener.NAME.auth_methods.
     */
    @Test
    void aPasswordConnectWithoutAuthenticationMethodLogsInByPasswordWhereAuthMethodsAreSet() throws IOException {
        TestBroker broker = scramBroker(
                "listener.scram512.bind", "127.0.0.1",
                "listener.scram512.port", "0",
                "listener.scram512.auth_methods", "SCRAM-SHA-512");
        for (String listener : new String[] {"default", "scram512"}) {
            int port = broker.port(listener);
            RawMqttClient alice = new RawMqttClient("127.0.0.1", port, ProtocolVersion.MQTT_5);
            alice.send(password(ProtocolVersion.MQTT_5, "pw-" + listener, "alice", "wonderland"));
            Packet.ConnAck ack = alice.receive(Packet.ConnAck.class);
            assertEquals(ReasonCode.SUCCESS, ack.reason(), "alice by password on " + listener);
            assertEquals(null, ack.properties().authenticationMethod(), "[MQTT-4.12.0-6] on " + listener);
            alice.send(new Packet.PingReq());
            alice.receive(Packet.PingResp.class); // No AUTH came first [MQTT-4.12.0-6].

            RawMqttClient wrong = new RawMqttClient("127.0.0.1", port, ProtocolVersion.MQTT_5);
            wrong.send(password(ProtocolVersion.MQTT_5, "bad-" + listener, "alice", "not-it"));
            assertConnAckThenClose(wrong, ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password on " + listener);

            RawMqttClient v3 = new RawMqttClient("127.0.0.1", port, ProtocolVersion.MQTT_3_1_1);
            v3.send(password(ProtocolVersion.MQTT_3_1_1, "v3-" + listener, "alice", "wonderland"));
            assertEquals(ReasonCode.SUCCESS, v3.receive(Packet.ConnAck.class).reason(), "3.1.1 on " + listener);
        }
    }
}
