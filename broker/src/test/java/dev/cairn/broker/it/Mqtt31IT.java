package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

/**
 * Goal: MQTT 3.1 ("MQIsdp", protocol level 3) clients are served like 3.1.1 ones. Method: a
 * Paho client set to 3.1 publishes and subscribes through the real broker; a raw 3.1 CONNECT
 * with an empty client id is refused, since 3.1 requires 1 to 23 characters.
 */
class Mqtt31IT extends Clients {

    private static MqttConnectOptions options31() {
        MqttConnectOptions o = options3(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        return o;
    }

    @Test
    void mqtt31ClientPublishesAndReceivesAtEachQos() throws Exception {
        TestBroker broker = broker();
        Received received = new Received();
        MqttClient sub = paho3(broker, "sub31", options31(), received);
        sub.subscribe("v31/#", 2);
        MqttClient pub = paho3(broker, "pub31", options31(), null);
        for (int qos = 0; qos <= 2; qos++) {
            pub.publish("v31/q" + qos, ("m" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
            Received.Msg m = received.expect("v31/q" + qos, "m" + qos);
            assertEquals(qos, m.qos(), "granted QoS 2 keeps the publish QoS");
        }
    }

    @Test
    void mqtt31ConnectWithEmptyClientIdIsRefusedWithIdentifierRejected() throws Exception {
        TestBroker broker = broker();
        try (RawMqttClient raw = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1)) {
            raw.send(new Packet.Connect(ProtocolVersion.MQTT_3_1, "", true, 30, null, null, null, Properties.EMPTY));
            Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
            assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reason(), "3.1 return code 2");
            assertFalse(ack.sessionPresent());
            raw.awaitClose(Clients.TIMEOUT);
        }
    }
}
