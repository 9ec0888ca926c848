package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.Packets;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;

/**
 * The harness of the integration tests: starts brokers and connects real clients (Paho 3.1.1
 * and 5.0, HiveMQ, and the byte-level {@link RawMqttClient}), and closes everything it opened
 * after each test, newest first, so no client outlives its broker and no test leaks into the
 * next. Subclasses are the feature tests; each test starts its own broker, so they are
 * independent and can run in parallel.
 */
abstract class Clients {
    /** How long any single expected event may take before the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    final void closeEverything() throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Closes {@code resource} after the test, with everything else the test opened. */
    final <T extends AutoCloseable> T closeAfterTest(T resource) {
        opened.push(resource);
        return resource;
    }

    final TestBroker broker() {
        return broker(Map.of());
    }

    final TestBroker broker(Map<String, String> settings) {
        return broker(settings, Clock.SYSTEM);
    }

    /**
     * A broker on {@code clock}: with {@link ManualClock#stopped()} protocol time (keep alive,
     * expiry, will delay) passes only with {@link TestBroker#advanceClock}, so timing is tested
     * without waiting for it.
     */
    final TestBroker broker(Map<String, String> settings, Clock clock) {
        TestBroker broker = TestBroker.start(settings, clock);
        opened.push(broker);
        return broker;
    }

    // ---- Paho 3.1.1 ----

    static MqttConnectOptions options3(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        o.setKeepAliveInterval(60);
        // Paho counts a QoS 1/2 publish as in flight until its callback thread has run, a little
        // after the synchronous publish() returns; a tight publish loop would hit the default 10.
        o.setMaxInflight(1000);
        return o;
    }

