package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.UserProperty;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: one Cairn bridges to another (ADR 0020): protocol 5 carries the message's properties
 * through, the remote sees the bridge log in with its user name and password, and a bridge that
 * the remote refuses keeps queueing and retries. Method: two in-process brokers, raw clients on
 * both ends, so the test sees the exact packets the central broker delivers.
 */
class BridgeCairnIT extends Clients {
    private static final Duration DRAIN = Duration.ofSeconds(20);

    private static Map<String, String> edgeSettings(int centralPort, String protocol) {
        return Map.of(
                "bridge.central.address", "127.0.0.1:" + centralPort,
                "bridge.central.topic.1", "# out 2 edge/ site7/",
                "bridge.central.protocol", protocol,
                "bridge.central.client_id", "edge-1",
                "bridge.central.restart_timeout_initial_millis", "50",
                "bridge.central.restart_timeout_max_millis", "200");
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Waits for the next PUBLISH on {@code client}, answering QoS 1 and 2 as a subscriber does. */
    private static Packet.Publish nextPublish(RawMqttClient client) throws Exception {
        Packet.Publish p = client.receive(Packet.Publish.class);
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            client.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        } else if (p.qos() == QoS.EXACTLY_ONCE) {
            client.send(new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            client.receive(Packet.PubRel.class);
            client.send(new Packet.PubComp(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
        return p;
    }

    @Test
    @DisplayName("Cairn to Cairn over MQTT 5: QoS 2 with the PUBLISH properties carried through [MQTT-3.3.2-17]")
    void forwardsToAnotherCairnWithProperties() throws Exception {
        TestBroker central = broker();
        RawMqttClient sub = raw(central, ProtocolVersion.MQTT_5, "central-sub");
        subscribeRaw(sub, 1, "site7/#", QoS.EXACTLY_ONCE);
        TestBroker edge = broker(edgeSettings(central.port(), "5"));
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        Properties properties = Properties.builder()
                .contentType("text/plain")
                .addUserProperty("line", "7")
                .build();
        // Act: QoS 2 is queued for the bridge's session whether or not its link is up yet.
        pub.send(new Packet.Publish("edge/oven/temp", QoS.EXACTLY_ONCE, false, false, 1, properties, utf8("212")));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubRec.class).reason());
        pub.send(new Packet.PubRel(1, ReasonCode.SUCCESS, Properties.EMPTY));
        pub.receive(Packet.PubComp.class);
        // Assert
        Packet.Publish got = nextPublish(sub);
        assertEquals("site7/oven/temp", got.topic());
        assertEquals(QoS.EXACTLY_ONCE, got.qos());
        assertEquals("212", text(got.payload()));
        assertEquals("text/plain", got.properties().contentType());
        assertEquals(List.of(new UserProperty("line", "7")), got.properties().userProperties());
    }

    @Test
    @DisplayName(
            "a Cairn remote that refuses the bridge's login: the edge keeps queueing and delivers once it may log in")
    void aRefusedLoginIsRetriedAndNothingQueuedIsLost() throws Exception {
        int port = freePort();
        TestBroker central = broker(Map.of("port", Integer.toString(port), "allow_anonymous", "false"));
        TestBroker edge = broker(edgeSettings(port, "3.1.1"));
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        for (int i = 1; i <= 5; i++) {
            pub.send(publish("edge/line", QoS.AT_LEAST_ONCE, i, "m" + i));
            assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
        }
        // Act: the remote lets the bridge in once it restarts allowing anonymous clients.
        central.close();
        TestBroker reopened = broker(Map.of("port", Integer.toString(port)));
        RawMqttClient sub = raw(reopened, ProtocolVersion.MQTT_5, "central-sub");
        subscribeRaw(sub, 1, "site7/#", QoS.AT_LEAST_ONCE);
        // Assert: the bridge's retries reach the new remote and the queue drains in order.
        for (int i = 1; i <= 5; i++) {
            Packet got = sub.receive(DRAIN);
            assertTrue(got instanceof Packet.Publish, "a PUBLISH, not " + got);
            Packet.Publish p = (Packet.Publish) got;
            assertEquals("site7/line", p.topic());
            assertEquals("m" + i, text(p.payload()));
            sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
    }

    @Test
    @DisplayName(
            "a bridge removed from the configuration: its session ends at the next start, so its topics queue nothing")
    void aRemovedBridgesSessionEndsAtTheNextStart() throws Exception {
        int port = freePort(); // Nothing listens there: the bridge never links.
        TestBroker edge = TestBroker.start(edgeSettings(port, "5"));
        RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish("edge/line", QoS.AT_LEAST_ONCE, 1, "queued"));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason(), "queued for the bridge");
        edge.stopKeepingData();
        closeAfterTest(edge::deleteData);
        // Act
        TestBroker without = broker(Map.of("data_dir", edge.dataDir().toString()));
        // Assert: no session matches the bridge's topics any more [MQTT-3.4.2-1] 0x10.
        RawMqttClient again = raw(without, ProtocolVersion.MQTT_5, "pub2");
        again.send(publish("edge/line", QoS.AT_LEAST_ONCE, 1, "nobody"));
        assertEquals(
                ReasonCode.NO_MATCHING_SUBSCRIBERS,
                again.receive(Packet.PubAck.class).reason());
        assertEquals(0, without.stats().messagesRejectedQueueFull());
    }

    @Test
    @DisplayName("a topic line removed from a bridge: its subscription ends at the next start, the others stay")
    void aRemovedTopicLineIsUnsubscribedAtTheNextStart() throws Exception {
        int port = freePort(); // Nothing listens there: the bridge never links.
        Map<String, String> settings = new java.util.HashMap<>(edgeSettings(port, "5"));
        settings.put("bridge.central.topic.2", "kept/# out 1");
        TestBroker edge = TestBroker.start(settings);
        edge.stopKeepingData();
        closeAfterTest(edge::deleteData);
        // Act: topic.1 (# under edge/) is gone from the configuration.
        settings.remove("bridge.central.topic.1");
        settings.put("data_dir", edge.dataDir().toString());
        TestBroker changed = broker(settings);
        // Assert
        RawMqttClient pub = raw(changed, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish("edge/line", QoS.AT_LEAST_ONCE, 1, "no longer bridged"));
        assertEquals(
                ReasonCode.NO_MATCHING_SUBSCRIBERS,
                pub.receive(Packet.PubAck.class).reason());
        pub.send(publish("kept/line", QoS.AT_LEAST_ONCE, 2, "still bridged"));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
    }

    @Test
    @DisplayName("the bridge pings at the remote's Server Keep Alive, not its own keepalive_seconds [MQTT-3.2.2-21]")
    void theBridgeKeepsTheServersKeepAlive(@TempDir Path dir) throws Exception {
        // A 5.0 client asking for more than keep_alive_max_seconds is told 1 s as Server Keep Alive.
        TestBroker central = broker(Map.of("keep_alive_max_seconds", "1"));
        Map<String, String> settings = new java.util.HashMap<>(edgeSettings(central.port(), "5"));
        settings.put("bridge.central.keepalive_seconds", "5");
        try (ChildBroker edge = ChildBroker.start(dir.resolve("data"), dir, settings)) {
            edge.awaitLog("bridge central connected", 1, DRAIN);
            RawMqttClient sub = raw(central, ProtocolVersion.MQTT_5, "central-sub");
            subscribeRaw(sub, 1, "site7/#", QoS.AT_LEAST_ONCE);
            // Act: the link idles through several Server Keep Alive periods (pinging at 5 s, the
            // bridge would have the central broker close it after 1.5 s): this span is what is tested.
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() - end < 0) {
                sub.send(new Packet.PingReq()); // The subscriber too is held to the 1 s keep alive.
                sub.receive(Packet.PingResp.class);
                Thread.sleep(300); // The subscriber's ping pace.
            }
            RawMqttClient pub = new RawMqttClient(edge.host(), edge.port(), ProtocolVersion.MQTT_5);
            pub.send(connect(ProtocolVersion.MQTT_5, "pub", true, Properties.EMPTY));
            pub.receive(Packet.ConnAck.class);
            pub.send(publish("edge/line", QoS.AT_LEAST_ONCE, 1, "after the idle span"));
            pub.receive(Packet.PubAck.class);
            assertEquals("after the idle span", text(nextPublish(sub).payload()));
            pub.close();
            // Assert
            assertFalse(edge.log().contains("link to"), "the link dropped:\n" + edge.log());
        }
    }
}
