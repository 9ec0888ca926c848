package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.core.BrokerStats;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Goal: a session's queue is bounded in messages (queued_messages_max) and bytes
 * (queued_bytes_max, topic UTF-8 plus payload), and queue_overflow decides what a full queue does
 * to a QoS 1/2 PUBLISH. With reject (the default) the PUBLISH is refused before it is journaled or
 * acknowledged, so nothing acknowledged is ever dropped for a full queue; with drop-new it is
 * acknowledged and the full session does without it. Method: a real broker, an offline persistent
 * subscriber whose queue is filled to the limit, raw clients for exact acknowledgements (and the
 * HiveMQ client as a real 5.0 publisher); what the subscriber gets after reconnecting shows what
 * was queued, a marker message published last shows that nothing else was.
 */
class QueueOverflowIT extends Clients {
    private static final Packet.Connect AWAY = connect(ProtocolVersion.MQTT_5, "away", false, sessionExpiry(600));

    @Test
    @DisplayName(
            "reject, queue full by messages: 5.0 QoS 1 gets PUBACK 0x97 and QoS 2 PUBREC 0x97 [MQTT-3.4.2-1] [MQTT-3.5.2-1]")
    void rejectAnswersQuotaExceededForQos1AndQos2WhenTheQueueHoldsQueuedMessagesMax() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "3"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        List<String> accepted = List.of("m1", "m2", "m3");
        int id = 1;
        for (String m : accepted) {
            assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", id++, m));
        }
        // Act
        ReasonCode qos1 = publishQos1(pub, "q", id++, "refused-1");
        int qos2Id = id++;
        pub.send(publish("q", QoS.EXACTLY_ONCE, qos2Id, "refused-2"));
        Packet.PubRec qos2 = pub.receive(Packet.PubRec.class);
        // Assert
        assertEquals(ReasonCode.QUOTA_EXCEEDED, qos1);
        assertEquals(qos2Id, qos2.packetId());
        assertEquals(ReasonCode.QUOTA_EXCEEDED, qos2.reason());
        // A PUBREC of 0x80 or above ends the QoS 2 flow (section 4.3.3): the id is not awaiting PUBREL.
        pub.send(new Packet.PubRel(qos2Id, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(
                ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                pub.receive(Packet.PubComp.class).reason());
        BrokerStats stats = broker.stats();
        assertEquals(2, stats.messagesRejectedQueueFull());
        assertEquals(0, stats.messagesDroppedQueueFull());
        assertReceivesExactly(broker, pub, accepted);
    }

    @Test
    @DisplayName(
            "reject, queue full by bytes: 0x97 for QoS 1 and QoS 2 once topic + payload would pass queued_bytes_max [MQTT-3.4.2-1] [MQTT-3.5.2-1]")
    void rejectAnswersQuotaExceededWhenTheMessageWouldPassQueuedBytesMax() throws Exception {
        TestBroker broker = broker(Map.of("queued_bytes_max", "40"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        List<String> accepted = List.of("m1-456789", "m2-456789", "m3-456789", "m4-45678"); // 10, 10, 10, 9 bytes
        int id = 1;
        for (String m : accepted) {
            assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", id++, m));
        }
        // Act: 39 bytes are queued; a 2-byte message would make 41.
        ReasonCode qos1 = publishQos1(pub, "q", id++, "x");
        pub.send(publish("q", QoS.EXACTLY_ONCE, id++, "y"));
        ReasonCode qos2 = pub.receive(Packet.PubRec.class).reason();
        // Assert
        assertEquals(ReasonCode.QUOTA_EXCEEDED, qos1);
        assertEquals(ReasonCode.QUOTA_EXCEEDED, qos2);
        assertEquals(2, broker.stats().messagesRejectedQueueFull());
        assertReceivesExactly(broker, pub, accepted);
    }

    @Test
    @DisplayName("reject: a refused retained PUBLISH does not replace the retained message [MQTT-3.3.1-5]")
    void aRefusedRetainedPublishLeavesTheRetainedMessageAsItWas() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "1"));
        offlineSubscriber(broker, "r");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(new Packet.Publish("r", QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY, utf8("kept")));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
        // Act
        pub.send(new Packet.Publish("r", QoS.AT_LEAST_ONCE, true, false, 2, Properties.EMPTY, utf8("refused")));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, pub.receive(Packet.PubAck.class).reason());
        // Assert: a new subscriber gets the retained message that was accepted.
        RawMqttClient late = raw(broker, ProtocolVersion.MQTT_5, "late");
        subscribeRaw(late, 1, "r", QoS.AT_MOST_ONCE);
        Packet.Publish retained = late.receive(Packet.Publish.class);
        assertEquals("kept", text(retained.payload()));
    }

    @Test
    @DisplayName("reject, 3.1.1 publisher: no negative ack exists, so the connection is closed without PUBACK")
    void rejectClosesAnMqtt311PublishersConnectionWithoutAcknowledging() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "1"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_3_1_1, "pub311");
        assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", 1, "m1"));
        // Act
        pub.send(publish("q", QoS.AT_LEAST_ONCE, 2, "refused"));
        // Assert: closed, and not one byte (no PUBACK) before the close.
        assertEquals(0, pub.awaitClose(TIMEOUT).size());
        assertEquals(1, broker.stats().messagesRejectedQueueFull());
        // The same happens for QoS 2: no PUBREC.
        RawMqttClient again = raw(broker, ProtocolVersion.MQTT_3_1_1, "pub311");
        again.send(publish("q", QoS.EXACTLY_ONCE, 3, "refused-2"));
        assertEquals(0, again.awaitClose(TIMEOUT).size());
        assertReceivesExactly(broker, raw(broker, ProtocolVersion.MQTT_5, "pub5"), List.of("m1"));
    }

    @Test
    @DisplayName("reject: the HiveMQ 5.0 client sees its QoS 1 publish fail with PUBACK Quota exceeded")
    void aRealMqtt5ClientSeesQuotaExceeded() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "1"));
        offlineSubscriber(broker, "q");
        Mqtt5BlockingClient pub = hive5(broker, "hive-pub");
        pub.connect();
        pub.publishWith()
                .topic("q")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("m1"))
                .send();
        // Act
        Mqtt5PubAckException refused = assertThrows(
                Mqtt5PubAckException.class,
                () -> pub.publishWith()
                        .topic("q")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(utf8("refused"))
                        .send());
        // Assert
        assertEquals(
                Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refused.getMqttMessage().getReasonCode());
        assertReceivesExactly(broker, raw(broker, ProtocolVersion.MQTT_5, "pub5"), List.of("m1"));
    }

    @Test
    @DisplayName(
            "reject: a connected clean-session subscriber whose in-memory queue is full refuses nothing; QoS 1 and QoS 0 are not queued for it")
    void aConnectedNonPersistentSubscriberWithAFullMemoryQueueIsSkippedNotRefused() throws Exception {
        TestBroker broker = broker(Map.of("inflight_outbound_max", "1", "queued_messages_in_memory_max", "2"));
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "slow"); // clean start, expiry 0: memory only
        subscribeRaw(sub, 1, "q", QoS.AT_LEAST_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        for (int i = 1; i <= 3; i++) { // one in flight (never acknowledged), two waiting in memory
            assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", i, "m" + i));
        }
        // Act
        ReasonCode qos1 = publishQos1(pub, "q", 4, "not queued");
        pub.send(publish("q", QoS.AT_MOST_ONCE, 0, "qos0"));
        FlowControlIT.expectNothingMore(pub); // No answer to QoS 0, and the connection stays open.
        // Assert: its queue holds nothing durable (the session ends with the connection), so a
        // full one holds up no publisher.
        assertEquals(ReasonCode.SUCCESS, qos1);
        BrokerStats stats = broker.stats();
        assertEquals(0, stats.messagesRejectedQueueFull());
        assertEquals(2, stats.messagesDroppedQueueFull(), "the QoS 1 and the QoS 0 message are not queued for it");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Packet.Publish p = sub.receive(Packet.Publish.class);
            got.add(text(p.payload()));
            sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
        assertEquals(List.of("m1", "m2", "m3"), got);
        FlowControlIT.expectNothingMore(sub);
    }

    @Test
    @DisplayName(
            "drop-new: acknowledged, not queued for the full session, counted; the dropped do not return after a restart")
    void dropNewAcknowledgesCountsAndDoesNotQueueEvenAcrossARestart() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "3", "queue_overflow", "drop-new"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        for (int i = 1; i <= 6; i++) {
            assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", i, "m" + i), "m" + i + " is acknowledged");
        }
        // Assert
        BrokerStats stats = broker.stats();
        assertEquals(3, stats.messagesDroppedQueueFull());
        assertEquals(0, stats.messagesRejectedQueueFull());
        broker.restart();
        assertReceivesExactly(broker, raw(broker, ProtocolVersion.MQTT_5, "pub-after"), List.of("m1", "m2", "m3"));
    }

    @Test
    @DisplayName(
            "the byte count survives a restart: filled to just under queued_bytes_max, one more is refused after it")
    void byteAccountingSurvivesARestart() throws Exception {
        TestBroker broker = broker(Map.of("queued_bytes_max", "50"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        List<String> accepted = new ArrayList<>(List.of(
                "a-3456789", "b-3456789", "c-3456789", "d-3456789", "e-345678")); // 10, 10, 10, 10 and 9 bytes: 49
        int id = 1;
        for (String m : accepted) {
            assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", id++, m));
        }
        // Act
        broker.restart();
        RawMqttClient after = raw(broker, ProtocolVersion.MQTT_5, "pub");
        ReasonCode twoBytes = publishQos1(after, "q", 1, "x");
        ReasonCode oneByte = publishQos1(after, "q", 2, "");
        // Assert: 49 + 2 > 50 is refused, 49 + 1 fits exactly.
        assertEquals(ReasonCode.QUOTA_EXCEEDED, twoBytes);
        assertEquals(ReasonCode.SUCCESS, oneByte);
        accepted.add("");
        assertReceivesExactly(broker, after, accepted);
    }

    @Test
    @DisplayName("after a restart, messages in flight count against no limit; the waiting ones do")
    void inFlightMessagesDoNotCountAfterARestart() throws Exception {
        TestBroker broker = broker(Map.of("queued_bytes_max", "20"));
        offlineSubscriber(broker, "q");
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", 1, "a-3456789"));
        assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", 2, "b-3456789"));
        RawMqttClient sub = raw(broker, AWAY);
        sub.receive(Packet.Publish.class); // Both sent, neither acknowledged: in flight.
        sub.receive(Packet.Publish.class);
        sub.close();
        // Act
        broker.restart();
        RawMqttClient after = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Assert: the queue is empty; 20 bytes fit, the next byte does not.
        assertEquals(ReasonCode.SUCCESS, publishQos1(after, "q", 1, "c-3456789"));
        assertEquals(ReasonCode.SUCCESS, publishQos1(after, "q", 2, "d-3456789"));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, publishQos1(after, "q", 3, ""));
    }

    @Test
    @DisplayName("a shared subscription passes over a member whose queue is full [MQTT-4.8.2-1]")
    void aSharedGroupGivesTheMessageToAMemberWithRoom() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "1"));
        Packet.Connect first = connect(ProtocolVersion.MQTT_5, "first", false, sessionExpiry(600));
        Packet.Connect second = connect(ProtocolVersion.MQTT_5, "second", false, sessionExpiry(600));
        for (Packet.Connect member : List.of(first, second)) {
            RawMqttClient c = raw(broker, member);
            subscribeRaw(c, 1, "$share/g/s", QoS.AT_LEAST_ONCE);
            c.close();
        }
        RawMqttClient firstAgain = raw(broker, first); // The round robin starts with "first": fill its queue.
        subscribeRaw(firstAgain, 2, "other", QoS.AT_LEAST_ONCE);
        firstAgain.close();
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "other", 1, "fills first"));
        // Act
        ReasonCode shared = publishQos1(pub, "s", 2, "for the group");
        // Assert: accepted, and queued for the member with room.
        assertEquals(ReasonCode.SUCCESS, shared);
        RawMqttClient secondAgain = raw(broker, second);
        assertEquals("for the group", receiveAndAcknowledge(secondAgain));
    }

    /** A persistent MQTT 5 session subscribed to {@code filter} at QoS 2, then disconnected. */
    private void offlineSubscriber(TestBroker broker, String filter) throws IOException {
        try (RawMqttClient sub = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            sub.send(AWAY);
            assertEquals(ReasonCode.SUCCESS, sub.receive(Packet.ConnAck.class).reason());
            subscribeRaw(sub, 1, filter, QoS.EXACTLY_ONCE);
            sub.send(new Packet.Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
            sub.awaitClose(TIMEOUT);
        }
    }

    private static ReasonCode publishQos1(RawMqttClient pub, String topic, int packetId, String payload)
            throws IOException {
        pub.send(publish(topic, QoS.AT_LEAST_ONCE, packetId, payload));
        Packet.PubAck ack = pub.receive(Packet.PubAck.class);
        assertEquals(packetId, ack.packetId());
        return ack.reason();
    }

    /**
     * Reconnects the subscriber and checks that it receives exactly {@code expected}, in order: a
     * marker published afterwards through {@code pub} must be the next message, so nothing else
     * was queued [MQTT-4.6.0-6].
     */
    private void assertReceivesExactly(TestBroker broker, RawMqttClient pub, List<String> expected) throws IOException {
        RawMqttClient sub = raw(broker, AWAY);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            got.add(receiveAndAcknowledge(sub));
        }
        assertEquals(expected, got);
        assertEquals(ReasonCode.SUCCESS, publishQos1(pub, "q", 999, "marker"));
        assertEquals("marker", receiveAndAcknowledge(sub), "nothing but the accepted messages was queued");
    }

    private static String receiveAndAcknowledge(RawMqttClient sub) throws IOException {
        Packet.Publish p = sub.receive(Packet.Publish.class);
        assertFalse(p.dup(), "first delivery");
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        } else if (p.qos() == QoS.EXACTLY_ONCE) {
            sub.send(new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            sub.receive(Packet.PubRel.class);
            sub.send(new Packet.PubComp(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
        return text(p.payload());
    }
}
