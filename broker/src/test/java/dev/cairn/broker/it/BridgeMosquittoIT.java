package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.Mosquitto;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: a bridge forwards the out topics of an edge Cairn to a real mosquitto (ADR 0020): at QoS
 * 0, 1 and 2, in MQTT 3.1.1 and 5, with mosquitto's topic prefixes, retained flags kept; it
 * queues on disk while the remote is away, with the session queue's limits, and delivers every
 * acknowledged message in order when it returns. Method: a mosquitto process on a port of its own
 * ({@link Mosquitto}), a Paho subscriber on it, raw publishers on an in-process Cairn. Probes at
 * QoS 0 (never queued for an offline session) show when the bridge's link is up.
 */
class BridgeMosquittoIT extends Clients {
    private static final String PROBE = "site7/plant/probe";
    private static final Duration DRAIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Map<String, String> bridgeSettings(Mosquitto central, String topic, String protocol) {
        return bridgeSettings(central.address(), topic, protocol);
    }

    /** Bridge {@code central} to {@code address} with one topic line, as edge-1, retrying within 0.5 s. */
    static Map<String, String> bridgeSettings(String address, String topic, String protocol) {
        Map<String, String> s = new HashMap<>();
        s.put("bridge.central.address", address);
        s.put("bridge.central.topic.1", topic);
        s.put("bridge.central.protocol", protocol);
        s.put("bridge.central.client_id", "edge-1");
        s.put("bridge.central.restart_timeout_initial_millis", "100");
        s.put("bridge.central.restart_timeout_max_millis", "500");
        return s;
    }

    /** A Paho 3.1.1 subscriber on mosquitto; {@code clean} false keeps its session there. */
    private MqttClient centralSubscriber(Mosquitto central, String clientId, boolean clean, Received received)
            throws Exception {
        MqttClient client = unconnectedPaho3(central.uri(), clientId, received);
        client.connect(options3(clean));
        client.subscribe("site7/#", 2);
        return client;
    }

    /** Publishes QoS 0 probes on the edge until one reaches the subscriber: the bridge's link is up. */
    private static void awaitLinked(RawMqttClient edge, Received received) throws Exception {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (true) {
            edge.send(publish("edge/plant/probe", QoS.AT_MOST_ONCE, 0, "probe"));
            for (Received.Msg m : received.drain()) {
                if (m.topic().equals(PROBE)) {
                    return;
                }
                throw new AssertionError("a message before the link was up: " + m);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the bridge did not link within " + DRAIN);
            }
            Thread.sleep(50); // The pace of the probes; the exit is the probe's arrival.
        }
    }

