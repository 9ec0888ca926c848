package dev.cairn.tools;

import dev.cairn.broker.Broker;
import dev.cairn.broker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The real broker in-process on a given data directory (so a test can stop it, damage or repair
 * the directory, and start it again), with Paho MQTT 5 clients to drive it.
 */
public final class LiveBroker implements AutoCloseable {
    private final Broker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    private LiveBroker(Broker broker) {
        this.broker = broker;
    }

    public static LiveBroker start(Path dataDir) throws InterruptedException {
        return start(dataDir, Map.of());
    }

    /** As {@link #start(Path)} with {@code extra} config keys (a bridge, say). */
    public static LiveBroker start(Path dataDir, Map<String, String> extra) throws InterruptedException {
        Map<String, String> settings = new java.util.HashMap<>(
                Map.of("port", "0", "bind", "127.0.0.1", "admin.port", "0", "data_dir", dataDir.toString()));
        settings.putAll(extra);
        Broker broker = new Broker(ConfigLoader.load(null, settings));
        return new LiveBroker(broker.start());
    }

    public int port() {
        return broker.port();
    }

    /** A connected MQTT 5 client; a session expiry above 0 makes the session persistent. */
    public MqttClient connect(String clientId, boolean cleanStart, long sessionExpirySeconds, Inbox inbox)
            throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port(), clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setAutomaticReconnect(false);
        if (inbox != null) {
            client.setCallback(inbox);
        }
        client.connect(options);
        clients.add(client);
        return client;
    }

    /** Publishes and waits for the broker's acknowledgement (QoS 1: PUBACK, so the message is on disk). */
    public static void publish(
            MqttClient client, String topic, String payload, int qos, boolean retain, MqttProperties properties)
            throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retain, properties);
        client.publish(topic, message);
    }

    /** Received messages, in arrival order. */
    public static final class Inbox implements MqttCallback {
        public record Received(String topic, MqttMessage message) {
            public String text() {
                return new String(message.getPayload(), StandardCharsets.UTF_8);
            }
        }

        private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

        /** The next message, or {@code null} after {@code timeoutMillis}. */
        public Received poll(long timeoutMillis) throws InterruptedException {
            return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    @Override
    public void close() throws Exception {
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (MqttException ignored) {
                // The broker may have gone first; nothing to clean up then.
            }
        }
        broker.close();
    }
}
