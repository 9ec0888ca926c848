package dev.cairn.broker.crash;

import dev.cairn.broker.testing.ChildBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A persistent-session (clean session 0) Eclipse Paho 3.1.1 subscriber that counts every id it is
 * handed, per QoS. Paho hands a QoS 2 message to the application once per packet id (on PUBREL),
 * so a second count of a QoS 2 id means the broker sent it again as a new message.
 * Paho calls {@link #messageArrived} on its own thread; the counts are concurrent.
 */
final class PahoSubscriber implements MqttCallback, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String clientId;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Integer> qosById = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private MqttClient client;

    PahoSubscriber(String clientId) {
        this.clientId = clientId;
    }

    /** Connects with clean session 0; returns Session Present. */
    boolean connect(ChildBroker broker) throws MqttException {
        client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        client.setCallback(this);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        o.setKeepAliveInterval(60);
        o.setMaxInflight(1000);
        IMqttToken token = client.connectWithResult(o);
        return token.getSessionPresent();
    }

    void subscribe(String filter, int qos) throws MqttException {
        int[] granted = client.subscribeWithResponse(new String[] {filter}, new int[] {qos})
                .getGrantedQos();
        if (granted.length != 1 || granted[0] != qos) {
            throw new AssertionError(clientId + ": SUBACK for " + filter + " granted " + granted[0] + ", not " + qos);
        }
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    void disconnect() throws MqttException {
        client.disconnect(TIMEOUT.toMillis());
        client.close();
        client = null;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        String id = new String(message.getPayload(), StandardCharsets.UTF_8);
        counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        Integer before = qosById.putIfAbsent(id, message.getQos());
        if (before != null && before != message.getQos()) {
            violations.add(id + " arrived with QoS " + before + " and " + message.getQos());
        }
    }

    int count(String id) {
        AtomicInteger c = counts.get(id);
        return c == null ? 0 : c.get();
    }

    Map<String, AtomicInteger> counts() {
        return counts;
    }

    /** The QoS an id arrived with (null if it never did). */
    Integer qosOf(String id) {
        return qosById.get(id);
    }

    List<String> violations() {
        return violations;
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    @Override
    public void close() throws MqttException {
        if (client != null) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100, false);
            }
            client.close(true);
        }
    }
}