    /** The next {@code count} messages that are not probes, waiting up to {@link #DRAIN} in all. */
    private static List<Received.Msg> nextMessages(Received received, int count) throws InterruptedException {
        List<Received.Msg> got = new ArrayList<>();
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (got.size() < count) {
            for (Received.Msg m : received.drain()) {
                if (!m.topic().equals(PROBE)) {
                    got.add(m);
                }
            }
            if (got.size() < count && System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + got.size() + " of " + count + " messages within " + DRAIN + ": "
                        + got.subList(Math.max(0, got.size() - 3), got.size()));
            }
            Thread.sleep(10);
        }
        return got;
    }

    private static void publishAcknowledged(RawMqttClient pub, String topic, QoS qos, int packetId, String payload)
            throws Exception {
        publishAcknowledged(pub, topic, qos, packetId, payload, ReasonCode.SUCCESS);
    }

    /** Publishes and completes the QoS flow, checking the PUBACK's or PUBREC's reason code. */
    private static void publishAcknowledged(
            RawMqttClient pub, String topic, QoS qos, int packetId, String payload, ReasonCode expected)
            throws Exception {
        pub.send(publish(topic, qos, packetId, payload));
        if (qos == QoS.AT_LEAST_ONCE) {
            assertEquals(expected, pub.receive(Packet.PubAck.class).reason(), "PUBACK of " + payload);
        } else if (qos == QoS.EXACTLY_ONCE) {
            assertEquals(expected, pub.receive(Packet.PubRec.class).reason(), "PUBREC of " + payload);
            pub.send(new Packet.PubRel(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
            pub.receive(Packet.PubComp.class);
        }
    }

    @ParameterizedTest(name = "topic QoS {0}, protocol {1}")
    @CsvSource({"0, 3.1.1", "1, 3.1.1", "2, 3.1.1", "0, 5", "1, 5", "2, 5"})
    @DisplayName(
            "out topics reach mosquitto with the local prefix replaced by the remote one, at min(message, topic) QoS")
    void forwardsOutTopicsToMosquittoWithPrefixesAtEachQos(int topicQos, String protocol) throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        Received atCentral = new Received();
        centralSubscriber(central, "central-sub", true, atCentral);
        TestBroker edge = broker(bridgeSettings(central, "plant/# out " + topicQos + " edge/ site7/", protocol));
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        awaitLinked(pub, atCentral);
        // Act
        // Outside the local prefix and pattern the bridge's session matches nothing: 0x10 [MQTT-3.4.2-1].
        publishAcknowledged(
                pub, "plant/not-prefixed", QoS.AT_LEAST_ONCE, 1, "not forwarded", ReasonCode.NO_MATCHING_SUBSCRIBERS);
        publishAcknowledged(
                pub, "edge/other/x", QoS.AT_LEAST_ONCE, 2, "not forwarded", ReasonCode.NO_MATCHING_SUBSCRIBERS);
        List<String> sent = new ArrayList<>();
        int id = 10;
        for (QoS qos : QoS.values()) {
            String payload = "m-qos" + qos.value();
            publishAcknowledged(pub, "edge/plant/line1/temp", qos, id++, payload);
            sent.add(payload);
        }
        // Assert: only the prefixed topics, in order, at the lower of the two QoS.
        List<Received.Msg> got = nextMessages(atCentral, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Received.Msg m = got.get(i);
            assertEquals("site7/plant/line1/temp", m.topic());
            assertEquals(sent.get(i), m.payload());
            assertEquals(Math.min(i, topicQos), m.qos(), "QoS of " + m);
        }
        pub.send(new Packet.Publish(
                "edge/plant/status", QoS.AT_LEAST_ONCE, true, false, id, Properties.EMPTY, utf8("retained")));
        pub.receive(Packet.PubAck.class);
        assertEquals("site7/plant/status", nextMessages(atCentral, 1).get(0).topic());
        // [MQTT-3.3.1-9]: mosquitto sends retain 0 to a subscription that existed; a new one sees it retained.
        Received late = new Received();
        MqttClient lateClient = unconnectedPaho3(central.uri(), "late", late);
        lateClient.connect(options3(true));
        lateClient.subscribe("site7/plant/status", 1);
        Received.Msg retained = late.next();
        assertEquals("retained", retained.payload());
        assertTrue(retained.retained(), "the remote keeps the message retained: " + retained);
    }

    @Test
    @DisplayName("a network client cannot take a bridge's session: client id $bridge/... gets 0x85 [MQTT-3.1.3-5]")
    void aNetworkClientCannotUseABridgeSessionClientId() throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        TestBroker edge = broker(bridgeSettings(central, "plant/# out 1", "5"));
        for (ProtocolVersion version : List.of(ProtocolVersion.MQTT_5, ProtocolVersion.MQTT_3_1_1)) {
            RawMqttClient thief = rawSocket(edge, version);
            thief.send(connect(version, "$bridge/central", false, Properties.EMPTY));
            Packet.ConnAck refused = thief.receive(Packet.ConnAck.class);
            assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refused.reason(), "CONNACK in " + version);
            assertFalse(refused.sessionPresent());
        }
    }

    @Test
    @DisplayName("outage: mosquitto stops, the edge goes on acknowledging QoS 1, and every message arrives in order")
    void anOutageOfTheRemoteLosesNothingAndKeepsOrder() throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        Received atCentral = new Received();
        MqttClient sub = centralSubscriber(central, "central-sub", false, atCentral);
        TestBroker edge = broker(bridgeSettings(central, "plant/# out 1 edge/ site7/", "3.1.1"));
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        awaitLinked(pub, atCentral);
        List<String> sent = new ArrayList<>();
        int id = 1;
        for (int i = 0; i < 100; i++) {
            String payload = "before-" + i;
            publishAcknowledged(pub, "edge/plant/line1", QoS.AT_LEAST_ONCE, id++, payload);
            sent.add(payload);
        }
        // Act: the remote goes away (saving its sessions) while the edge goes on acknowledging.
        central.stop();
        for (int i = 0; i < 500; i++) {
            String payload = "during-" + i;
            publishAcknowledged(pub, "edge/plant/line1", QoS.AT_LEAST_ONCE, id++, payload);
            sent.add(payload);
        }
        central.start();
        sub.close(true);
        centralSubscriber(central, "central-sub", false, atCentral);
        for (int i = 0; i < 100; i++) {
            String payload = "after-" + i;
            publishAcknowledged(pub, "edge/plant/line1", QoS.AT_LEAST_ONCE, id++, payload);
            sent.add(payload);
        }
        // Assert: all of them, first copies in the order sent (QoS 1 may repeat what was in flight).
        Set<String> firstCopies = new LinkedHashSet<>();
        while (firstCopies.size() < sent.size()) {
            for (Received.Msg m : nextMessages(atCentral, 1)) {
                firstCopies.add(m.payload());
            }
        }
        assertEquals(sent, new ArrayList<>(firstCopies));
    }

    @Test
    @DisplayName("a long outage fills the bridge's queue: queue_overflow = reject answers 0x97 before acknowledging")
    void aLongOutageHitsTheQueueLimitAndRejectAnswersQuotaExceeded() throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        Received atCentral = new Received();
        // A session on the remote that keeps what arrives before its client is back.
        centralSubscriber(central, "central-sub", false, atCentral).disconnect();
        central.stop();
        Map<String, String> settings = bridgeSettings(central, "plant/# out 1 edge/ site7/", "5");
        settings.put("queued_messages_max", "20");
        TestBroker edge = broker(settings);
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        List<String> accepted = new ArrayList<>();
        int id = 1;
        for (int i = 0; i < 20; i++) {
            String payload = "queued-" + i;
            publishAcknowledged(pub, "edge/plant/line1", QoS.AT_LEAST_ONCE, id++, payload);
            accepted.add(payload);
        }
        // Act
        pub.send(publish("edge/plant/line1", QoS.AT_LEAST_ONCE, id, "refused"));
        ReasonCode refused = pub.receive(Packet.PubAck.class).reason();
        // Assert: refused before it was acknowledged [MQTT-3.4.2-1]; what was accepted is forwarded.
        assertEquals(ReasonCode.QUOTA_EXCEEDED, refused);
        assertEquals(1, edge.stats().messagesRejectedQueueFull());
        central.start();
        centralSubscriber(central, "central-sub", false, atCentral);
        List<String> got = new ArrayList<>();
        for (Received.Msg m : nextMessages(atCentral, accepted.size())) {
            got.add(m.payload());
        }
        assertEquals(accepted, got);
    }
}
