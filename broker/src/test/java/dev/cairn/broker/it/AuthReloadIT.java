package dev.cairn.broker.it;

import static dev.cairn.broker.testing.ReloadFiles.passwordFile;
import static dev.cairn.broker.testing.ReloadFiles.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.ScramClient;
import dev.cairn.broker.testing.ScramPackets;
import dev.cairn.broker.testing.ScramUsers;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.ScramCredential.Mechanism;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: SIGHUP re-reads the password file and the topic ACL of a running broker (a child
 * process), as it does the TLS material. Method: alice logs in with her first password and may
 * write {@code a/#} only; both files are replaced (renamed over, as an operator should) and the
 * broker gets SIGHUP. Her open connection may now write {@code b/x} (new rules apply from its
 * next packet), her old password is refused and the new one accepted. Then an ACL file with a
 * bad line is put in place: after SIGHUP the broker keeps the rules it had and says so. SIGHUP
 * also reads the config file's {@code auth_methods} again: a broker started with {@code --config}
 * offering SCRAM-SHA-256 offers SCRAM-SHA-512 instead once the file says so, for new CONNECTs and
 * for the next re-authentication of a live connection, and a file with an unknown method keeps
 * the methods in force.
 */
class AuthReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** An accepted PUBLISH that nobody subscribed to: 0x10 No matching subscribers, a success code. */
    private static final ReasonCode ACCEPTED = ReasonCode.NO_MATCHING_SUBSCRIBERS;

    @TempDir
    Path dir;

    @Test
    @ExpectedErrorLog("unknown access 'wirte'")
    void sighupReloadsThePasswordFileAndTheAclForNewAndLiveConnections() throws Exception {
        Path passwd = dir.resolve("passwd");
        Path acl = dir.resolve("acl");
        replace(passwd, passwordFile("alice", "first"));
        replace(acl, "user alice\ntopic write a/#\n");

        try (ChildBroker broker = ChildBroker.start(
                dir.resolve("data"), dir, Map.of("password_file", passwd.toString(), "acl_file", acl.toString()))) {
            try (RawMqttClient live = connect(broker, "alice", "first", ReasonCode.SUCCESS)) {
                assertEquals(ACCEPTED, publish(live, 1, "a/x"));
                assertEquals(ReasonCode.NOT_AUTHORIZED, publish(live, 2, "b/x"), "b/# is not granted yet");

                replace(passwd, passwordFile("alice", "second"));
                replace(acl, "user alice\ntopic write a/#\ntopic write b/#\n");
                broker.hangUp();
                broker.awaitLog("reload done", 1, WAIT);

                assertEquals(ACCEPTED, publish(live, 3, "b/x"), "the new ACL applies to a live connection");
                connect(broker, "alice", "first", ReasonCode.BAD_USER_NAME_OR_PASSWORD)
                        .close();
                connect(broker, "alice", "second", ReasonCode.SUCCESS).close();

                replace(acl, "user alice\ntopic wirte b/#\n");
                broker.hangUp();
                broker.awaitLog("reload done; 1 part(s) kept their old state", 1, WAIT);
                assertTrue(broker.log().contains("line 2"), "the ERROR names the bad line:\n" + broker.log());
                assertEquals(ACCEPTED, publish(live, 4, "b/x"), "a bad file keeps the rules in force");
                assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
            }
        }
    }

    @Test
    @ExpectedErrorLog("unknown authentication method 'SCRAM-SHA-1'")
    void sighupReloadsAuthMethodsFromTheConfigFile() throws Exception {
        Path passwd = dir.resolve("passwd");
        replace(
                passwd,
                ScramUsers.with(
                                PasswordFile.empty(),
                                "alice",
                                "wonderland",
                                Mechanism.SCRAM_SHA_256,
                                Mechanism.SCRAM_SHA_512)
                        .text());
        Path conf = dir.resolve("cairn.conf");
        replace(conf, config(passwd, "SCRAM-SHA-256"));

        try (ChildBroker broker = ChildBroker.startWithConfig(dir.resolve("data"), dir, conf, Map.of())) {
            try (RawMqttClient live = scram(broker, "SCRAM-SHA-256", "live", ReasonCode.SUCCESS)) {
                scram(broker, "SCRAM-SHA-512", "before", ReasonCode.BAD_AUTHENTICATION_METHOD)
                        .close();

                replace(conf, config(passwd, "SCRAM-SHA-512"));
                broker.hangUp();
                broker.awaitLog(
                        "reload: listener default offers auth_methods SCRAM-SHA-512 (before: SCRAM-SHA-256)", 1, WAIT);
                broker.awaitLog("reload done", 1, WAIT);

                scram(broker, "SCRAM-SHA-512", "after", ReasonCode.SUCCESS).close();
                scram(broker, "SCRAM-SHA-256", "after", ReasonCode.BAD_AUTHENTICATION_METHOD)
                        .close();
                // The live connection goes on; its next re-authentication meets the new methods.
                live.send(new Packet.PingReq());
                live.receive(Packet.PingResp.class);
                ScramClient again = new ScramClient("SCRAM-SHA-256", "alice", "wonderland", "again");
                live.send(new Packet.Auth(
                        ReasonCode.RE_AUTHENTICATE, ScramPackets.auth("SCRAM-SHA-256", again.clientFirst())));
                assertEquals(
                        ReasonCode.NOT_AUTHORIZED,
                        live.receive(Packet.Disconnect.class).reason(),
                        "a re-authentication by a method no longer offered fails [MQTT-4.12.1-2]");
            }

            replace(conf, config(passwd, "SCRAM-SHA-1"));
            broker.hangUp();
            broker.awaitLog("reload done; 1 part(s) kept their old state", 1, WAIT);
            assertTrue(
                    broker.log().contains("reload: " + conf + " has a problem; nothing of it is applied"),
                    "the ERROR names the file:\n" + broker.log());
            scram(broker, "SCRAM-SHA-512", "kept", ReasonCode.SUCCESS).close();
            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
        }
    }

    private static String config(Path passwd, String authMethods) {
        return "password_file = " + passwd + "\nauth_methods = " + authMethods + "\nauth_failure_delay_millis = 0\n";
    }

    /**
     * A CONNECT as alice by {@code method}: the SCRAM exchange if the broker answers with AUTH,
     * then its CONNACK, whose reason must be {@code expected}.
     */
    private static RawMqttClient scram(ChildBroker broker, String method, String clientId, ReasonCode expected)
            throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        ScramClient scram = new ScramClient(method, "alice", "wonderland", "n-" + clientId);
        client.send(ScramPackets.connect(scram, clientId + "-" + method));
        Packet answer = client.receive();
        if (answer instanceof Packet.Auth serverFirst) {
            client.send(ScramPackets.answer(scram, serverFirst));
            answer = client.receive();
        }
        assertTrue(answer instanceof Packet.ConnAck, "a CONNACK for " + method + ", got " + answer);
        assertEquals(expected, ((Packet.ConnAck) answer).reason(), "CONNACK of " + clientId + " by " + method);
        return client;
    }

    private static RawMqttClient connect(ChildBroker broker, String user, String password, ReasonCode expected)
            throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        client.send(new Packet.Connect(
                ProtocolVersion.MQTT_5,
                "alice-" + password + "-" + System.nanoTime(),
                true,
                60,
                user,
                password.getBytes(StandardCharsets.UTF_8),
                null,
                Properties.EMPTY));
        assertEquals(expected, client.receive(Packet.ConnAck.class).reason(), "CONNACK of " + user + "/" + password);
        return client;
    }

    /** A QoS 1 PUBLISH; returns its PUBACK's reason code. */
    private static ReasonCode publish(RawMqttClient client, int packetId, String topic) throws IOException {
        client.send(new Packet.Publish(
                topic,
                QoS.AT_LEAST_ONCE,
                false,
                false,
                packetId,
                Properties.EMPTY,
                "x".getBytes(StandardCharsets.UTF_8)));
        Packet.PubAck ack = client.receive(Packet.PubAck.class);
        assertEquals(packetId, ack.packetId());
        return ack.reason();
    }
}
