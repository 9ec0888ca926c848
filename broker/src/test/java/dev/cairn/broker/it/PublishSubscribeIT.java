package dev.cairn.broker.it;

import static dev.cairn.broker.testing.Packets.subscribe5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUBLISH, SUBSCRIBE and UNSUBSCRIBE (sections 3.3, 3.8, 3.10, 4.3, 4.7): QoS flows both ways in
 * both versions, QoS downgrade, ordering, wildcards and $-topics, reason codes per filter,
 * overlapping subscriptions, and the 5.0 subscription options and identifiers. Absence is proven
 * with a fence: a later message that must arrive first if the absent one had been sent.
 */
class PublishSubscribeIT extends Clients {

    private static Packet.Subscription option(String filter, QoS qos) {
        return new Packet.Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void messagesFlowAtEachQosFromMqtt311ToMqtt5AndBack(int qos) throws Exception {
        TestBroker broker = broker();
        Received at5 = new Received();
        Received at3 = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient v5 = paho5(broker, "v5", at5);
        org.eclipse.paho.client.mqttv3.MqttClient v3 = paho3(broker, "v3", at3);
        v5.subscribe("to5", 2);
        v3.subscribe("to3", 2);
        // Act: each publishes at the QoS under test; Paho completes the QoS 1/2 handshakes (4.3.2, 4.3.3).
        v3.publish("to5", utf8("from 3.1.1"), qos, false);
        v5.publish("to3", utf8("from 5.0"), qos, false);
        // Assert: delivered once each, at the published QoS [MQTT-4.3.2-1], [MQTT-4.3.3-1].
        assertEquals(qos, at5.expect("to5", "from 3.1.1").qos());
        assertEquals(qos, at3.expect("to3", "from 5.0").qos());
    }

    @Test
    void qos2HandshakeWithTheBrokerInBothDirections() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribeRaw(sub, 1, "q2", QoS.EXACTLY_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act and assert, inbound: PUBLISH -> PUBREC, PUBREL -> PUBCOMP (section 4.3.3).
        pub.send(publish("q2", QoS.EXACTLY_ONCE, 7, "once"));
        assertEquals(7, pub.receive(Packet.PubRec.class).packetId());
        pub.send(new Packet.PubRel(7, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(7, pub.receive(Packet.PubComp.class).packetId());
        // Outbound: PUBLISH -> our PUBREC -> PUBREL [MQTT-4.3.3-4] -> our PUBCOMP.
        Packet.Publish got = sub.receive(Packet.Publish.class);
        assertEquals(QoS.EXACTLY_ONCE, got.qos());
        sub.send(new Packet.PubRec(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(got.packetId(), sub.receive(Packet.PubRel.class).packetId());
        sub.send(new Packet.PubComp(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        // A re-sent PUBLISH with the same id before PUBREL is not routed twice [MQTT-4.3.3-10].
        pub.send(publish("q2", QoS.EXACTLY_ONCE, 8, "dup"));
        pub.receive(Packet.PubRec.class);
        pub.send(new Packet.Publish("q2", QoS.EXACTLY_ONCE, false, true, 8, Properties.EMPTY, utf8("dup")));
        pub.receive(Packet.PubRec.class);
        pub.send(new Packet.PubRel(8, ReasonCode.SUCCESS, Properties.EMPTY));
        pub.receive(Packet.PubComp.class);
        pub.send(publish("q2", QoS.AT_MOST_ONCE, 0, "fence"));
        assertEquals("dup", text(sub.receive(Packet.Publish.class).payload()));
        assertEquals("fence", text(sub.receive(Packet.Publish.class).payload()));
    }

    @Test
    void deliveryIsDowngradedToTheGrantedQos() throws Exception {
        TestBroker broker = broker();
        Received q0 = new Received();
        Received q1 = new Received();
        paho3(broker, "q0", q0).subscribe("down", 0);
        paho5(broker, "q1", q1).subscribe("down", 1);
        // Act
        paho5(broker, "pub", null).publish("down", utf8("two"), 2, false);
        // Assert: min(published, granted) [MQTT-3.8.4-8], [MQTT-3.8.4-6] (3.1.1).
        assertEquals(0, q0.expect("down", "two").qos());
        assertEquals(1, q1.expect("down", "two").qos());
    }

    @Test
    void messagesFromOnePublisherOnOneTopicArriveInOrder() throws Exception {
        TestBroker broker = broker();
        Received sub = new Received();
        paho5(broker, "sub", sub).subscribe("ordered", 1);
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub", null);
        // Act: one QoS, since Paho hands QoS 2 messages over on PUBREL and QoS 1 ones on PUBLISH.
        for (int i = 0; i < 200; i++) {
            pub.publish("ordered", utf8("m" + i), 1, false);
        }
        // Assert [MQTT-4.6.0-6].
        for (int i = 0; i < 200; i++) {
            sub.expect("ordered", "m" + i);
        }
    }

    @Test
    void singleAndMultiLevelWildcardsMatch() throws Exception {
        TestBroker broker = broker();
        Received sub = new Received();
        paho3(broker, "sub", sub).subscribe(new String[] {"sport/+/score", "news/#"}, new int[] {1, 1});
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub", null);
        // Act
        for (String topic : List.of(
                "sport/tennis/score",
                "sport/score",
                "sport/tennis/set/score",
                "news",
                "news/eu/fr",
                "newsroom",
                "sport/golf/score")) {
            pub.publish(topic, utf8(topic), 1, false);
        }
        // Assert: '+' is exactly one level [MQTT-4.7.1-3], '#' includes the parent [MQTT-4.7.1-2].
        List<String> topics = new ArrayList<>();
        for (Received.Msg m : sub.next(4)) {
            topics.add(m.topic());
        }
        assertEquals(List.of("sport/tennis/score", "news", "news/eu/fr", "sport/golf/score"), topics);
        pub.publish("news/fence", utf8("fence"), 1, false);
        sub.expect("news/fence", "fence");
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics() throws Exception {
        TestBroker broker = broker();
        Received wild = new Received();
        Received explicit = new Received();
        paho5(broker, "wild", wild).subscribe(new String[] {"#", "+/status"}, new int[] {1, 1});
        paho5(broker, "explicit", explicit).subscribe("$app/#", 1);
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        // Act
        pub.publish("$app/status", utf8("dollar"), 1, false);
        pub.publish("plain/status", utf8("plain"), 1, false);
        // Assert [MQTT-4.7.2-1]: '#' and '+/status' skip $app/status, which '$app/#' matches.
        explicit.expect("$app/status", "dollar");
        wild.expect("plain/status", "plain");
        assertTrue(wild.drain().isEmpty(), "one delivery for two overlapping matches");
    }

    @Test
    void subAckCarriesAReasonCodeForEachFilterInBothVersions() throws Exception {
        TestBroker broker = broker();
        Packet.Subscribe mixed = new Packet.Subscribe(
                3,
                List.of(
                        option("ok/1", QoS.AT_LEAST_ONCE),
                        option("l/".repeat(128) + "l", QoS.AT_LEAST_ONCE),
                        option("ok/2", QoS.EXACTLY_ONCE)),
                Properties.EMPTY);
        RawMqttClient v5 = raw(broker, ProtocolVersion.MQTT_5, "v5");
        RawMqttClient v3 = raw(broker, ProtocolVersion.MQTT_3_1_1, "v3");
        // Act
        v5.send(mixed);
        v3.send(mixed);
        // Assert: one code per filter, in order [MQTT-3.8.4-6], [MQTT-3.9.3-1]; a well-formed filter
        // over topic_levels_max (128 by default) is 0x8F in 5.0 and 0x80 (Failure) in 3.1.1
        // [MQTT-3.9.3-2] (3.1.1). A malformed one would end the connection instead.
        Packet.SubAck ack5 = v5.receive(Packet.SubAck.class);
        assertEquals(3, ack5.packetId());
        assertEquals(
                List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.GRANTED_QOS_2),
                ack5.reasons());
        List<ReasonCode> ack3 = v3.receive(Packet.SubAck.class).reasons();
        assertEquals(ReasonCode.GRANTED_QOS_1, ack3.get(0));
        assertEquals(0x80, ack3.get(1).value());
        assertEquals(ReasonCode.GRANTED_QOS_2, ack3.get(2));
    }

    @Test
    void unsubscribeStopsDeliveryAndUnsubAckSaysWhenNoSubscriptionExisted() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribeRaw(sub, 1, "gone", QoS.AT_MOST_ONCE);
        subscribeRaw(sub, 2, "kept", QoS.AT_MOST_ONCE);
        // Act
        sub.send(new Packet.Unsubscribe(3, List.of("gone", "never"), Properties.EMPTY));
        // Assert: 0x00 for the one that existed, 0x11 for the other (section 3.11.3) [MQTT-3.10.4-5].
        Packet.UnsubAck ack = sub.receive(Packet.UnsubAck.class);
        assertEquals(3, ack.packetId());
        assertEquals(List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), ack.reasons());
        // And nothing more arrives on the removed filter [MQTT-3.10.4-1]; the fence comes first.
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish("gone", QoS.AT_MOST_ONCE, 0, "late"));
        pub.send(publish("kept", QoS.AT_MOST_ONCE, 0, "fence"));
        assertEquals("kept", sub.receive(Packet.Publish.class).topic());
    }

    @Test
    void overlappingSubscriptionsGiveOneDeliveryWithTheHighestQosAndEverySubscriptionIdentifier() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        sub.send(subscribe5(1, 11, option("home/+", QoS.AT_MOST_ONCE)));
        sub.receive(Packet.SubAck.class);
        sub.send(subscribe5(2, 22, option("home/#", QoS.EXACTLY_ONCE)));
        sub.receive(Packet.SubAck.class);
        sub.send(subscribe5(3, 0, option("home/kitchen", QoS.AT_LEAST_ONCE)));
        sub.receive(Packet.SubAck.class);
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "pub").send(publish("home/kitchen", QoS.EXACTLY_ONCE, 1, "hot"));
        // Assert: one PUBLISH at QoS 2 [MQTT-3.3.4-2] with identifiers 11 and 22 [MQTT-3.3.4-3].
        Packet.Publish got = sub.receive(Packet.Publish.class);
        assertEquals(QoS.EXACTLY_ONCE, got.qos());
        assertEquals(
                List.of(11, 22),
                got.properties().subscriptionIdentifiers().stream().sorted().toList());
        sub.send(new Packet.PubRec(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(got.packetId(), sub.receive(Packet.PubRel.class).packetId());
    }

    @Test
    void subscriptionIdentifierIsDeliveredOnlyWithMessagesMatchingThatSubscription() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        sub.send(subscribe5(1, 42, option("tagged/#", QoS.AT_MOST_ONCE)));
        sub.receive(Packet.SubAck.class);
        subscribeRaw(sub, 2, "untagged", QoS.AT_MOST_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        pub.send(publish("tagged/a", QoS.AT_MOST_ONCE, 0, "a"));
        pub.send(publish("untagged", QoS.AT_MOST_ONCE, 0, "b"));
        // Assert [MQTT-3.3.4-3], section 3.8.2.1.2.
        assertEquals(List.of(42), sub.receive(Packet.Publish.class).properties().subscriptionIdentifiers());
        assertEquals(List.of(), sub.receive(Packet.Publish.class).properties().subscriptionIdentifiers());
    }

    @Test
    void noLocalSubscriptionDoesNotReceiveTheClientsOwnMessages() throws Exception {
        TestBroker broker = broker();
        Received self = new Received();
        Received other = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient talker = paho5(broker, "talker", self);
        MqttSubscription noLocal = new MqttSubscription("chat", 1);
        noLocal.setNoLocal(true);
        talker.subscribe(new MqttSubscription[] {noLocal, new MqttSubscription("echo", 1)});
        paho5(broker, "other", other).subscribe("chat", 1);
        // Act
        talker.publish("chat", utf8("hello"), 1, false);
        talker.publish("echo", utf8("fence"), 1, false);
        // Assert [MQTT-3.8.3-3]: others get it, the publisher does not; its fence comes first.
        other.expect("chat", "hello");
        self.expect("echo", "fence");
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveDeliveries() throws Exception {
        TestBroker broker = broker();
        RawMqttClient keeps = raw(broker, ProtocolVersion.MQTT_5, "keeps");
        keeps.send(subscribe5(
                1, 0, new Packet.Subscription("rap", QoS.AT_MOST_ONCE, false, true, RetainHandling.DO_NOT_SEND)));
        keeps.receive(Packet.SubAck.class);
        RawMqttClient clears = raw(broker, ProtocolVersion.MQTT_5, "clears");
        clears.send(subscribe5(
                1, 0, new Packet.Subscription("rap", QoS.AT_MOST_ONCE, false, false, RetainHandling.DO_NOT_SEND)));
        clears.receive(Packet.SubAck.class);
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "pub")
                .send(new Packet.Publish("rap", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, utf8("r")));
        // Assert [MQTT-3.3.1-13] and [MQTT-3.3.1-12].
        assertTrue(keeps.receive(Packet.Publish.class).retain());
        assertFalse(clears.receive(Packet.Publish.class).retain());
    }

    @Test
    void retainHandlingDecidesWhetherRetainedMessagesAreSentOnSubscribe() throws Exception {
        TestBroker broker = broker();
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(new Packet.Publish("rh/t", QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY, utf8("kept")));
        pub.receive(Packet.PubAck.class);
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        for (RetainHandling handling : RetainHandling.values()) {
            // Act: subscribe twice with the same option; the second is not a new subscription.
            for (int attempt = 0; attempt < 2; attempt++) {
                sub.send(subscribe5(
                        10 + attempt, 0, new Packet.Subscription("rh/#", QoS.AT_MOST_ONCE, false, false, handling)));
                sub.receive(Packet.SubAck.class);
                pub.send(publish("rh/fence", QoS.AT_MOST_ONCE, 0, "fence"));
                // Assert: 0 always sends [MQTT-3.3.1-9], 1 only when new [MQTT-3.3.1-10], 2 never [MQTT-3.3.1-11].
                boolean expected = handling == RetainHandling.SEND_ON_SUBSCRIBE
                        || handling == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && attempt == 0;
                Packet.Publish first = sub.receive(Packet.Publish.class);
                if (expected) {
                    assertEquals("rh/t", first.topic(), handling + " attempt " + attempt);
                    assertTrue(first.retain());
                    first = sub.receive(Packet.Publish.class);
                }
                assertEquals("rh/fence", first.topic(), handling + " attempt " + attempt);
            }
            sub.send(new Packet.Unsubscribe(20, List.of("rh/#"), Properties.EMPTY));
            sub.receive(Packet.UnsubAck.class);
        }
    }

    @Test
    void payloadAndTopicArriveByteForByte() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_3_1_1, "sub");
        subscribeRaw(sub, 1, "bin/ü/✓", QoS.AT_MOST_ONCE);
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        // Act
        raw(broker, ProtocolVersion.MQTT_5, "pub")
                .send(new Packet.Publish("bin/ü/✓", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, payload));
        // Assert: the payload is passed on unchanged (section 3.3.3), between versions too.
        Packet.Publish got = sub.receive(Packet.Publish.class);
        assertEquals("bin/ü/✓", got.topic());
        assertArrayEquals(payload, got.payload());
    }
}
