package dev.cairn.broker.core;

import static dev.cairn.broker.core.CoreHarness.connect;
import static dev.cairn.broker.core.CoreHarness.connect5;
import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: the publish path decides who gets a message, how often, at which QoS and with which
 * flags, as the spec says: overlapping subscriptions fold into one delivery, No Local, shared
 * groups, persistent sessions that are offline, retained messages, and a full queue. Method: the
 * real core without sockets ({@link CoreHarness}); clients publish and subscribe with packets and
 * each test reads exactly what the subscribers were sent.
 */
class RouterTest {
    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    private static Packet.Subscribe subscribeWithId(
            int packetId, String filter, QoS qos, boolean noLocal, int subscriptionId) {
        return Packets.subscribe5(
                packetId,
                subscriptionId,
                new Packet.Subscription(filter, qos, noLocal, false, RetainHandling.SEND_ON_SUBSCRIBE));
    }

    @Test
    void overlappingSubscriptionsOfOneSessionGetOneCopyWithTheHighestQosAndEveryIdentifier() {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(connect5("sub", true, 0));
        core.send(sub, subscribeWithId(1, "a/+", QoS.AT_LEAST_ONCE, false, 1)).next(Packet.SubAck.class);
        core.send(sub, subscribeWithId(2, "a/#", QoS.EXACTLY_ONCE, false, 2)).next(Packet.SubAck.class);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        // Act
        core.send(pub, publish("a/b", QoS.EXACTLY_ONCE, 1, "once"));
        // Assert [MQTT-3.3.4-2], [MQTT-3.3.4-3]: one PUBLISH at QoS 2 carrying both identifiers.
        Packet.Publish got = sub.next(Packet.Publish.class);
        assertEquals(QoS.EXACTLY_ONCE, got.qos());
        assertEquals(List.of(1, 2), sorted(got.properties().subscriptionIdentifiers()));
        sub.assertNothingMore();
    }

    @Test
    void noLocalSubscriptionIsNotSentItsOwnClientsMessages() {
        core = CoreHarness.start();
        RecordingWire both = core.connect(connect5("both", true, 0));
        core.send(both, subscribeWithId(1, "chat", QoS.AT_MOST_ONCE, true, 9)).next(Packet.SubAck.class);
        RecordingWire other = core.connect(connect5("other", true, 0));
        // Act
        core.send(both, publish("chat", QoS.AT_MOST_ONCE, 0, "mine"));
        core.send(other, publish("chat", QoS.AT_MOST_ONCE, 0, "theirs"));
        // Assert [MQTT-3.8.3-3]: only the other client's message.
        assertEquals("theirs", text(both.next(Packet.Publish.class).payload()));
        both.assertNothingMore();
    }

    @Test
    void sharedGroupDeliversEachMessageToOneMemberInTurn() {
        core = CoreHarness.start();
        RecordingWire first = core.connect(connect5("first", true, 0));
        RecordingWire second = core.connect(connect5("second", true, 0));
        core.subscribe(first, "$share/g/jobs", QoS.AT_LEAST_ONCE);
        core.subscribe(second, "$share/g/jobs", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        // Act
        for (int i = 1; i <= 4; i++) {
            core.send(pub, publish("jobs", QoS.AT_MOST_ONCE, 0, "job" + i));
        }
        // Assert (MQTT 5.0 section 4.8.2): each message to exactly one member, two each.
        List<String> toFirst = payloads(first.drain());
        List<String> toSecond = payloads(second.drain());
        assertEquals(2, toFirst.size(), "first got " + toFirst);
        assertEquals(2, toSecond.size(), "second got " + toSecond);
        List<String> all = new ArrayList<>(toFirst);
        all.addAll(toSecond);
        assertEquals(List.of("job1", "job2", "job3", "job4"), sorted(all));
    }

    @Test
    void aSessionInASharedGroupAndSubscribedDirectlyGetsTwoCopies() {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(connect5("sub", true, 60));
        core.subscribe(sub, "x/y", QoS.AT_LEAST_ONCE);
        core.subscribe(sub, "$share/g/x/y", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        // Act
        core.send(pub, publish("x/y", QoS.AT_LEAST_ONCE, 1, "twice"));
        // Assert (MQTT 5.0 section 4.8.2): one copy per subscription, each its own packet id.
        Packet.Publish one = sub.next(Packet.Publish.class);
        Packet.Publish two = sub.next(Packet.Publish.class);
        assertEquals(List.of("twice", "twice"), List.of(text(one.payload()), text(two.payload())));
        assertTrue(one.packetId() != two.packetId(), "packet ids " + one.packetId() + " and " + two.packetId());
    }

    @Test
    void offlinePersistentSessionGetsItsQueuedMessagesInOrderOnResume() {
        core = CoreHarness.start();
        core.offlineSubscriber("sleeper", "offline/#", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        for (int i = 1; i <= 5; i++) {
            core.send(pub, publish("offline/t", QoS.AT_LEAST_ONCE, i, "m" + i));
            assertEquals(ReasonCode.SUCCESS, pub.next(Packet.PubAck.class).reason());
        }
        // Act
        RecordingWire back = core.resume(connect5("sleeper", false, 60));
        // Assert [MQTT-4.6.0-6]: all of them, in publish order.
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), payloads(back.drain()));
    }

    @Test
    void retainedMessageGoesToLaterSubscribersUntilAnEmptyOneClearsIt() {
        core = CoreHarness.start();
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("status", QoS.AT_LEAST_ONCE, true, 1, "up", Properties.EMPTY));
        pub.next(Packet.PubAck.class);
        // Act
        RecordingWire early = core.connect(connect5("early", true, 0));
        core.subscribe(early, "status", QoS.AT_LEAST_ONCE);
        // Assert [MQTT-3.3.1-5], [MQTT-3.3.1-9]: sent on subscribe with RETAIN=1 [MQTT-3.3.1-8].
        Packet.Publish got = early.next(Packet.Publish.class);
        assertEquals("up", text(got.payload()));
        assertTrue(got.retain());
        // Act: a zero-byte retained message.
        core.send(pub, publish("status", QoS.AT_LEAST_ONCE, true, 2, "", Properties.EMPTY));
        RecordingWire late = core.connect(connect5("late", true, 0));
        core.subscribe(late, "status", QoS.AT_LEAST_ONCE);
        // Assert [MQTT-3.3.1-6], [MQTT-3.3.1-7]: nothing retained any more.
        late.assertNothingMore();
    }

