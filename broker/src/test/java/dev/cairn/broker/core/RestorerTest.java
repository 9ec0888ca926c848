package dev.cairn.broker.core;

import static dev.cairn.broker.core.CoreHarness.connect;
import static dev.cairn.broker.core.CoreHarness.connect5;
import static dev.cairn.broker.core.CoreHarness.will;
import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.sessionExpiry;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: a restart resumes every session where it stood: subscriptions, queued and in-flight
 * deliveries with their packet ids, inbound QoS 2 exchanges, delayed wills and expiry clocks that
 * keep counting, and retained messages until they expire. Method: the real core without sockets
 * ({@link CoreHarness}); {@link CoreHarness#restart} stops it and starts a new core on the same
 * in-memory persistence, so all the new core knows is what {@code Restorer} loads from the
 * records, and clients reconnect to it as they would to a restarted broker.
 */
class RestorerTest {
    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    private static Packet.Connect persistent(ProtocolVersion version, String clientId) {
        return connect(
                version,
                clientId,
                false,
                60,
                null,
                version == ProtocolVersion.MQTT_5 ? sessionExpiry(600) : Properties.EMPTY);
    }

    @Test
    void subscriptionsAndQueuedMessagesSurviveARestartInOrder() {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(persistent(ProtocolVersion.MQTT_5, "sleeper"));
        core.subscribe(sub, "q/#", QoS.AT_LEAST_ONCE);
        core.drop(sub);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        for (int i = 1; i <= 3; i++) {
            core.send(pub, publish("q/t", QoS.AT_LEAST_ONCE, i, "m" + i));
        }
        // Act
        core.restart();
        RecordingWire back = core.resume(persistent(ProtocolVersion.MQTT_5, "sleeper"));
        // Assert [MQTT-4.6.0-6]: the queue in order, then the subscription still routes.
        assertEquals(List.of("m1", "m2", "m3"), payloads(back.drain()));
        RecordingWire pub2 = core.connect(connect5("pub", true, 0));
        core.send(pub2, publish("q/t", QoS.AT_MOST_ONCE, 0, "after"));
        assertEquals(List.of("after"), payloads(back.drain()));
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void unacknowledgedQos1DeliveryIsResentWithDupAndTheSamePacketIdAfterARestart(ProtocolVersion version) {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(persistent(version, "forgetful"));
        core.subscribe(sub, "t", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("t", QoS.AT_LEAST_ONCE, 1, "again"));
        Packet.Publish first = sub.next(Packet.Publish.class);
        assertFalse(first.dup());
        // Act: no PUBACK; the broker restarts.
        core.restart();
        RecordingWire back = core.resume(persistent(version, "forgetful"));
        // Assert [MQTT-4.4.0-1], [MQTT-3.3.1-1]: the same message, same packet id, DUP=1.
        Packet.Publish resent = back.next(Packet.Publish.class);
        assertTrue(resent.dup());
        assertEquals(first.packetId(), resent.packetId());
        assertEquals("again", text(resent.payload()));
        // Once acknowledged it is gone for good.
        core.send(back, new Packet.PubAck(resent.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        core.restart();
        core.resume(persistent(version, "forgetful")).assertNothingMore();
    }

    @Test
    void qos2DeliveryAwaitingPubCompIsResumedWithPubRelAfterARestart() {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(persistent(ProtocolVersion.MQTT_5, "halfway"));
        core.subscribe(sub, "t", QoS.EXACTLY_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("t", QoS.EXACTLY_ONCE, 1, "x"));
        Packet.Publish got = sub.next(Packet.Publish.class);
        core.send(sub, new Packet.PubRec(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(got.packetId(), sub.next(Packet.PubRel.class).packetId());
        // Act
        core.restart();
        RecordingWire back = core.resume(persistent(ProtocolVersion.MQTT_5, "halfway"));
        // Assert [MQTT-4.4.0-1]: PUBREL again, not the PUBLISH.
        assertEquals(got.packetId(), back.next(Packet.PubRel.class).packetId());
        back.assertNothingMore();
    }

    @Test
    void inboundQos2ExchangeAwaitingPubRelSurvivesARestartWithoutADuplicate() {
        core = CoreHarness.start();
        RecordingWire sub = core.connect(connect5("sub", false, 600));
        core.subscribe(sub, "t", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(persistent(ProtocolVersion.MQTT_5, "publisher"));
        core.send(pub, publish("t", QoS.EXACTLY_ONCE, 7, "once"));
        assertEquals(7, pub.next(Packet.PubRec.class).packetId());
        Packet.Publish delivered = sub.next(Packet.Publish.class);
        assertEquals("once", text(delivered.payload()));
        core.send(sub, new Packet.PubAck(delivered.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        // Act: the publisher resends after the restart, as it must without PUBREL sent.
        core.restart();
        RecordingWire again = core.resume(persistent(ProtocolVersion.MQTT_5, "publisher"));
        RecordingWire subBack = core.resume(connect5("sub", false, 600));
        core.send(
                again,
                new Packet.Publish("t", QoS.EXACTLY_ONCE, false, true, 7, Properties.EMPTY, Packets.utf8("once")));
        // Assert [MQTT-4.3.3-10]: PUBREC again, no second copy onward; PUBREL completes it [MQTT-4.3.3-11].
        assertEquals(7, again.next(Packet.PubRec.class).packetId());
        core.send(again, new Packet.PubRel(7, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(7, again.next(Packet.PubComp.class).packetId());
        subBack.assertNothingMore();
    }

    @Test
    void sessionExpiryKeepsCountingAcrossARestart() {
        core = CoreHarness.start();
        core.drop(core.connect(connect5("kept", false, 10)));
        core.drop(core.connect(connect5("ended", false, 10)));
        core.advance(Duration.ofSeconds(6));
        // Act
        core.restart();
        core.advance(Duration.ofMillis(3_950));
        // Assert [MQTT-3.1.2-23]: 6 s before and 3.95 s after the restart are within the 10 s.
        core.resume(connect5("kept", false, 10));
        core.advance(Duration.ofMillis(100));
        core.connectWithoutSession(connect5("ended", false, 10));
    }

    @Test
    void delayedWillSurvivesARestartAndIsPublishedOnTime() {
        core = CoreHarness.start();
        core.drop(core.connect(connect(
                ProtocolVersion.MQTT_5,
                "gone",
                false,
                60,
                will(
                        "will/gone",
                        "late",
                        Properties.builder().willDelayIntervalSeconds(10L).build()),
                sessionExpiry(600))));
        core.advance(Duration.ofSeconds(4));
        // Act
        core.restart();
        RecordingWire watcher = core.watchWills();
        core.advance(Duration.ofMillis(5_950));
        watcher.assertNothingMore();
        core.advance(Duration.ofMillis(100));
        // Assert [MQTT-3.1.3-9]: 10 s after the close, restart or not.
        assertEquals("late", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void retainedMessagesSurviveARestartUntilTheyExpire() {
        core = CoreHarness.start();
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(pub, publish("r/forever", QoS.AT_LEAST_ONCE, true, 1, "kept", Properties.EMPTY));
        core.send(
                pub,
                publish(
                        "r/brief",
                        QoS.AT_LEAST_ONCE,
                        true,
                        2,
                        "ten seconds",
                        Properties.builder().messageExpiryIntervalSeconds(10L).build()));
        core.advance(Duration.ofSeconds(4));
        // Act
        core.restart();
        RecordingWire sub = core.connect(connect5("sub", true, 0));
        core.subscribe(sub, "r/#", QoS.AT_LEAST_ONCE);
        // Assert: both, the brief one with what is left of its interval [MQTT-3.3.2-6].
        List<Packet> got = sub.drain();
        assertEquals(List.of("kept", "ten seconds"), sortedPayloads(got));
        for (Packet p : got) {
            Packet.Publish publish = (Packet.Publish) p;
            assertTrue(publish.retain());
            if (publish.topic().equals("r/brief")) {
                assertEquals(6L, publish.properties().messageExpiryIntervalSeconds());
            }
        }
        core.advance(Duration.ofSeconds(6));
        core.restart();
        RecordingWire later = core.connect(connect5("later", true, 0));
        core.subscribe(later, "r/#", QoS.AT_LEAST_ONCE);
        // Assert [MQTT-3.3.2-5]: the expired one is not restored.
        assertEquals(List.of("kept"), payloads(later.drain()));
    }

    private static List<String> payloads(List<Packet> packets) {
        List<String> out = new ArrayList<>();
        for (Packet p : packets) {
            out.add(text(((Packet.Publish) p).payload()));
        }
        return out;
    }

    private static List<String> sortedPayloads(List<Packet> packets) {
        List<String> out = payloads(packets);
        out.sort(null);
        return out;
    }
}
