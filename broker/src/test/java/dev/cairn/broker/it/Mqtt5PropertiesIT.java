package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.UserProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 PUBLISH properties (section 3.3.2.3): forwarded unaltered, Message Expiry Interval
 * honoured and decremented, Topic Aliases accepted from publishers and used towards
 * subscribers that allow them.
 */
class Mqtt5PropertiesIT extends Clients {

    private static Packet.Publish publish(String topic, QoS qos, int packetId, String payload, Properties props) {
        return new Packet.Publish(topic, qos, false, false, packetId, props, utf8(payload));
    }

    @Test
    void applicationPropertiesAreForwardedUnalteredWithUserPropertyOrderKept() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribeRaw(sub, 1, "props", QoS.AT_MOST_ONCE);
        Received paho = new Received();
        paho5(broker, "paho", paho).subscribe("props", 0);
        Properties props = Properties.builder()
                .payloadFormatIndicator(1)
                .contentType("application/json")
                .responseTopic("reply/to/me")
                .correlationData(new byte[] {9, 8, 7})
                .addUserProperty("z", "last?")
                .addUserProperty("a", "first?")
                .addUserProperty("z", "again")
                .build();
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("props", QoS.AT_MOST_ONCE, 0, "{}", props));
        // Assert [MQTT-3.3.2-4], [MQTT-3.3.2-20], [MQTT-3.3.2-15], [MQTT-3.3.2-16], [MQTT-3.3.2-17], [MQTT-3.3.2-18].
        Properties got = sub.receive(Packet.Publish.class).properties();
        assertEquals(Integer.valueOf(1), got.payloadFormatIndicator());
        assertEquals("application/json", got.contentType());
        assertEquals("reply/to/me", got.responseTopic());
        assertArrayEquals(new byte[] {9, 8, 7}, got.correlationData());
        assertEquals(
                List.of(
                        new UserProperty("z", "last?"),
                        new UserProperty("a", "first?"),
                        new UserProperty("z", "again")),
                got.userProperties());
        assertNull(got.messageExpiryIntervalSeconds(), "no expiry was set");
        // A real client sees the same.
        Received.Msg m = paho.expect("props", "{}");
        assertEquals("application/json", m.properties().getContentType());
        assertEquals("reply/to/me", m.properties().getResponseTopic());
        assertEquals(3, m.properties().getUserProperties().size());
    }

    @Test
    void expiredMessageIsNotDeliveredToASessionThatWasOffline() throws Exception {
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        Packet.Connect persistent = connect(ProtocolVersion.MQTT_5, "away", false, sessionExpiry(60));
        RawMqttClient sub = raw(broker, persistent);
        subscribeRaw(sub, 1, "exp", QoS.AT_LEAST_ONCE);
        sub.close();
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish(
                "exp",
                QoS.AT_LEAST_ONCE,
                1,
                "short-lived",
                Properties.builder().messageExpiryIntervalSeconds(1L).build()));
        pub.send(publish(
                "exp",
                QoS.AT_LEAST_ONCE,
                2,
                "long-lived",
                Properties.builder().messageExpiryIntervalSeconds(60L).build()));
        pub.receive(Packet.PubAck.class);
        pub.receive(Packet.PubAck.class);
        // Act: come back after the first one expired.
        broker.advanceClock(Duration.ofSeconds(2));
        RawMqttClient back = raw(broker, persistent);
        // Assert: only the live one [MQTT-3.3.2-5], with its remaining interval [MQTT-3.3.2-6].
        Packet.Publish got = back.receive(Packet.Publish.class);
        assertEquals("long-lived", text(got.payload()));
        assertEquals(58L, got.properties().messageExpiryIntervalSeconds());
    }

    @Test
    void liveDeliveryCarriesTheMessageExpiryInterval() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribeRaw(sub, 1, "exp", QoS.AT_MOST_ONCE);
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "pub")
                .send(publish(
                        "exp",
                        QoS.AT_MOST_ONCE,
                        0,
                        "x",
                        Properties.builder().messageExpiryIntervalSeconds(30L).build()));
        // Assert [MQTT-3.3.2-6]: at most what was sent.
        long left = sub.receive(Packet.Publish.class).properties().messageExpiryIntervalSeconds();
        assertTrue(left <= 30 && left >= 29, "forwarded expiry " + left);
    }

    @Test
    void inboundTopicAliasIsResolvedForSubscribers() throws Exception {
        TestBroker broker = broker();
        Received sub = new Received();
        paho5(broker, "sub", sub).subscribe("alias/#", 1);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act: set alias 1 with the topic, then use it with an empty topic (section 3.3.2.3.4).
        pub.send(publish(
                "alias/long/topic",
                QoS.AT_LEAST_ONCE,
                1,
                "first",
                Properties.builder().topicAlias(1).build()));
        pub.send(publish(
                "",
                QoS.AT_LEAST_ONCE,
                2,
                "second",
                Properties.builder().topicAlias(1).build()));
        // Re-map alias 1 to another topic.
        pub.send(publish(
                "alias/other",
                QoS.AT_LEAST_ONCE,
                3,
                "third",
                Properties.builder().topicAlias(1).build()));
        pub.send(publish(
                "",
                QoS.AT_LEAST_ONCE,
                4,
                "fourth",
                Properties.builder().topicAlias(1).build()));
        // Assert
        sub.expect("alias/long/topic", "first");
        sub.expect("alias/long/topic", "second");
        sub.expect("alias/other", "third");
        Received.Msg last = sub.expect("alias/other", "fourth");
        assertNull(last.properties().getTopicAlias(), "the client allowed no aliases [MQTT-3.3.2-10]");
    }

    @Test
    void outboundTopicAliasIsUsedForASubscriberThatAllowsIt() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(
                broker,
                connect(
                        ProtocolVersion.MQTT_5,
                        "sub",
                        true,
                        Properties.builder().topicAliasMaximum(5).build()));
        subscribeRaw(sub, 1, "out/#", QoS.AT_MOST_ONCE);
        RawMqttClient plain = raw(broker, ProtocolVersion.MQTT_5, "plain");
        subscribeRaw(plain, 1, "out/#", QoS.AT_MOST_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        pub.send(publish("out/some/topic", QoS.AT_MOST_ONCE, 0, "1", Properties.EMPTY));
        pub.send(publish("out/some/topic", QoS.AT_MOST_ONCE, 0, "2", Properties.EMPTY));
        // Assert: the first establishes the alias, the second uses it with an empty topic.
        Packet.Publish first = sub.receive(Packet.Publish.class);
        assertEquals("out/some/topic", first.topic());
        Integer alias = first.properties().topicAlias();
        assertTrue(alias != null && alias >= 1 && alias <= 5, "alias within the client's maximum [MQTT-3.3.2-10]");
        Packet.Publish second = sub.receive(Packet.Publish.class);
        assertEquals("", second.topic());
        assertEquals(alias, second.properties().topicAlias());
        assertEquals("2", text(second.payload()));
        // A client that set no Topic Alias Maximum gets none [MQTT-3.3.2-10].
        assertNull(plain.receive(Packet.Publish.class).properties().topicAlias());
        assertEquals("out/some/topic", plain.receive(Packet.Publish.class).topic());
    }
}
