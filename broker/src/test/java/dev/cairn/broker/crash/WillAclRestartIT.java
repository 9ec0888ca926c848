package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a delayed will that comes due after a kill -9 and a restart is judged by the topic ACL as
 * its owner, as it would have been without the restart: a will is published only if its owner may
 * write its topic (a will is a PUBLISH its owner sends late). Method: a child broker with an ACL
 * file that lets "ursula" write {@code wills/#} and "victor" only read it; each connects with a
 * will (delay 3 s, long session) and is closed by the broker for keep alive, whose DISCONNECT
 * leaves only after the sync that made the scheduled will durable; victor's will is due first. The
 * broker is SIGKILLed and restarted on the same data; a watcher's persistent subscription to
 * {@code wills/#} must get ursula's will and, before it, nothing of victor's, whose denial the log
 * names with victor's username. Before the session's owner was journaled, a restored session had no
 * known username, and with an ACL in force neither will was published. A session whose listener is
 * no longer configured after the restart (renamed) has no known owner either: with an ACL in force
 * its will is withheld, logged as judged for an unknown username, and nothing logs an ERROR.
 */
class WillAclRestartIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long WILL_DELAY_SECONDS = 3;
    private static final String ACL = "user ursula\n"
            + "topic write wills/#\n"
            + "user victor\n"
            + "topic read wills/#\n"
            + "user watcher\n"
            + "topic read wills/#\n";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void aWillRestoredAfterKill9IsPublishedOnlyIfItsOwnerMayWriteItsTopic() throws Exception {
        Path data = tmp.resolve("data");
        Path acl = Files.writeString(tmp.resolve("acl"), ACL);
        Map<String, String> settings = Map.of("durability", "fsync", "acl_file", acl.toString());

        try (ChildBroker first = ChildBroker.start(data, tmp, settings)) {
            // Arrange: the watcher's persistent subscription (its SUBACK leaves after the sync).
            subscribeWatcher(first);
            // Victor's will is scheduled first, so it is due before ursula's.
            for (String user : List.of("victor", "ursula")) {
                try (RawMqttClient dying = connect(first, user + "-device", user, will(user), 1)) {
                    dying.awaitClose(Duration.ofSeconds(5)); // Keep alive 1 s: closed after 1.5 s.
                }
            }
            // Act
            first.kill9();
        }

        try (ChildBroker second = ChildBroker.start(data, tmp, settings);
                RawMqttClient watcher = resumeWatcher(second)) {
            String context = " (broker log " + second.logFile() + ")";
            // Assert: ursula's will arrives, and it is the first will to arrive: victor's, due
            // earlier, was withheld, and the log says it was judged as victor.
            Packet received = watcher.receive(TIMEOUT);
            assertTrue(received instanceof Packet.Publish, "a will, got " + received + context);
            Packet.Publish first = (Packet.Publish) received;
            assertEquals("wills/ursula", first.topic(), context);
            assertEquals("ursula is gone", new String(first.payload(), StandardCharsets.UTF_8));
            watcher.send(new Packet.PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            second.awaitLog(
                    "ACL denied will on 'wills/victor' for client victor-device (username 'victor'", 1, TIMEOUT);
            assertTrue(
                    !second.log().contains("ACL denied will on 'wills/ursula'"), "ursula's will was refused" + context);
            watcher.send(new Packet.PingReq());
            Packet next = watcher.receive();
            assertTrue(next instanceof Packet.PingResp, "nothing more for the watcher, got " + next + context);
        }
    }

    @Test
    void aWillRestoredForAListenerNoLongerConfiguredIsJudgedAsAnUnknownOwner() throws Exception {
        Path data = tmp.resolve("data");
        Path acl = Files.writeString(tmp.resolve("acl"), ACL);
        Map<String, String> before = Map.of(
                "durability", "fsync",
                "acl_file", acl.toString(),
                "listener.plant.bind", "127.0.0.1",
                "listener.plant.port", "0");
        Map<String, String> after = Map.of(
                "durability", "fsync",
                "acl_file", acl.toString(),
                "listener.factory.bind", "127.0.0.1",
                "listener.factory.port", "0");

        try (ChildBroker first = ChildBroker.start(data, tmp, before)) {
            subscribeWatcher(first);
            // Ursula may write wills/# by the ACL; she connects on listener plant.
            try (RawMqttClient dying =
                    connect(first, first.port("plant"), "ursula-device", "ursula", will("ursula"), 1, true)) {
                dying.awaitClose(Duration.ofSeconds(5)); // Keep alive 1 s: closed after 1.5 s.
            }
            first.kill9();
        }

        // Restarted with plant renamed to factory: the session's journaled listener is gone.
        try (ChildBroker second = ChildBroker.start(data, tmp, after);
                RawMqttClient watcher = resumeWatcher(second)) {
            String context = " (broker log " + second.logFile() + ")";
            // Assert: judged as an unknown owner while an ACL is in force, so withheld.
            second.awaitLog(
                    "ACL denied will on 'wills/ursula' for client ursula-device (username unknown since the restart",
                    1,
                    TIMEOUT);
            watcher.send(new Packet.PingReq());
            Packet next = watcher.receive();
            assertTrue(next instanceof Packet.PingResp, "no will for the watcher, got " + next + context);
            assertTrue(second.isAlive(), "the broker runs on" + context);
            assertTrue(!second.log().contains("] ERROR "), "no ERROR logged" + context);
        }
    }

    /** The watcher's persistent subscription to wills/# (its SUBACK leaves after the sync). */
    private static void subscribeWatcher(ChildBroker broker) throws IOException {
        try (RawMqttClient watcher = connect(broker, "watcher", "watcher", null, 60)) {
            watcher.send(new Packet.Subscribe(
                    1,
                    List.of(new Packet.Subscription(
                            "wills/#", QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    Properties.EMPTY));
            assertEquals(
                    List.of(ReasonCode.GRANTED_QOS_1),
                    watcher.receive(Packet.SubAck.class).reasons());
            watcher.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
            watcher.awaitClose(Duration.ofSeconds(5));
        }
    }

    /** The watcher back on its session after the restart. */
    private static RawMqttClient resumeWatcher(ChildBroker broker) throws IOException {
        RawMqttClient watcher = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        watcher.send(connectPacket("watcher", "watcher", null, 60, false));
        assertTrue(
                watcher.receive(Packet.ConnAck.class).sessionPresent(),
                "watcher's session (broker log " + broker.logFile() + ")");
        return watcher;
    }

    private static Packet.Will will(String user) {
        return new Packet.Will(
                "wills/" + user,
                (user + " is gone").getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                Properties.builder()
                        .willDelayIntervalSeconds(WILL_DELAY_SECONDS)
                        .build());
    }

    private static Packet.Connect connectPacket(
            String clientId, String username, Packet.Will will, int keepAlive, boolean cleanStart) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_5,
                clientId,
                cleanStart,
                keepAlive,
                username,
                null,
                will,
                Properties.builder().sessionExpiryIntervalSeconds(3600L).build());
    }

    private static RawMqttClient connect(
            ChildBroker broker, String clientId, String username, Packet.Will will, int keepAlive) throws IOException {
        return connect(broker, broker.port(), clientId, username, will, keepAlive, true);
    }

    private static RawMqttClient connect(
            ChildBroker broker,
            int port,
            String clientId,
            String username,
            Packet.Will will,
            int keepAlive,
            boolean cleanStart)
            throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), port, ProtocolVersion.MQTT_5);
        client.send(connectPacket(clientId, username, will, keepAlive, cleanStart));
        Packet.ConnAck ack = client.receive(Packet.ConnAck.class);
        assertNotNull(ack);
        assertEquals(ReasonCode.SUCCESS, ack.reason(), "CONNACK of " + clientId);
        return client;
    }
}
