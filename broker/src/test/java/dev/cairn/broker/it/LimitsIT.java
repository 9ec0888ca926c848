package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every configured limit (ConfigKey) with the behaviour chosen when it is hit, each with a small
 * value. client_id_length_max is in {@link ConnectIT#clientIdLongerThanTheLimitIsRefusedInBothVersions}.
 */
class LimitsIT extends Clients {

    @Test
    void connectionsBeyondConnectionsMaxAreClosed() throws Exception {
        TestBroker broker = broker(Map.of("connections_max", "2"));
        raw(broker, ProtocolVersion.MQTT_5, "one");
        RawMqttClient two = raw(broker, ProtocolVersion.MQTT_5, "two");
        // Act
        RawMqttClient three = rawSocket(broker, ProtocolVersion.MQTT_5);
        three.send(connect(ProtocolVersion.MQTT_5, "three", true, Properties.EMPTY));
        // Assert: closed without a CONNACK.
        assertEquals(0, three.awaitClose(TIMEOUT).size());
        // A freed slot can be used again.
        two.close();
        await(
                () -> {
                    try (RawMqttClient again = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
                        again.send(connect(ProtocolVersion.MQTT_5, "again", true, Properties.EMPTY));
                        return again.receive(Packet.ConnAck.class).reason() == ReasonCode.SUCCESS;
                    } catch (Exception e) {
                        return false;
                    }
                },
                TIMEOUT,
                "a connection after one closed");
    }

    @Test
    void packetLargerThanPacketSizeMaxClosesTheConnection() throws Exception {
        TestBroker broker = broker(Map.of("packet_size_max_bytes", "256"));
        RawMqttClient v5 = raw(broker, ProtocolVersion.MQTT_5, "v5");
        RawMqttClient v3 = raw(broker, ProtocolVersion.MQTT_3_1_1, "v3");
        // Act
        v5.send(publish("big", QoS.AT_MOST_ONCE, 0, "x".repeat(1000)));
        v3.send(publish("big", QoS.AT_MOST_ONCE, 0, "x".repeat(1000)));
        // Assert: 5.0 gets DISCONNECT 0x95 Packet too large (section 3.2.2.3.6), 3.1.1 a close.
        assertEquals(
                ReasonCode.PACKET_TOO_LARGE, v5.receive(Packet.Disconnect.class).reason());
        v5.awaitClose(TIMEOUT);
        assertEquals(0, v3.awaitClose(TIMEOUT).size());
    }

    @Test
    void inflightOutboundMaxCapsUnacknowledgedDeliveriesEvenWithoutReceiveMaximum() throws Exception {
        TestBroker broker = broker(Map.of("inflight_outbound_max", "3"));
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_3_1_1, "sub");
        subscribeRaw(sub, 1, "win", QoS.AT_LEAST_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        for (int i = 1; i <= 10; i++) {
            pub.send(publish("win", QoS.AT_LEAST_ONCE, i, "m" + i));
        }
        for (int i = 1; i <= 10; i++) {
            pub.receive(Packet.PubAck.class);
        }
        // Assert: three out, the rest wait for acknowledgements, in order.
        Packet.Publish first = sub.receive(Packet.Publish.class);
        sub.receive(Packet.Publish.class);
        sub.receive(Packet.Publish.class);
        FlowControlIT.expectNothingMore(sub);
        sub.send(new Packet.PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals("m4", text(sub.receive(Packet.Publish.class).payload()));
        FlowControlIT.expectNothingMore(sub);
    }

    /** With drop-new; the default, reject, and the byte limit are in {@link QueueOverflowIT}. */
    @Test
    void offlineSessionQueueKeepsTheFirstQueuedMessagesMaxMessages() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "3", "queue_overflow", "drop-new"));
        Packet.Connect persistent = connect(ProtocolVersion.MQTT_5, "away", false, sessionExpiry(60));
        RawMqttClient sub = raw(broker, persistent);
        subscribeRaw(sub, 1, "q", QoS.AT_LEAST_ONCE);
        sub.close();
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        for (int i = 1; i <= 6; i++) {
            pub.send(publish("q", QoS.AT_LEAST_ONCE, i, "m" + i));
            pub.receive(Packet.PubAck.class);
        }
        // Act
        RawMqttClient back = raw(broker, persistent);
        pub.send(publish("q", QoS.AT_LEAST_ONCE, 7, "live"));
        // Assert: m1..m3, then the live one; m4..m6 were not queued.
        for (String expected : List.of("m1", "m2", "m3", "live")) {
            Packet.Publish got = back.receive(Packet.Publish.class);
            assertEquals(expected, text(got.payload()));
            back.send(new Packet.PubAck(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
    }

    @Test
    void subscriptionsBeyondTheLimitAreRefusedInSubAck() throws Exception {
        TestBroker broker = broker(Map.of("subscriptions_per_client_max", "2"));
        Packet.Subscribe three = new Packet.Subscribe(
                1,
                List.of(
                        new Packet.Subscription(
                                "s/1",
                                QoS.AT_LEAST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE),
                        new Packet.Subscription(
                                "s/2",
                                QoS.AT_LEAST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE),
                        new Packet.Subscription(
                                "s/3",
                                QoS.AT_LEAST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY);
        RawMqttClient v5 = raw(broker, ProtocolVersion.MQTT_5, "v5");
        RawMqttClient v3 = raw(broker, ProtocolVersion.MQTT_3_1_1, "v3");
        // Act
        v5.send(three);
        v3.send(three);
        // Assert: 0x97 Quota exceeded in 5.0, 0x80 Failure in 3.1.1.
        assertEquals(
                List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_1, ReasonCode.QUOTA_EXCEEDED),
                v5.receive(Packet.SubAck.class).reasons());
        assertEquals(0x80, v3.receive(Packet.SubAck.class).reasons().get(2).value());
        // Replacing an existing subscription is not a new one.
        subscribeRaw(v5, 2, "s/1", QoS.EXACTLY_ONCE);
    }

    @Test
    void topicsAndFiltersBeyondTheLengthAndLevelLimitsAreRefused() throws Exception {
        TestBroker broker = broker(Map.of("topic_length_max_bytes", "16", "topic_levels_max", "3"));
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        // Act and assert: filters get 0x8F Topic Filter invalid in SUBACK.
        sub.send(new Packet.Subscribe(
                1,
                List.of(
                        new Packet.Subscription(
                                "a/b/c",
                                QoS.AT_MOST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE),
                        new Packet.Subscription(
                                "a/b/c/d",
                                QoS.AT_MOST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE),
                        new Packet.Subscription(
                                "x".repeat(17),
                                QoS.AT_MOST_ONCE,
                                false,
                                false,
                                dev.cairn.broker.codec.RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY));
        assertEquals(
                List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.TOPIC_FILTER_INVALID),
                sub.receive(Packet.SubAck.class).reasons());
        // A topic name past a limit in PUBLISH: DISCONNECT 0x90 Topic Name invalid.
        RawMqttClient deep = raw(broker, ProtocolVersion.MQTT_5, "deep");
        deep.send(publish("a/b/c/d", QoS.AT_MOST_ONCE, 0, "x"));
        assertEquals(
                ReasonCode.TOPIC_NAME_INVALID,
                deep.receive(Packet.Disconnect.class).reason());
        RawMqttClient longTopic = raw(broker, ProtocolVersion.MQTT_5, "long");
        longTopic.send(publish("y".repeat(17), QoS.AT_MOST_ONCE, 0, "x"));
        assertEquals(
                ReasonCode.TOPIC_NAME_INVALID,
                longTopic.receive(Packet.Disconnect.class).reason());
        // At the limits, all is well.
        raw(broker, ProtocolVersion.MQTT_5, "ok").send(publish("a/b/c", QoS.AT_MOST_ONCE, 0, "fits"));
        assertEquals("fits", text(sub.receive(Packet.Publish.class).payload()));
    }
}
