package dev.cairn.broker.it;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Persistent sessions (section 4.1): messages for an offline session wait for it and arrive in
 * order; unacknowledged QoS 1/2 deliveries are re-sent on resume with DUP=1 and the same packet
 * id; a 5.0 session ends when its expiry interval runs out.
 */
class SessionIT extends Clients {

    private static Packet.Connect persistent(ProtocolVersion version, String clientId) {
        Properties props = version.isV5() ? sessionExpiry(60) : Properties.EMPTY;
        return connect(version, clientId, false, props);
    }

    @Test
    void mqtt311SessionReceivesMessagesPublishedWhileOfflineInOrder() throws Exception {
        TestBroker broker = broker();
        Received first = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient sub = paho3(broker, "sleeper", options3(false), first);
        sub.subscribe("offline/#", 2);
        sub.disconnect();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        // Act
        // One QoS per test: Paho hands QoS 2 messages to the application on PUBREL and QoS 1 on
        // PUBLISH, so a mix can be reordered inside the client although the wire order is right.
        for (int i = 0; i < 20; i++) {
            pub.publish("offline/t", utf8("m" + i), 1, false);
        }
        Received again = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient back = unconnectedPaho3(broker, "sleeper", again);
        assertTrue(back.connectWithResult(options3(false)).getSessionPresent());
        // Assert: all of them, in publish order [MQTT-4.6.0-6]; the session kept its subscription.
        for (int i = 0; i < 20; i++) {
            again.expect("offline/t", "m" + i);
        }
    }

