package dev.cairn.tools.replay;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Publishes over MQTT 3.1.1 with Paho's synchronous client; 3.1.1 has no properties to carry. */
final class Mqtt3Target implements ReplayTarget {
    private final MqttClient client;
    private final String server;

    private Mqtt3Target(MqttClient client, String server) {
        this.client = client;
        this.server = server;
    }

    static Mqtt3Target connect(String host, int port, String clientId, int timeoutSeconds) {
        String server = "tcp://" + host + ":" + port;
        try {
            MqttClient client = new MqttClient(server, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(timeoutSeconds);
            client.setTimeToWait(timeoutSeconds * 1000L);
            client.connect(options);
            return new Mqtt3Target(client, server);
        } catch (MqttException e) {
            throw new ReplayException("cannot connect to " + server + " with MQTT 3.1.1: " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(Outgoing m) {
        MqttMessage message = new MqttMessage(m.payload());
        message.setQos(m.qos());
        message.setRetained(m.retain());
        try {
            client.publish(m.topic(), message);
        } catch (MqttException e) {
            throw new ReplayException(
                    "publishing position " + m.position() + " to " + server + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            throw new ReplayException("disconnecting from " + server + " failed: " + e.getMessage(), e);
        }
    }
}