    final org.eclipse.paho.client.mqttv3.MqttClient paho3(TestBroker broker, String clientId, Received received)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        return paho3(broker, clientId, options3(true), received);
    }

    final org.eclipse.paho.client.mqttv3.MqttClient paho3(
            TestBroker broker, String clientId, MqttConnectOptions options, Received received)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient client = unconnectedPaho3(broker, clientId, received);
        client.connect(options);
        return client;
    }

    final org.eclipse.paho.client.mqttv3.MqttClient unconnectedPaho3(
            TestBroker broker, String clientId, Received received) throws org.eclipse.paho.client.mqttv3.MqttException {
        return unconnectedPaho3(broker.uri(), clientId, received);
    }

    /** A Paho 3.1.1 client of the broker at {@code uri} ({@code tcp://} or {@code ssl://}), not yet connected. */
    final org.eclipse.paho.client.mqttv3.MqttClient unconnectedPaho3(String uri, String clientId, Received received)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient client =
                new org.eclipse.paho.client.mqttv3.MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        if (received != null) {
            client.setCallback(received);
        }
        opened.push(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100, false);
            }
            client.close(true);
        });
        return client;
    }

    // ---- Paho 5.0 ----

    static MqttConnectionOptions options5(boolean cleanStart, long sessionExpirySeconds) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpirySeconds);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        o.setKeepAliveInterval(60);
        return o;
    }

    final org.eclipse.paho.mqttv5.client.MqttClient paho5(TestBroker broker, String clientId, Received received)
            throws org.eclipse.paho.mqttv5.common.MqttException {
        return paho5(broker, clientId, options5(true, 0), received);
    }

    final org.eclipse.paho.mqttv5.client.MqttClient paho5(
            TestBroker broker, String clientId, MqttConnectionOptions options, Received received)
            throws org.eclipse.paho.mqttv5.common.MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient client = unconnectedPaho5(broker, clientId, received);
        client.connect(options);
        return client;
    }

    final org.eclipse.paho.mqttv5.client.MqttClient unconnectedPaho5(
            TestBroker broker, String clientId, Received received) throws org.eclipse.paho.mqttv5.common.MqttException {
        return unconnectedPaho5(broker.uri(), clientId, received);
    }

    /** A Paho 5.0 client of the broker at {@code uri} ({@code tcp://} or {@code ssl://}), not yet connected. */
    final org.eclipse.paho.mqttv5.client.MqttClient unconnectedPaho5(String uri, String clientId, Received received)
            throws org.eclipse.paho.mqttv5.common.MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                uri, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.setTimeToWait(TIMEOUT.toMillis());
        if (received != null) {
            client.setCallback(received);
        }
        opened.push(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100, false);
            }
            client.close(true);
        });
        return client;
    }

    // ---- HiveMQ 5.0 ----

    /**
     * A HiveMQ client, not yet connected; call {@code connectWith()...send()}. A null client id
     * makes it send a zero-byte one.
     */
    final Mqtt5BlockingClient hive5(TestBroker broker, String clientId) {
        Mqtt5ClientBuilder builder =
                MqttClient.builder().useMqttVersion5().serverHost(broker.host()).serverPort(broker.port());
        Mqtt5BlockingClient client = (clientId == null ? builder : builder.identifier(clientId)).buildBlocking();
        opened.push(() -> {
            if (client.getState().isConnectedOrReconnect()) {
                client.disconnect();
            }
        });
        return client;
    }

    // ---- mosquitto command-line clients ----

    /**
     * The start of a mosquitto_pub or mosquitto_sub command line ({@code tool}) for {@code broker}
     * in protocol {@code version} ({@code mqttv311}, {@code mqttv5}) at {@code qos}; add the rest.
     */
    static List<String> mosquittoCommand(String tool, TestBroker broker, String version, int qos) {
        return new ArrayList<>(List.of(
                tool,
                "-h",
                broker.host(),
                "-p",
                Integer.toString(broker.port()),
                "-V",
                version,
                "-q",
                Integer.toString(qos)));
    }

    // ---- Raw bytes ----

    /** An open socket that has sent nothing yet. */
    final RawMqttClient rawSocket(TestBroker broker, ProtocolVersion version) throws IOException {
        RawMqttClient raw = RawMqttClient.connect(broker, version);
        opened.push(raw);
        return raw;
    }

    /** A raw client whose CONNECT was accepted; fails the test otherwise. */
    final RawMqttClient raw(TestBroker broker, Packet.Connect connect) throws IOException {
        RawMqttClient raw = rawSocket(broker, connect.version());
        raw.send(connect);
        Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason(), "CONNACK of " + connect.clientId());
        return raw;
    }

    final RawMqttClient raw(TestBroker broker, ProtocolVersion version, String clientId) throws IOException {
        return raw(broker, connect(version, clientId, true, Properties.EMPTY));
    }

    static Packet.Connect connect(ProtocolVersion version, String clientId, boolean cleanStart, Properties props) {
        return new Packet.Connect(version, clientId, cleanStart, 60, null, null, null, props);
    }

    static Properties sessionExpiry(long seconds) {
        return Packets.sessionExpiry(seconds);
    }

    static Packet.Subscribe subscribe(int packetId, String filter, QoS qos) {
        return Packets.subscribe(packetId, filter, qos);
    }

    /** Subscribes and checks the SUBACK grants exactly {@code qos}. */
    static void subscribeRaw(RawMqttClient raw, int packetId, String filter, QoS qos) throws IOException {
        raw.send(subscribe(packetId, filter, qos));
        Packet.SubAck ack = raw.receive(Packet.SubAck.class);
        assertEquals(List.of(ReasonCode.granted(qos)), ack.reasons(), "SUBACK for " + filter);
    }

    static Packet.Publish publish(String topic, QoS qos, int packetId, String payload) {
        return Packets.publish(topic, qos, packetId, payload);
    }

    static byte[] utf8(String s) {
        return Packets.utf8(s);
    }

    static String text(byte[] bytes) {
        return Packets.text(bytes);
    }

    // ---- Time ----

    /** Polls {@code condition} until it holds, failing the test after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