    @Test
    void mqtt5SessionReceivesMessagesPublishedWhileOfflineInOrder() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient sub = paho5(broker, "sleeper", options5(false, 60), null);
        sub.subscribe("offline/#", 2);
        sub.disconnect();
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub", null);
        // Act
        for (int i = 0; i < 20; i++) {
            pub.publish("offline/t", utf8("m" + i), 2, false);
        }
        Received again = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient back = unconnectedPaho5(broker, "sleeper", again);
        assertTrue(back.connectWithResult(options5(false, 60)).getSessionPresent());
        // Assert [MQTT-4.6.0-6].
        for (int i = 0; i < 20; i++) {
            again.expect("offline/t", "m" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void unacknowledgedQos1PublishIsResentWithDupAndTheSamePacketIdOnResume(ProtocolVersion version) throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, persistent(version, "forgetful"));
        subscribeRaw(sub, 1, "resend", QoS.AT_LEAST_ONCE);
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("resend", QoS.AT_LEAST_ONCE, 1, "again"));
        Packet.Publish first = sub.receive(Packet.Publish.class);
        assertFalse(first.dup());
        // Act: drop the connection without PUBACK, and resume the session.
        sub.close();
        RawMqttClient back = rawSocket(broker, version);
        back.send(persistent(version, "forgetful"));
        assertTrue(back.receive(Packet.ConnAck.class).sessionPresent());
        // Assert: the same message, DUP=1, same packet id [MQTT-4.4.0-1], [MQTT-3.3.1-1].
        Packet.Publish resent = back.receive(Packet.Publish.class);
        assertTrue(resent.dup());
        assertEquals(first.packetId(), resent.packetId());
        assertEquals("again", text(resent.payload()));
        assertEquals(QoS.AT_LEAST_ONCE, resent.qos());
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void qos2DeliveryAwaitingPubCompIsResumedWithPubRel(ProtocolVersion version) throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, persistent(version, "halfway"));
        subscribeRaw(sub, 1, "q2", QoS.EXACTLY_ONCE);
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("q2", QoS.EXACTLY_ONCE, 1, "x"));
        Packet.Publish got = sub.receive(Packet.Publish.class);
        sub.send(new Packet.PubRec(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        sub.receive(Packet.PubRel.class);
        // Act: vanish before PUBCOMP, then resume.
        sub.close();
        RawMqttClient back = rawSocket(broker, version);
        back.send(persistent(version, "halfway"));
        assertTrue(back.receive(Packet.ConnAck.class).sessionPresent());
        // Assert: PUBREL again, not the PUBLISH [MQTT-4.4.0-1].
        assertEquals(got.packetId(), back.receive(Packet.PubRel.class).packetId());
        back.send(new Packet.PubComp(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        back.send(new Packet.PingReq());
        back.receive(Packet.PingResp.class);
    }

    @Test
    void mqtt5SessionIsGoneAfterItsExpiryInterval() throws Exception {
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        Packet.Connect shortLived = connect(ProtocolVersion.MQTT_5, "brief", false, sessionExpiry(1));
        RawMqttClient sub = raw(broker, shortLived);
        subscribeRaw(sub, 1, "expiring", QoS.AT_LEAST_ONCE);
        sub.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        sub.awaitClose(TIMEOUT);
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("expiring", QoS.AT_LEAST_ONCE, 1, "lost"));
        // Act: stay away for the interval.
        broker.advanceClock(Duration.ofSeconds(1));
        RawMqttClient back = rawSocket(broker, ProtocolVersion.MQTT_5);
        back.send(shortLived);
        // Assert: a new session [MQTT-3.1.2-23]: no session present, no queued message, no subscription.
        assertFalse(back.receive(Packet.ConnAck.class).sessionPresent());
        raw(broker, ProtocolVersion.MQTT_5, "pub2").send(publish("expiring", QoS.AT_MOST_ONCE, 0, "after"));
        back.send(new Packet.PingReq());
        back.receive(Packet.PingResp.class);
    }

    @Test
    void mqtt5SessionWithinItsExpiryIntervalIsResumed() throws Exception {
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        Packet.Connect shortLived = connect(ProtocolVersion.MQTT_5, "brief", false, sessionExpiry(2));
        RawMqttClient sub = raw(broker, shortLived);
        subscribeRaw(sub, 1, "kept", QoS.AT_LEAST_ONCE);
        sub.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        sub.awaitClose(TIMEOUT);
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("kept", QoS.AT_LEAST_ONCE, 1, "waiting"));
        // Act: come back just within the interval.
        broker.advanceClock(Duration.ofMillis(1900));
        RawMqttClient back = rawSocket(broker, ProtocolVersion.MQTT_5);
        back.send(shortLived);
        // Assert [MQTT-3.2.2-2].
        assertTrue(back.receive(Packet.ConnAck.class).sessionPresent());
        assertEquals("waiting", text(back.receive(Packet.Publish.class).payload()));
    }

    @Test
    void cleanStartDiscardsQueuedMessagesAndSubscriptions() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, persistent(ProtocolVersion.MQTT_5, "fresh"));
        subscribeRaw(sub, 1, "old", QoS.AT_LEAST_ONCE);
        sub.close();
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish("old", QoS.AT_LEAST_ONCE, 1, "stale"));
        pub.receive(Packet.PubAck.class);
        // Act
        RawMqttClient back = raw(broker, connect(ProtocolVersion.MQTT_5, "fresh", true, sessionExpiry(60)));
        subscribeRaw(back, 2, "new", QoS.AT_LEAST_ONCE);
        pub.send(publish("old", QoS.AT_MOST_ONCE, 0, "not subscribed"));
        pub.send(publish("new", QoS.AT_MOST_ONCE, 0, "fence"));
        // Assert [MQTT-3.1.2-4]: nothing from the old session; the fence comes first.
        Packet.Publish got = back.receive(Packet.Publish.class);
        assertEquals(List.of("new", "fence"), List.of(got.topic(), text(got.payload())));
    }

    @Test
    void disconnectWithSessionExpiryZeroEndsThePersistentSession() throws Exception {
        TestBroker broker = broker();
        Packet.Connect persistent = persistent(ProtocolVersion.MQTT_5, "leaving");
        RawMqttClient sub = raw(broker, persistent);
        subscribeRaw(sub, 1, "t", QoS.AT_LEAST_ONCE);
        // Act: the client changes its mind on the way out (section 3.14.2.2.2).
        sub.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, sessionExpiry(0)));
        sub.awaitClose(TIMEOUT);
        // Assert: the session ended with the connection.
        RawMqttClient back = rawSocket(broker, ProtocolVersion.MQTT_5);
        back.send(persistent);
        assertFalse(back.receive(Packet.ConnAck.class).sessionPresent());
    }

    @Test
    void takenOverSessionPublishesTheOldConnectionsWill() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        raw(
                broker,
                new Packet.Connect(
                        ProtocolVersion.MQTT_5,
                        "twin",
                        true,
                        60,
                        null,
                        null,
                        new Packet.Will("will/twin", utf8("replaced"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY),
                        Properties.EMPTY));
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "twin");
        // Assert: the old network connection closed without DISCONNECT from its client, so its
        // will is published (section 3.1.4, takeover with Will Delay Interval 0) [MQTT-3.1.2-8].
        watcher.expect("will/twin", "replaced");
    }
}
