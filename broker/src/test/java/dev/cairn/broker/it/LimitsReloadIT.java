package dev.cairn.broker.it;

import static dev.cairn.broker.testing.ReloadFiles.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: SIGHUP applies the limits that may change at run time (README, "Configuration": the keys
 * marked as reloading) to a running broker, without touching its connections, and a config file
 * with problems applies nothing. Method: a child broker started with {@code --config}, real
 * sockets. (1) {@code connections_max} lowered to the number of open connections: a new socket is
 * closed at accept, the open ones still answer PINGREQ; raised again: a new client connects. (2)
 * {@code queued_messages_max} raised: an offline persistent session that refused the third
 * message (0x97, queue_overflow reject) takes two more, and its client gets all four on return.
 * (3) a file with two problems and a lower {@code queued_messages_max}: one ERROR names both, and
 * the queue keeps the limit in force.
 */
class LimitsReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aLowerConnectionsMaxRefusesNewSocketsAndKeepsTheOpenOnes() throws Exception {
        Path conf = dir.resolve("cairn.conf");
        replace(conf, "connections_max = 100\n");
        try (ChildBroker broker = ChildBroker.startWithConfig(dir.resolve("data"), dir, conf, Map.of())) {
            List<RawMqttClient> live = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    live.add(connect(broker, "live-" + i));
                }
                replace(conf, "connections_max = 3\n");
                broker.hangUp();
                broker.awaitLog("reload: connections_max = 3 (before: 100)", 1, WAIT);
                broker.awaitLog("reload done", 1, WAIT);

                try (RawMqttClient refused = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5)) {
                    refused.awaitClose(WAIT);
                }
                broker.awaitLog("connections_max (3) reached", 1, WAIT);
                for (RawMqttClient c : live) {
                    c.send(new Packet.PingReq());
                    c.receive(Packet.PingResp.class);
                }

                replace(conf, "connections_max = 4\n");
                broker.hangUp();
                broker.awaitLog("reload done", 2, WAIT);
                live.add(connect(broker, "after-raise"));
            } finally {
                for (RawMqttClient c : live) {
                    c.close();
                }
            }
            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
        }
    }

    @Test
    @ExpectedErrorLog("nothing of it is applied")
    void aHigherQueuedMessagesMaxQueuesMoreAndABadFileChangesNothing() throws Exception {
        Path conf = dir.resolve("cairn.conf");
        replace(conf, "queued_messages_max = 2\n");
        try (ChildBroker broker = ChildBroker.startWithConfig(dir.resolve("data"), dir, conf, Map.of())) {
            MqttClient subscriber = new MqttClient(broker.uri(), "away", new MemoryPersistence());
            subscriber.connect(persistent());
            subscriber.subscribe("q/t", 1);
            subscriber.disconnect();
            subscriber.close();

            try (RawMqttClient publisher = connect(broker, "publisher")) {
                assertEquals(ReasonCode.SUCCESS, publish(publisher, 1));
                assertEquals(ReasonCode.SUCCESS, publish(publisher, 2));
                assertEquals(ReasonCode.QUOTA_EXCEEDED, publish(publisher, 3), "the queue holds 2");

                replace(conf, "queued_messages_max = 4\n");
                broker.hangUp();
                broker.awaitLog("reload: queued_messages_max = 4 (before: 2)", 1, WAIT);
                broker.awaitLog("reload done", 1, WAIT);
                assertEquals(ReasonCode.SUCCESS, publish(publisher, 4), "the queue takes a third now");
                assertEquals(ReasonCode.SUCCESS, publish(publisher, 5));
                assertEquals(ReasonCode.QUOTA_EXCEEDED, publish(publisher, 6), "and holds 4");

                replace(conf, "queued_messages_max = 6\nconnections_max = many\nno_such_key = 1\n");
                broker.hangUp();
                broker.awaitLog("reload done; 1 part(s) kept their old state", 1, WAIT);
                String log = broker.log();
                assertTrue(
                        log.contains("has 2 problems; nothing of it is applied")
                                && log.contains("connections_max must be a whole number, got 'many'")
                                && log.contains("unknown config key 'no_such_key'"),
                        "one ERROR names every problem:\n" + log);
                assertEquals(ReasonCode.QUOTA_EXCEEDED, publish(publisher, 7), "the limit in force stays 4");
            }

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient back = new MqttClient(broker.uri(), "away", new MemoryPersistence());
            back.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {}

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
            });
            back.connect(persistent());
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String m = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(m != null, "message " + (i + 1) + " of 4 queued; got " + got);
                got.add(m);
            }
            assertEquals(List.of("m1", "m2", "m4", "m5"), got);
            back.disconnect();
            back.close();
            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
        }
    }

    private static MqttConnectOptions persistent() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static RawMqttClient connect(ChildBroker broker, String clientId) throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        client.send(new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 60, null, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason(), "CONNACK of " + clientId);
        return client;
    }

    /** A QoS 1 PUBLISH of {@code m<id>} on {@code q/t}; returns its PUBACK's reason code. */
    private static ReasonCode publish(RawMqttClient client, int packetId) throws IOException {
        client.send(new Packet.Publish(
                "q/t",
                QoS.AT_LEAST_ONCE,
                false,
                false,
                packetId,
                Properties.EMPTY,
                ("m" + packetId).getBytes(StandardCharsets.UTF_8)));
        return client.receive(Packet.PubAck.class).reason();
    }
}
