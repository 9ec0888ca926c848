package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.UserProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Will messages (section 3.1.2.5 and 3.1.3.2): published when the connection closes without a
 * normal DISCONNECT, with the will's QoS, retain flag and properties; discarded on a normal
 * DISCONNECT; sent on DISCONNECT 0x04; and held back for the Will Delay Interval, so a client
 * that comes back in time suppresses it. Absence is proven with a fence: a later message that
 * must arrive first if the absent one had been sent.
 */
class WillIT extends Clients {

    private static Packet.Connect withWill(
            ProtocolVersion version, String clientId, boolean cleanStart, Packet.Will will, Properties props) {
        return new Packet.Connect(version, clientId, cleanStart, 60, null, null, will, props);
    }

    private static Packet.Will will(String topic, String payload) {
        return new Packet.Will(topic, utf8(payload), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);
    }

    /** Sends a will on {@code fence} by closing a fresh client abnormally. */
    private void fence(TestBroker broker, ProtocolVersion version, String topic) throws Exception {
        raw(broker, withWill(version, "fence-" + topic.replace('/', '-'), true, will(topic, "fence"), Properties.EMPTY))
                .close();
    }

    @Test
    void willIsPublishedOnAbnormalCloseWithItsQosRetainFlagAndProperties() throws Exception {
        TestBroker broker = broker();
        RawMqttClient watcher = raw(broker, ProtocolVersion.MQTT_5, "watcher");
        subscribeRaw(watcher, 1, "will/#", QoS.EXACTLY_ONCE);
        Properties willProps = Properties.builder()
                .payloadFormatIndicator(1)
                .contentType("text/plain")
                .responseTopic("reply/here")
                .correlationData(new byte[] {1, 2, 3})
                .addUserProperty("b", "2")
                .addUserProperty("a", "1")
                .addUserProperty("b", "3")
                .build();
        Packet.Will will = new Packet.Will("will/rich", utf8("bye"), QoS.AT_LEAST_ONCE, true, willProps);
        RawMqttClient dying = raw(broker, withWill(ProtocolVersion.MQTT_5, "dying", true, will, Properties.EMPTY));
        // Act: drop the TCP connection without DISCONNECT.
        dying.close();
        // Assert: delivered at the will's QoS with its properties [MQTT-3.1.2-8], [MQTT-3.1.3-10].
        Packet.Publish got = watcher.receive(Packet.Publish.class);
        assertEquals("will/rich", got.topic());
        assertEquals("bye", text(got.payload()));
        assertEquals(QoS.AT_LEAST_ONCE, got.qos());
        assertEquals(Integer.valueOf(1), got.properties().payloadFormatIndicator());
        assertEquals("text/plain", got.properties().contentType());
        assertEquals("reply/here", got.properties().responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3}, got.properties().correlationData());
        assertEquals(
                List.of(new UserProperty("b", "2"), new UserProperty("a", "1"), new UserProperty("b", "3")),
                got.properties().userProperties());
        // And it was retained [MQTT-3.1.2-17]: a later subscriber gets it with RETAIN=1.
        RawMqttClient late = raw(broker, ProtocolVersion.MQTT_5, "late");
        subscribeRaw(late, 1, "will/rich", QoS.AT_LEAST_ONCE);
        Packet.Publish retained = late.receive(Packet.Publish.class);
        assertTrue(retained.retain());
        assertEquals("bye", text(retained.payload()));
    }

    @Test
    void mqtt311WillIsPublishedOnAbnormalClose() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho3(broker, "watcher", watcher).subscribe("will/#", 2);
        Packet.Will will = new Packet.Will("will/v3", utf8("bye"), QoS.EXACTLY_ONCE, false, Properties.EMPTY);
        RawMqttClient dying = raw(broker, withWill(ProtocolVersion.MQTT_3_1_1, "dying", true, will, Properties.EMPTY));
        // Act
        dying.close();
        // Assert [MQTT-3.1.2-8] (3.1.1), at the will's QoS [MQTT-3.1.2-14] (3.1.1).
        Received.Msg got = watcher.expect("will/v3", "bye");
        assertEquals(2, got.qos());
    }

    @Test
    void willIsDiscardedOnNormalDisconnectInBothVersions() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        for (ProtocolVersion version : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
            RawMqttClient polite =
                    raw(broker, withWill(version, "polite", true, will("will/polite", "no"), Properties.EMPTY));
            // Act: normal DISCONNECT, then close.
            polite.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
            polite.awaitClose(TIMEOUT);
            // Assert: no will [MQTT-3.14.4-3], [MQTT-3.1.2-10] (3.1.1); the fence comes first.
            fence(broker, version, "will/fence");
            watcher.expect("will/fence", "fence");
        }
    }

    @Test
    void willIsPublishedOnDisconnectWithWillMessage() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        RawMqttClient leaving = raw(
                broker,
                withWill(ProtocolVersion.MQTT_5, "leaving", true, will("will/asked", "as asked"), Properties.EMPTY));
        // Act: DISCONNECT with Reason Code 0x04 (section 3.14.2.1).
        leaving.send(new Packet.Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
        // Assert
        leaving.awaitClose(TIMEOUT);
        watcher.expect("will/asked", "as asked");
    }

    @Test
    void delayedWillIsNotPublishedWhenTheClientReconnectsWithinTheDelay() throws Exception {
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        Packet.Will will = new Packet.Will(
                "will/delayed",
                utf8("late"),
                QoS.AT_LEAST_ONCE,
                false,
                Properties.builder().willDelayIntervalSeconds(1L).build());
        Packet.Connect connect = withWill(ProtocolVersion.MQTT_5, "flaky", false, will, sessionExpiry(60));
        raw(broker, connect).close();
        // Act: come back at once, then let the delay run out.
        raw(broker, connect);
        broker.advanceClock(Duration.ofMillis(1500));
        // Assert: the will was cancelled by the new connection [MQTT-3.1.3-9]; the fence comes first.
        fence(broker, ProtocolVersion.MQTT_5, "will/fence");
        watcher.expect("will/fence", "fence");
    }

    /** In real time: guards the wiring of the core's own wake-ups to its timers on the system clock. */
    @Test
    void delayedWillIsPublishedAfterTheDelayWhenTheClientStaysAway() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        Packet.Will will = new Packet.Will(
                "will/delayed",
                utf8("late"),
                QoS.AT_LEAST_ONCE,
                false,
                Properties.builder().willDelayIntervalSeconds(1L).build());
        RawMqttClient gone = raw(broker, withWill(ProtocolVersion.MQTT_5, "gone", false, will, sessionExpiry(60)));
        long closedAt = System.nanoTime();
        // Act
        gone.close();
        // Assert: published, but not before the delay [MQTT-3.1.3-9].
        watcher.expect("will/delayed", "late");
        long elapsedMillis = (System.nanoTime() - closedAt) / 1_000_000;
        assertTrue(elapsedMillis >= 900, "will published after " + elapsedMillis + " ms");
    }

    @Test
    void willMessageExpiryIntervalStartsWhenTheWillIsPublished() throws Exception {
        // Section 3.1.3.2: the will's Message Expiry Interval is used as the Publication Expiry
        // Interval when the will is published, so a connection older than that interval still
        // leaves a deliverable will.
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        Packet.Will will = new Packet.Will(
                "will/expiring",
                utf8("fresh"),
                QoS.AT_LEAST_ONCE,
                false,
                Properties.builder().messageExpiryIntervalSeconds(1L).build());
        RawMqttClient dying = raw(broker, withWill(ProtocolVersion.MQTT_5, "old", true, will, Properties.EMPTY));
        broker.advanceClock(Duration.ofMillis(1500));
        // Act
        dying.close();
        // Assert: delivered, with the full interval left [MQTT-3.3.2-6].
        Received.Msg got = watcher.expect("will/expiring", "fresh");
        assertEquals(1L, got.properties().getMessageExpiryInterval());
        assertFalse(watcher.isLost());
    }
}
