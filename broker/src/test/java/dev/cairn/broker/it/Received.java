package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What one Paho client (3.1.1 or 5.0) received: messages in arrival order, and whether and why
 * the connection was lost. Paho calls it on its own threads; tests read it with deadlines.
 */
final class Received
        implements org.eclipse.paho.client.mqttv3.MqttCallback, org.eclipse.paho.mqttv5.client.MqttCallback {

    /** One received application message; {@code properties} is null for 3.1.1. */
    record Msg(String topic, String payload, int qos, boolean retained, boolean dup, MqttProperties properties) {}

    private final BlockingQueue<Msg> messages = new LinkedBlockingQueue<>();
    private final CountDownLatch lost = new CountDownLatch(1);
    private volatile int disconnectReasonCode = -1;

    /** The next message, failing the test if none arrives within {@link Clients#TIMEOUT}. */
    Msg next() throws InterruptedException {
        Msg m = messages.poll(Clients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            fail("no message within " + Clients.TIMEOUT);
        }
        return m;
    }

    List<Msg> next(int count) throws InterruptedException {
        List<Msg> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(next());
        }
        return list;
    }

    /** Asserts the next message is on {@code topic} with {@code payload}; returns it. */
    Msg expect(String topic, String payload) throws InterruptedException {
        Msg m = next();
        assertEquals(topic, m.topic(), "topic of " + m);
        assertEquals(payload, m.payload(), "payload of " + m);
        return m;
    }

    /** The next message, waiting at most {@code wait} for it; null when none came in that time. */
    Msg poll(Duration wait) throws InterruptedException {
        return messages.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Messages that arrived so far and were not taken. */
    List<Msg> drain() {
        List<Msg> list = new ArrayList<>();
        messages.drainTo(list);
        return list;
    }

    boolean awaitLost() throws InterruptedException {
        return lost.await(Clients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isLost() {
        return lost.getCount() == 0;
    }

    /** The reason code of the DISCONNECT a 5.0 client received, or -1. */
    int disconnectReasonCode() {
        return disconnectReasonCode;
    }

    @Override
    public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
        messages.add(new Msg(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(),
                message.isRetained(),
                message.isDuplicate(),
                null));
    }

    @Override
    public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        messages.add(new Msg(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(),
                message.isRetained(),
                message.isDuplicate(),
                message.getProperties()));
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.countDown();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnectReasonCode = response.getReturnCode();
        lost.countDown();
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
}