    @Test
    void qos1PublishThatAFullPersistentQueueMustTakeIsRefusedWithQuotaExceeded() {
        core = CoreHarness.start(Map.of("queued_messages_max", "2", "queue_overflow", "reject"));
        core.offlineSubscriber("slow", "q", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("q", QoS.AT_LEAST_ONCE, 1, "m1"));
        core.send(pub, publish("q", QoS.AT_LEAST_ONCE, 2, "m2"));
        // Act
        core.send(pub, publish("q", QoS.AT_LEAST_ONCE, 3, "m3"));
        // Assert: the first two accepted, the third refused with 0x97 and not stored.
        assertEquals(ReasonCode.SUCCESS, pub.next(Packet.PubAck.class).reason());
        assertEquals(ReasonCode.SUCCESS, pub.next(Packet.PubAck.class).reason());
        Packet.PubAck refused = pub.next(Packet.PubAck.class);
        assertEquals(3, refused.packetId());
        assertEquals(ReasonCode.QUOTA_EXCEEDED, refused.reason());
        assertEquals(1, core.stats().messagesRejectedQueueFull());
        RecordingWire back = core.resume(connect5("slow", false, 60));
        assertEquals(List.of("m1", "m2"), payloads(back.drain()));
    }

    @Test
    void mqtt311PublisherIsClosedWithoutAnAckWhenAFullQueueRefusesItsMessage() {
        core = CoreHarness.start(Map.of("queued_messages_max", "1", "queue_overflow", "reject"));
        core.offlineSubscriber("slow", "q", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect(ProtocolVersion.MQTT_3_1_1, "pub", true, 60, null, Properties.EMPTY));
        core.send(pub, publish("q", QoS.AT_LEAST_ONCE, 1, "m1"));
        assertEquals(1, pub.next(Packet.PubAck.class).packetId());
        // Act
        core.send(pub, publish("q", QoS.AT_LEAST_ONCE, 2, "m2"));
        // Assert: 3.1.1 has no negative PUBACK, so the connection ends without one.
        assertTrue(pub.isClosed());
        pub.assertNothingMore();
    }

    @Test
    void qos0MessageIsNotQueuedForAnOfflineSession() {
        core = CoreHarness.start();
        core.offlineSubscriber("away", "t", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        // Act
        core.send(pub, publish("t", QoS.AT_MOST_ONCE, 0, "fleeting"));
        core.send(pub, publish("t", QoS.AT_LEAST_ONCE, 1, "kept"));
        RecordingWire back = core.resume(connect5("away", false, 60));
        // Assert: only the QoS 1 message was kept for the offline session.
        List<String> got = payloads(back.drain());
        assertFalse(got.contains("fleeting"), "got " + got);
        assertEquals(List.of("kept"), got);
    }

    private static List<String> payloads(List<Packet> packets) {
        List<String> out = new ArrayList<>();
        for (Packet p : packets) {
            out.add(text(((Packet.Publish) p).payload()));
        }
        return out;
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }
}
