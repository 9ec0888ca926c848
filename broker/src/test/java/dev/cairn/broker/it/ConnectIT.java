package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.Test;

/**
 * CONNECT and CONNACK (sections 3.1 and 3.2 of both versions) as real clients see them: client
 * identifiers, session present, takeover, the CONNACK properties a 5.0 client learns the
 * broker's limits from, and the client id length limit.
 */
class ConnectIT extends Clients {

    @Test
    void mqtt311ClientConnectsWithCleanSessionAndNoSessionPresent() throws Exception {
        TestBroker broker = broker();
        // Act
        RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_3_1_1);
        raw.send(connect(ProtocolVersion.MQTT_3_1_1, "c311", true, Properties.EMPTY));
        Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
        // Assert: accepted, Session Present 0 with Clean Session 1 [MQTT-3.2.2-1].
        assertEquals(ReasonCode.SUCCESS, ack.reason());
        assertFalse(ack.sessionPresent());
        org.eclipse.paho.client.mqttv3.MqttClient paho = paho3(broker, "paho311", null);
        assertTrue(paho.isConnected());
    }

    @Test
    void mqtt5ClientConnectsAndSeesNoSessionPresentOnFirstConnect() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient paho = unconnectedPaho5(broker, "paho5", null);
        // Act
        IMqttToken token = paho.connectWithResult(options5(false, 60));
        // Assert: no session existed, so Session Present is 0 [MQTT-3.2.2-3].
        assertTrue(paho.isConnected());
        assertFalse(token.getSessionPresent());
    }

    @Test
    void emptyClientIdGetsAnAssignedClientIdentifierInMqtt5() throws Exception {
        TestBroker broker = broker();
        Mqtt5BlockingClient client = hive5(broker, null);
        // Act
        Mqtt5ConnAck ack = client.connect();
        // Assert: the server assigns a unique id and returns it [MQTT-3.1.3-6], [MQTT-3.2.2-16].
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertTrue(ack.getAssignedClientIdentifier().isPresent());
        assertFalse(ack.getAssignedClientIdentifier().get().toString().isEmpty());
        Mqtt5BlockingClient other = hive5(broker, null);
        assertFalse(
                ack.getAssignedClientIdentifier().equals(other.connect().getAssignedClientIdentifier()),
                "assigned identifiers are unique");
    }

    @Test
    void emptyClientIdWithCleanSession0IsRejectedInMqtt311() throws Exception {
        TestBroker broker = broker();
        RawMqttClient raw = rawSocket(broker, ProtocolVersion.MQTT_3_1_1);
        // Act
        raw.send(connect(ProtocolVersion.MQTT_3_1_1, "", false, Properties.EMPTY));
        // Assert: CONNACK 0x02 Identifier rejected, then close [MQTT-3.1.3-8] (3.1.1).
        Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reason());
        raw.awaitClose(TIMEOUT);
    }

    @Test
    void emptyClientIdWithCleanSession1IsAcceptedInMqtt311() throws Exception {
        TestBroker broker = broker();
        // Act: Paho sends a zero-byte client id with Clean Session 1 [MQTT-3.1.3-6] (3.1.1).
        org.eclipse.paho.client.mqttv3.MqttClient paho = paho3(broker, "", null);
        // Assert
        assertTrue(paho.isConnected());
    }

    @Test
    void sessionPresentIsSetWhenAPersistentSessionResumes() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.client.mqttv3.MqttClient v3 = paho3(broker, "resume311", options3(false), null);
        v3.disconnect();
        Mqtt5BlockingClient v5 = hive5(broker, "resume5");
        v5.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        v5.disconnect();
        // Act: both reconnect without a clean start.
        org.eclipse.paho.client.mqttv3.MqttClient v3again = unconnectedPaho3(broker, "resume311", null);
        boolean v3Present = v3again.connectWithResult(options3(false)).getSessionPresent();
        Mqtt5ConnAck v5Ack =
                v5.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        // Assert [MQTT-3.2.2-2] in both versions.
        assertTrue(v3Present, "3.1.1 session present");
        assertTrue(v5Ack.isSessionPresent(), "5.0 session present");
        // And a clean start discards it: Session Present 0 [MQTT-3.2.2-1], [MQTT-3.1.2-4].
        v5.disconnect();
        assertFalse(v5.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(60)
                .send()
                .isSessionPresent());
    }

    @Test
    void secondConnectionWithTheSameClientIdTakesOverAndTheOldMqtt311ClientIsDisconnected() throws Exception {
        TestBroker broker = broker();
        Received old = new Received();
        paho3(broker, "twin311", old);
        // Act
        org.eclipse.paho.client.mqttv3.MqttClient newer = paho3(broker, "twin311", null);
        // Assert: the existing connection is closed [MQTT-3.1.4-2] (3.1.1).
        assertTrue(old.awaitLost(), "old client lost its connection");
        assertTrue(newer.isConnected());
    }

    @Test
    void secondConnectionWithTheSameClientIdSendsDisconnectSessionTakenOverToTheOldMqtt5Client() throws Exception {
        TestBroker broker = broker();
        Received old = new Received();
        paho5(broker, "twin5", old);
        RawMqttClient oldRaw = raw(broker, ProtocolVersion.MQTT_5, "twin5raw");
        // Act
        org.eclipse.paho.mqttv5.client.MqttClient newer = paho5(broker, "twin5", null);
        raw(broker, ProtocolVersion.MQTT_5, "twin5raw");
        // Assert: DISCONNECT 0x8E Session taken over, then close [MQTT-3.1.4-3].
        assertTrue(old.awaitLost(), "old client lost its connection");
        assertEquals(0x8E, old.disconnectReasonCode());
        assertTrue(newer.isConnected());
        Packet.Disconnect d = oldRaw.receive(Packet.Disconnect.class);
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, d.reason());
        oldRaw.awaitClose(TIMEOUT);
    }

    @Test
    void connAckPropertiesTellAnMqtt5ClientTheBrokersLimits() throws Exception {
        TestBroker broker = broker(Map.of(
                "inflight_inbound_max",
                "7",
                "packet_size_max_bytes",
                "4096",
                "topic_alias_max",
                "9",
                "keep_alive_max_seconds",
                "5"));
        Mqtt5BlockingClient client = hive5(broker, "limits");
        // Act: ask for a longer keep alive than allowed, and for response information.
        Mqtt5ConnAck ack = client.connectWith()
                .keepAlive(60)
                .restrictions()
                .requestResponseInformation(true)
                .applyRestrictions()
                .send();
        // Assert (section 3.2.2.3).
        Mqtt5ConnAckRestrictions r = ack.getRestrictions();
        assertEquals(7, r.getReceiveMaximum(), "Receive Maximum");
        assertEquals(4096, r.getMaximumPacketSize(), "Maximum Packet Size");
        assertEquals(9, r.getTopicAliasMaximum(), "Topic Alias Maximum");
        assertEquals(MqttQos.EXACTLY_ONCE, r.getMaximumQos(), "Maximum QoS absent means 2");
        assertTrue(r.isRetainAvailable(), "Retain Available");
        assertTrue(r.isWildcardSubscriptionAvailable(), "Wildcard Subscription Available");
        assertTrue(r.areSubscriptionIdentifiersAvailable(), "Subscription Identifiers Available");
        assertTrue(r.isSharedSubscriptionAvailable(), "Shared Subscription Available");
        // The client must use the Server Keep Alive [MQTT-3.2.2-21].
        assertEquals(5, ack.getServerKeepAlive().orElse(-1), "Server Keep Alive");
        assertTrue(ack.getResponseInformation().isPresent(), "Response Information when requested");
    }

    @Test
    void connAckHasNoServerKeepAliveOrResponseInformationWhenNotCalledFor() throws Exception {
        TestBroker broker = broker(Map.of("keep_alive_max_seconds", "100"));
        Mqtt5BlockingClient client = hive5(broker, "modest");
        // Act
        Mqtt5ConnAck ack = client.connectWith().keepAlive(30).send();
        // Assert: the requested keep alive stands, and nothing was asked for.
        assertTrue(ack.getServerKeepAlive().isEmpty());
        assertTrue(ack.getResponseInformation().isEmpty());
    }

    @Test
    void clientIdLongerThanTheLimitIsRefusedInBothVersions() throws Exception {
        TestBroker broker = broker(Map.of("client_id_length_max", "23"));
        String tooLong = "x".repeat(24);
        // Act and assert, 5.0: CONNACK 0x85 Client Identifier not valid [MQTT-3.1.3-8].
        Mqtt5ConnAckException refused = assertThrows(
                Mqtt5ConnAckException.class, () -> hive5(broker, tooLong).connect());
        assertEquals(
                Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                refused.getMqttMessage().getReasonCode());
        // 3.1.1: return code 0x02 Identifier rejected [MQTT-3.1.3-9] (3.1.1).
        MqttException refused311 = assertThrows(MqttException.class, () -> paho3(broker, tooLong, null));
        assertEquals(MqttException.REASON_CODE_INVALID_CLIENT_ID, refused311.getReasonCode());
        // The limit itself is allowed.
        assertTrue(paho3(broker, "y".repeat(23), null).isConnected());
    }
}
