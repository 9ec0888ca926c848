package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.Packets;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A session with a non-shared subscription and a shared one that both match, or in two shared
 * groups that both pick it, gets one delivery per subscription that selects it (MQTT 5.0 section
 * 4.8.2: the message goes to the client by its non-shared subscription and, independently, to
 * one member of each shared group). Each copy carries the QoS and the Subscription Identifier of
 * its own subscription [MQTT-3.3.4-3], and each is its own queue entry: queued while the session
 * is offline, kept over a restart, and removed by its own PUBACK or PUBCOMP. Absence is proven
 * with a fence: a later message that must arrive first if the absent one had been sent.
 */
class SharedCopiesIT extends Clients {
    private static final Packet.Connect BOTH = connect(ProtocolVersion.MQTT_5, "both", false, sessionExpiry(600));

    private static Packet.Subscribe subscribe5(int packetId, int subscriptionId, String filter, QoS qos) {
        return Packets.subscribe5(
                packetId,
                subscriptionId,
                new Packet.Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE));
    }

    private static void subscribe(RawMqttClient c, int packetId, int subscriptionId, String filter, QoS qos)
            throws IOException {
        c.send(subscribe5(packetId, subscriptionId, filter, qos));
        assertEquals(
                List.of(ReasonCode.granted(qos)), c.receive(Packet.SubAck.class).reasons(), filter);
    }

    /** {@code x/y} at QoS 1 with identifier 1, {@code $share/g/x/y} at QoS 2 with identifier 2, and the fence. */
    private static void subscribeDirectAndShared(RawMqttClient c) throws IOException {
        subscribe(c, 1, 1, "x/y", QoS.AT_LEAST_ONCE);
        subscribe(c, 2, 2, "$share/g/x/y", QoS.EXACTLY_ONCE);
        subscribe(c, 3, 3, "fence", QoS.AT_LEAST_ONCE);
    }

    /** Two PUBLISHes of {@code payload}, lowest QoS first. */
    private static List<Packet.Publish> twoCopies(RawMqttClient c, String payload) throws IOException {
        List<Packet.Publish> copies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Packet.Publish p = c.receive(Packet.Publish.class);
            assertEquals("x/y", p.topic());
            assertEquals(payload, text(p.payload()), "copy " + i);
            copies.add(p);
        }
        copies.sort(Comparator.comparing(p -> p.qos().value()));
        return copies;
    }

    /** The persistent session "both" subscribes (see {@link #subscribeDirectAndShared}) and goes offline. */
    private void offlineWithBothSubscriptions(TestBroker broker) throws IOException {
        RawMqttClient first = raw(broker, BOTH);
        subscribeDirectAndShared(first);
        first.close();
    }

    /** The copy by {@code x/y} (QoS 1, identifier 1) and the group's (QoS 2, identifier 2), in that order. */
    private static List<Packet.Publish> directAndSharedCopies(RawMqttClient c, String payload) throws IOException {
        List<Packet.Publish> copies = twoCopies(c, payload);
        assertCopy(copies.get(0), QoS.AT_LEAST_ONCE, 1);
        assertCopy(copies.get(1), QoS.EXACTLY_ONCE, 2);
        return copies;
    }

    private static void assertCopy(Packet.Publish p, QoS qos, int subscriptionId) {
        assertEquals(qos, p.qos(), "QoS of " + p);
        assertEquals(List.of(subscriptionId), p.properties().subscriptionIdentifiers(), "identifiers of " + p);
    }

    /** Publishes the fence and asserts it is the next PUBLISH the client gets (acknowledging it). */
    private void assertNothingBeforeTheFence(TestBroker broker, RawMqttClient c, String what) throws IOException {
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "fence-pub");
        pub.send(publish("fence", QoS.AT_LEAST_ONCE, 1, "fence"));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
        Packet.Publish next = c.receive(Packet.Publish.class);
        assertEquals("fence", next.topic(), what + ": got " + next);
        c.send(new Packet.PubAck(next.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        pub.close();
    }

    private void publishQos2(TestBroker broker, String payload) throws IOException {
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        pub.send(publish("x/y", QoS.EXACTLY_ONCE, 1, payload));
        assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubRec.class).reason());
        pub.send(new Packet.PubRel(1, ReasonCode.SUCCESS, Properties.EMPTY));
        pub.receive(Packet.PubComp.class);
        pub.close();
    }

    private static void completeQos2(RawMqttClient c, int packetId) throws IOException {
        c.send(new Packet.PubRec(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(packetId, c.receive(Packet.PubRel.class).packetId());
        c.send(new Packet.PubComp(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
    }

    @Test
    @DisplayName(
            "a live client gets one copy by its subscription and one as the group's pick, each with its own QoS and identifier")
    void liveClientGetsTheDirectCopyAndTheSharedPick() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribeDirectAndShared(sub);
        // Act
        publishQos2(broker, "m");
        // Assert: section 4.8.2; the non-shared copy at the subscription's QoS 1 with identifier 1,
        // the group's at QoS 2 with identifier 2 [MQTT-3.3.4-3], and no third.
        assertTwoCopiesThenNothing(broker, sub, "m", 1, 2);
    }

    /**
     * Two copies of {@code payload}, one at QoS 1 with identifier {@code qos1Id} and one at QoS 2
     * with {@code qos2Id}; acknowledges both, then proves no third copy comes.
     */
    private void assertTwoCopiesThenNothing(
            TestBroker broker, RawMqttClient sub, String payload, int qos1Id, int qos2Id) throws IOException {
        List<Packet.Publish> copies = twoCopies(sub, payload);
        assertCopy(copies.get(0), QoS.AT_LEAST_ONCE, qos1Id);
        assertCopy(copies.get(1), QoS.EXACTLY_ONCE, qos2Id);
        sub.send(new Packet.PubAck(copies.get(0).packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        completeQos2(sub, copies.get(1).packetId());
        assertNothingBeforeTheFence(broker, sub, "a third copy");
    }

    @Test
    @DisplayName("a client in two shared groups that both pick it gets one copy per group")
    void clientInTwoGroupsGetsOneCopyPerGroup() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(broker, ProtocolVersion.MQTT_5, "sub");
        subscribe(sub, 1, 5, "$share/a/x/y", QoS.AT_LEAST_ONCE);
        subscribe(sub, 2, 6, "$share/b/x/#", QoS.EXACTLY_ONCE);
        subscribe(sub, 3, 3, "fence", QoS.AT_LEAST_ONCE);
        // Act
        publishQos2(broker, "g");
        // Assert
        assertTwoCopiesThenNothing(broker, sub, "g", 5, 6);
    }

    @Test
    @DisplayName("a real client (Paho 5) subscribed to x/y and $share/g/x/y receives two copies")
    void pahoClientReceivesBothCopies() throws Exception {
        TestBroker broker = broker();
        Received received = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient sub = paho5(broker, "paho-sub", received);
        sub.subscribe("x/y", 1);
        sub.subscribe("$share/g/x/y", 2);
        sub.subscribe("fence", 0);
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "paho-pub", null);
        // Act
        pub.publish("x/y", utf8("both"), 2, false);
        pub.publish("fence", utf8("fence"), 0, false);
        // Assert
        List<Received.Msg> got = received.next(3);
        assertEquals(
                List.of("both", "both", "fence"),
                got.stream().map(Received.Msg::payload).toList());
        assertEquals(
                List.of(1, 2),
                got.subList(0, 2).stream().map(Received.Msg::qos).sorted().toList());
    }

    @Test
    @DisplayName(
            "an offline persistent session gets both copies queued and delivered on reconnect; each ack removes its own")
    void offlineSessionGetsBothCopiesOnReconnect() throws Exception {
        TestBroker broker = broker();
        offlineWithBothSubscriptions(broker);
        // Act
        publishQos2(broker, "queued");
        RawMqttClient back = raw(broker, BOTH);
        // Assert
        List<Packet.Publish> copies = directAndSharedCopies(back, "queued");
        assertTrue(copies.get(0).packetId() != copies.get(1).packetId(), "two packet ids");
        back.send(new Packet.PubAck(copies.get(0).packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        completeQos2(back, copies.get(1).packetId());
        back.close();
        // Both acknowledged: nothing is re-sent on the next connection.
        RawMqttClient again = raw(broker, BOTH);
        assertNothingBeforeTheFence(broker, again, "an acknowledged copy re-sent");
    }

    @Test
    @DisplayName("each copy takes a place in the queue: with room for one, a message needing two is refused (0x97)")
    void eachCopyCountsAgainstTheQueueLimit() throws Exception {
        TestBroker broker = broker(java.util.Map.of("queued_messages_max", "1"));
        offlineWithBothSubscriptions(broker);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        pub.send(publish("x/y", QoS.AT_LEAST_ONCE, 1, "needs two places"));
        // Assert: queue_overflow reject refuses it as a whole (docs/durability.md, "Queue limits").
        assertEquals(ReasonCode.QUOTA_EXCEEDED, pub.receive(Packet.PubAck.class).reason());
        RawMqttClient back = raw(broker, BOTH);
        assertNothingBeforeTheFence(broker, back, "a refused message queued");
    }

    @Test
    @DisplayName("both copies survive a restart; each ack removes its own entry, across restarts too [MQTT-4.4.0-1]")
    void bothCopiesSurviveARestartAndEachAckRemovesItsOwnEntry() throws Exception {
        TestBroker broker = broker();
        offlineWithBothSubscriptions(broker);
        publishQos2(broker, "kept");
        // Act
        broker.restart();
        RawMqttClient back = raw(broker, BOTH);
        // Assert: both copies, each with its own QoS and identifier.
        List<Packet.Publish> copies = directAndSharedCopies(back, "kept");
        // The QoS 1 copy is acknowledged, the QoS 2 copy only received (PUBREC, PUBREL back).
        back.send(new Packet.PubAck(copies.get(0).packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        int qos2Id = copies.get(1).packetId();
        back.send(new Packet.PubRec(qos2Id, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(qos2Id, back.receive(Packet.PubRel.class).packetId());
        back.close();
        broker.restart();
        // After the restart only the QoS 2 copy is left, waiting for PUBCOMP: its PUBREL comes again
        // [MQTT-4.4.0-1], and the acknowledged QoS 1 copy is not re-sent.
        RawMqttClient third = raw(broker, BOTH);
        Packet pubRel = third.receive();
        assertTrue(pubRel instanceof Packet.PubRel, "PUBREL re-sent first, got " + pubRel);
        assertEquals(qos2Id, ((Packet.PubRel) pubRel).packetId());
        third.send(new Packet.PubComp(qos2Id, ReasonCode.SUCCESS, Properties.EMPTY));
        assertNothingBeforeTheFence(broker, third, "the acknowledged QoS 1 copy re-sent");
        third.close();
        broker.restart();
        RawMqttClient fourth = raw(broker, BOTH);
        assertNothingBeforeTheFence(broker, fourth, "a completed copy re-sent after PUBCOMP");
    }
}
