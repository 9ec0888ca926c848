package dev.cairn.tools.replay;

import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** Publishes over MQTT 5 with Paho's synchronous client, carrying every forwardable property. */
final class Mqtt5Target implements ReplayTarget {
    private final MqttClient client;
    private final String server;

    private Mqtt5Target(MqttClient client, String server) {
        this.client = client;
        this.server = server;
    }

    /** Connects with a clean start and no session: replay leaves nothing behind on the broker. */
    static Mqtt5Target connect(String host, int port, String clientId, int timeoutSeconds) {
        String server = "tcp://" + host + ":" + port;
        try {
            MqttClient client = new MqttClient(server, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setSessionExpiryInterval(0L);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(timeoutSeconds);
            client.setTimeToWait(timeoutSeconds * 1000L);
            client.connect(options);
            return new Mqtt5Target(client, server);
        } catch (MqttException e) {
            throw new ReplayException("cannot connect to " + server + " with MQTT 5: " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(Outgoing m) {
        MqttMessage message = new MqttMessage(m.payload(), m.qos(), m.retain(), properties(m));
        try {
            client.publish(m.topic(), message);
        } catch (MqttException e) {
            throw new ReplayException(
                    "publishing position " + m.position() + " to " + server + " failed: " + e.getMessage(), e);
        }
    }

    /** The stored properties a client may send; topic alias and subscription identifiers are not among them. */
    static MqttProperties properties(Outgoing m) {
        Properties p = m.properties();
        MqttProperties out = new MqttProperties();
        if (p.payloadFormatIndicator() != null) {
            out.setPayloadFormat(p.payloadFormatIndicator() == 1);
        }
        if (m.expirySeconds() != null) {
            out.setMessageExpiryInterval(m.expirySeconds());
        }
        out.setContentType(p.contentType());
        out.setResponseTopic(p.responseTopic());
        out.setCorrelationData(p.correlationData());
        List<UserProperty> user = new ArrayList<>();
        for (dev.cairn.protocol.UserProperty u : p.userProperties()) {
            user.add(new UserProperty(u.name(), u.value()));
        }
        out.setUserProperties(user);
        return out;
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
