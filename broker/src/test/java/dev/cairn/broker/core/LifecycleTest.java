package dev.cairn.broker.core;

import static dev.cairn.broker.core.CoreHarness.connect;
import static dev.cairn.broker.core.CoreHarness.connect5;
import static dev.cairn.broker.core.CoreHarness.will;
import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.sessionExpiry;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: how connections and sessions end, and what happens to the will each time: a close
 * without DISCONNECT, a normal DISCONNECT, DISCONNECT with Will Message, a protocol violation, a
 * takeover, a session that ends with its connection, a clean start. Method: the real core without
 * sockets ({@link CoreHarness}); a watcher subscribed to the wills' topics shows whether a will
 * was published, and since the harness settles the core after every step, nothing arriving is
 * proof that nothing was sent.
 */
class LifecycleTest {
    private CoreHarness core;
    private RecordingWire watcher;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    private void startWithWatcher() {
        core = CoreHarness.start();
        watcher = core.watchWills();
    }

    private static Packet.Connect withWill(ProtocolVersion version, String clientId, long sessionExpirySeconds) {
        return connect(
                version,
                clientId,
                true,
                60,
                will("will/" + clientId, "bye " + clientId, Properties.EMPTY),
                version == ProtocolVersion.MQTT_5 ? sessionExpiry(sessionExpirySeconds) : Properties.EMPTY);
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void closeWithoutDisconnectPublishesTheWill(ProtocolVersion version) {
        startWithWatcher();
        RecordingWire client = core.connect(withWill(version, "lost", 0));
        // Act
        core.drop(client);
        // Assert [MQTT-3.1.2-8].
        assertEquals("bye lost", text(watcher.next(Packet.Publish.class).payload()));
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void normalDisconnectDiscardsTheWill(ProtocolVersion version) {
        startWithWatcher();
        RecordingWire client = core.connect(withWill(version, "polite", 0));
        // Act
        core.send(client, new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        core.drop(client);
        // Assert [MQTT-3.14.4-3], [MQTT-3.1.2-10] (3.1.1): the server closed, and no will.
        assertTrue(client.isClosed());
        watcher.assertNothingMore();
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() {
        startWithWatcher();
        RecordingWire client = core.connect(withWill(ProtocolVersion.MQTT_5, "asking", 0));
        // Act: Reason Code 0x04 (section 3.14.2.1).
        core.send(client, new Packet.Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
        // Assert
        assertTrue(client.isClosed());
        assertEquals("bye asking", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void protocolViolationSendsDisconnectWithTheReasonClosesAndPublishesTheWill() {
        startWithWatcher();
        RecordingWire client = core.connect(withWill(ProtocolVersion.MQTT_5, "rude", 0));
        // Act: a topic name with a wildcard [MQTT-3.3.2-2].
        core.send(client, publish("a/+", QoS.AT_MOST_ONCE, 0, "x"));
        // Assert (section 4.13): DISCONNECT 0x90 first, then the close, and the will [MQTT-3.1.2-8].
        assertEquals(
                ReasonCode.TOPIC_NAME_INVALID,
                client.next(Packet.Disconnect.class).reason());
        assertTrue(client.isClosed());
        assertEquals("bye rude", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void newConnectionWithTheSameClientIdTakesTheSessionOverAndTheOldWillIsPublished() {
        startWithWatcher();
        RecordingWire old = core.connect(withWill(ProtocolVersion.MQTT_5, "twin", 60));
        core.subscribe(old, "kept", QoS.AT_LEAST_ONCE);
        // Act
        RecordingWire fresh = core.open();
        Packet.ConnAck ack = core.send(
                        fresh, connect(ProtocolVersion.MQTT_5, "twin", false, 60, null, sessionExpiry(60)))
                .next(Packet.ConnAck.class);
        // Assert [MQTT-3.1.4-3]: the old connection gets 0x8E and is closed; its will goes out
        // [MQTT-3.1.2-8]; the new one resumes the session with its subscription.
        assertEquals(
                ReasonCode.SESSION_TAKEN_OVER, old.next(Packet.Disconnect.class).reason());
        assertTrue(old.isClosed());
        assertEquals("bye twin", text(watcher.next(Packet.Publish.class).payload()));
        assertTrue(ack.sessionPresent());
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("kept", QoS.AT_MOST_ONCE, 0, "still subscribed"));
        assertEquals("still subscribed", text(fresh.next(Packet.Publish.class).payload()));
    }

    @Test
    void sessionWithExpiryZeroEndsWithItsConnection() {
        core = CoreHarness.start();
        RecordingWire client = core.connect(connect5("brief", true, 0));
        core.subscribe(client, "t", QoS.AT_LEAST_ONCE);
        // Act
        core.drop(client);
        // Assert (section 3.1.2.11.2): nothing of the session is left.
        core.connectWithoutSession(connect5("brief", false, 0));
    }

    @Test
    void disconnectSettingSessionExpiryZeroEndsAPersistentSession() {
        core = CoreHarness.start();
        RecordingWire client = core.connect(connect5("leaving", false, 60));
        core.subscribe(client, "t", QoS.AT_LEAST_ONCE);
        // Act (section 3.14.2.2.2)
        core.send(client, new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, sessionExpiry(0)));
        // Assert
        core.connectWithoutSession(connect5("leaving", false, 60));
    }

    @Test
    void cleanStartDiscardsTheOldSessionsQueueAndSubscriptions() {
        core = CoreHarness.start();
        core.offlineSubscriber("fresh", "old", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("old", QoS.AT_LEAST_ONCE, 1, "stale"));
        // Act
        RecordingWire back = core.open();
        Packet.ConnAck ack = core.send(back, connect5("fresh", true, 60)).next(Packet.ConnAck.class);
        core.send(pub, publish("old", QoS.AT_MOST_ONCE, 0, "not subscribed"));
        // Assert [MQTT-3.1.2-4]: a new session, no queued message, no subscription.
        assertFalse(ack.sessionPresent());
        back.assertNothingMore();
    }

    @Test
    void serverShutdownSendsDisconnectServerShuttingDownAndDiscardsTheWill() {
        core = CoreHarness.start();
        RecordingWire client = core.connect(withWill(ProtocolVersion.MQTT_5, "staying", 60));
        RecordingWire watcherOfWill = core.connect(connect5("persistentWatcher", false, 60));
        core.subscribe(watcherOfWill, "will/#", QoS.AT_LEAST_ONCE);
        // Act
        core.restart();
        // Assert: 0x8B to everyone; the will is not published, so the watcher's session has nothing queued.
        assertEquals(
                ReasonCode.SERVER_SHUTTING_DOWN,
                client.next(Packet.Disconnect.class).reason());
        assertTrue(client.isClosed());
        assertEquals(
                ReasonCode.SERVER_SHUTTING_DOWN,
                watcherOfWill.next(Packet.Disconnect.class).reason());
        RecordingWire back = core.resume(connect5("persistentWatcher", false, 60));
        back.assertNothingMore();
    }
}
