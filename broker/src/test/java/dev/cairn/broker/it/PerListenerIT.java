package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a named listener's own settings hold on a real broker: its password file and topic ACL
 * (listener.NAME.password_file, .acl_file) decide for the clients that come in on it, whatever the
 * top-level files say; its connections_max and connections_per_second_per_address close the
 * sockets beyond them at accept, before any MQTT byte, and count them, while the allowed ones
 * work. Method: a broker with the default listener and named listeners on free ports, raw MQTT
 * clients over TCP.
 */
class PerListenerIT extends Clients {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Path passwordFile(String name, String user, String password) throws IOException {
        PasswordFile file = PasswordFile.empty().with(user, PasswordHash.pbkdf2(password.toCharArray(), 1000, RANDOM));
        return Files.writeString(dir.resolve(name), file.text(), StandardCharsets.UTF_8);
    }

    private RawMqttClient socket(TestBroker broker, String listener) throws IOException {
        return closeAfterTest(new RawMqttClient(broker.host(), broker.port(listener), ProtocolVersion.MQTT_5));
    }

    private static Packet.Connect login(String clientId, String user, String password) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_5,
                clientId,
                true,
                60,
                user,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                null,
                Properties.EMPTY);
    }

    private ReasonCode connAck(TestBroker broker, String listener, Packet.Connect connect, RawMqttClient[] out)
            throws IOException {
        RawMqttClient raw = socket(broker, listener);
        raw.send(connect);
        out[0] = raw;
        return raw.receive(Packet.ConnAck.class).reason();
    }

    private static ReasonCode subAck(RawMqttClient raw, String filter) throws IOException {
        raw.send(subscribe(1, filter, QoS.AT_LEAST_ONCE));
        return raw.receive(Packet.SubAck.class).reasons().get(0);
    }

    @Test
    void eachListenerUsesItsOwnPasswordFileAndAcl() throws Exception {
        Path plantUsers = passwordFile("plant-passwd", "alice", "wonderland");
        Path officeUsers = passwordFile("office-passwd", "bob", "builder");
        Path plantAcl = Files.writeString(dir.resolve("plant.acl"), "user alice\ntopic readwrite plant/#\n");
        Path officeAcl = Files.writeString(dir.resolve("office.acl"), "user bob\ntopic readwrite office/#\n");
        TestBroker broker = broker(Map.of(
                "password_file", plantUsers.toString(),
                "acl_file", plantAcl.toString(),
                "auth_failure_delay_millis", "0",
                "listener.office.port", "0",
                "listener.office.password_file", officeUsers.toString(),
                "listener.office.acl_file", officeAcl.toString()));
        RawMqttClient[] client = new RawMqttClient[1];

        // Act and assert: each user logs in only where its listener's file knows it
        // [MQTT-3.1.4-2]: a refused CONNECT gets a CONNACK with a reason code, then the close.
        assertEquals(ReasonCode.SUCCESS, connAck(broker, "default", login("a1", "alice", "wonderland"), client));
        RawMqttClient alice = client[0];
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(broker, "office", login("a2", "alice", "wonderland"), client));
        assertEquals(0, client[0].awaitClose(TIMEOUT).size());
        assertEquals(ReasonCode.SUCCESS, connAck(broker, "office", login("b1", "bob", "builder"), client));
        RawMqttClient bob = client[0];
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(broker, "default", login("b2", "bob", "builder"), client));

        // Each listener's ACL judges its clients' SUBSCRIBEs (5.0: SUBACK 0x87).
        assertEquals(ReasonCode.GRANTED_QOS_1, subAck(alice, "plant/#"));
        assertEquals(ReasonCode.NOT_AUTHORIZED, subAck(alice, "office/#"));
        assertEquals(ReasonCode.GRANTED_QOS_1, subAck(bob, "office/#"));
        assertEquals(ReasonCode.NOT_AUTHORIZED, subAck(bob, "plant/#"));

        // A PUBLISH from the office listener reaches the office subscriber.
        bob.send(publish("office/memo", QoS.AT_LEAST_ONCE, 7, "hello"));
        List<Packet> got = new ArrayList<>(List.of(bob.receive(), bob.receive()));
        assertTrue(
                got.stream()
                        .anyMatch(p ->
                                p instanceof Packet.Publish pub && pub.topic().equals("office/memo")),
                "bob receives his own office/memo: " + got);
    }

    @Test
    void connectionsBeyondAListenersConnectionsMaxAreClosedAtAccept() throws Exception {
        TestBroker broker = broker(Map.of("listener.small.port", "0", "listener.small.connections_max", "2"));
        RawMqttClient[] client = new RawMqttClient[1];
        assertEquals(ReasonCode.SUCCESS, connAck(broker, "small", login("one", null, null), client));
        RawMqttClient one = client[0];
        assertEquals(ReasonCode.SUCCESS, connAck(broker, "small", login("two", null, null), client));

        // Act: a third socket on the small listener.
        RawMqttClient third = socket(broker, "small");
        // Assert: closed before any MQTT byte, counted; the default listener is not limited by it.
        assertEquals(0, third.awaitClose(TIMEOUT).size(), "closed without a byte");
        assertEquals(1, broker.connectionsRefused("small"));
        assertEquals(ReasonCode.SUCCESS, connAck(broker, "default", login("elsewhere", null, null), client));
        assertEquals(0, broker.connectionsRefused("default"));

        // A freed slot can be used again (the close is noticed on an I/O thread: wait for it).
        one.close();
        await(
                () -> {
                    try {
                        return connAck(broker, "small", login("again", null, null), client) == ReasonCode.SUCCESS;
                    } catch (IOException e) {
                        return false;
                    }
                },
                TIMEOUT,
                "a connection on the small listener after one closed");
    }

    @Test
    void connectionsFromOneAddressBeyondTheRateAreClosedAtAccept() throws Exception {
        TestBroker broker =
                broker(Map.of("listener.rated.port", "0", "listener.rated.connections_per_second_per_address", "1"));
        int sockets = 20;
        long start = System.nanoTime();
        List<RawMqttClient> opened = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            opened.add(socket(broker, "rated"));
        }
        int accepted = 0;
        int closed = 0;
        for (int i = 0; i < sockets; i++) {
            RawMqttClient raw = opened.get(i);
            try {
                raw.send(login("rated-" + i, null, null));
                assertEquals(
                        ReasonCode.SUCCESS, raw.receive(Packet.ConnAck.class).reason());
                accepted++;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("socket " + i + " neither answered nor closed within " + TIMEOUT, e);
            } catch (IOException e) {
                closed++; // Closed (EOF or reset) without a CONNACK: refused at accept.
            }
        }
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;

        // Assert: a bucket of 1 refilled at 1 per second lets in at most 1 + the seconds that passed.
        assertTrue(accepted >= 1, "the first connection is allowed");
        assertTrue(
                accepted <= 1 + (int) Math.ceil(elapsedSeconds),
                accepted + " accepted in " + elapsedSeconds + " s at 1 per second");
        assertEquals(sockets, accepted + closed);
        assertEquals(closed, broker.connectionsRefused("rated"), "every refused socket is counted");
        assertEquals(0, broker.connectionsRefused("default"));

        // Once the bucket refills, the address may connect again.
        await(
                () -> {
                    try (RawMqttClient later =
                            new RawMqttClient(broker.host(), broker.port("rated"), ProtocolVersion.MQTT_5)) {
                        later.send(login("later", null, null));
                        return later.receive(Packet.ConnAck.class).reason() == ReasonCode.SUCCESS;
                    } catch (IOException e) {
                        return false;
                    }
                },
                TIMEOUT,
                "a connection after the rate's second passed");
    }

    /**
     * The default listener of bind and port takes its limits from top-level keys
     * (default_listener_connections_max, connections_per_second_per_address): the socket beyond
     * either is closed at accept without a byte and counted against the default listener.
     */
    @Test
    void theDefaultListenersLimitsComeFromTopLevelKeys() throws Exception {
        TestBroker capped = broker(Map.of("default_listener_connections_max", "1"));
        RawMqttClient[] client = new RawMqttClient[1];
        assertEquals(ReasonCode.SUCCESS, connAck(capped, "default", login("only", null, null), client));
        RawMqttClient second = socket(capped, "default");
        assertEquals(0, second.awaitClose(TIMEOUT).size(), "closed without a byte");
        assertEquals(1, capped.connectionsRefused("default"));

        TestBroker rated = broker(Map.of("connections_per_second_per_address", "2"));
        List<RawMqttClient> opened = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            opened.add(socket(rated, "default"));
        }
        int accepted = 0;
        for (int i = 0; i < opened.size(); i++) {
            try {
                opened.get(i).send(login("rated-" + i, null, null));
                assertEquals(
                        ReasonCode.SUCCESS,
                        opened.get(i).receive(Packet.ConnAck.class).reason());
                accepted++;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("socket " + i + " neither answered nor closed within " + TIMEOUT, e);
            } catch (IOException e) {
                // Closed without a CONNACK: refused at accept.
            }
        }
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        assertTrue(accepted >= 2, "a bucket of 2 lets the first two in: " + accepted);
        assertTrue(
                accepted <= 2 + (int) Math.ceil(2 * elapsedSeconds),
                accepted + " accepted in " + elapsedSeconds + " s at 2 per second");
        assertEquals(10 - accepted, rated.connectionsRefused("default"), "every refused socket is counted");
    }
}
