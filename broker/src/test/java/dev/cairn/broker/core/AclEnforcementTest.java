package dev.cairn.broker.core;

import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with an acl_file, a message reaches a client only if the client may read its topic when
 * it is sent, whatever way it arrives (a retained message on subscribe, a shared group's pick, a
 * live message under a wildcard a deny rule cuts into, a message queued for an offline session
 * before the rules changed), and a withheld queued message leaves the queue for good; a will is
 * published only if its owner may write its topic. Each denial is counted. Method: the real core
 * without sockets ({@link CoreHarness}) with an ACL file in a temporary directory, rewritten and
 * reloaded where the rules change; every case has a fence (a message the client may read, sent
 * after the withheld one) so that "not delivered" is proven, and fails without its check.
 */
class AclEnforcementTest {
    /**
     * "pub" writes everywhere; "reader" reads everything but secret/#; "watcher" reads will/#;
     * "willer" writes will/ok only.
     */
    private static final String RULES = "user pub\n"
            + "topic write #\n"
            + "user reader\n"
            + "topic read #\n"
            + "topic deny secret/#\n"
            + "user watcher\n"
            + "topic read will/#\n"
            + "user willer\n"
            + "topic write will/ok\n";

    @TempDir
    Path dir;

    private CoreHarness core;
    private Path aclFile;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    private void start(String rules) throws IOException {
        aclFile = Files.writeString(dir.resolve("acl"), rules);
        core = CoreHarness.start(Map.of("acl_file", aclFile.toString()));
    }

    private void rewriteAndReload(String rules) throws IOException {
        Files.writeString(aclFile, rules);
        assertTrue(core.acl.reload(), "the new rules parse");
    }

    private static Packet.Connect connect(String clientId, String username, long expirySeconds, Packet.Will will) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_5,
                clientId,
                expirySeconds == 0,
                60,
                username,
                null,
                will,
                Packets.sessionExpiry(expirySeconds));
    }

    private void publishAcked(RecordingWire pub, String topic, boolean retain, int packetId, String payload) {
        core.send(pub, publish(topic, QoS.AT_LEAST_ONCE, retain, packetId, payload, Properties.EMPTY));
        Packet.PubAck ack = pub.next(Packet.PubAck.class);
        assertTrue(!ack.reason().isError(), "PUBACK of " + topic + ": " + ack.reason());
    }

    private static List<String> topics(List<Packet> packets) {
        List<String> out = new ArrayList<>();
        for (Packet p : packets) {
            out.add(((Packet.Publish) p).topic());
        }
        return out;
    }

    @Test
    void aRetainedMessageTheSubscriberMayNotReadIsNotSentOnSubscribe() throws IOException {
        start(RULES);
        RecordingWire pub = core.connect(connect("pub", "pub", 0, null));
        publishAcked(pub, "secret/plan", true, 1, "hidden");
        publishAcked(pub, "status", true, 2, "up"); // the fence
        RecordingWire reader = core.connect(connect("reader", "reader", 0, null));
        // Act: "#" is granted (the deny rule covers only part of it) and matches both.
        core.subscribe(reader, "#", QoS.AT_LEAST_ONCE);
        // Assert
        assertEquals(List.of("status"), topics(reader.drain()));
        assertEquals(1, core.stats().aclDeniedDelivery());
    }

    @Test
    void aSharedGroupsPickIsNotSentAMessageItMayNotRead() throws IOException {
        start(RULES);
        RecordingWire reader = core.connect(connect("reader", "reader", 0, null));
        core.subscribe(reader, "$share/g/#", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect("pub", "pub", 0, null));
        // Act
        publishAcked(pub, "secret/plan", false, 1, "hidden");
        publishAcked(pub, "news", false, 2, "fence");
        // Assert: the only member was picked for both; the first was withheld at delivery.
        assertEquals(List.of("news"), topics(reader.drain()));
        assertEquals(1, core.stats().aclDeniedDelivery());
    }

    @Test
    void aLiveMessageUnderAWildcardSubscriptionIsWithheldWhereADenyRuleCutsIn() throws IOException {
        start(RULES);
        RecordingWire reader = core.connect(connect("reader", "reader", 0, null));
        core.subscribe(reader, "+/plan", QoS.AT_MOST_ONCE);
        RecordingWire pub = core.connect(connect("pub", "pub", 0, null));
        // Act
        core.send(pub, publish("secret/plan", QoS.AT_MOST_ONCE, 0, "hidden"));
        core.send(pub, publish("open/plan", QoS.AT_MOST_ONCE, 0, "fence"));
        // Assert
        assertEquals(List.of("open/plan"), topics(reader.drain()));
    }

    @Test
    void aMessageQueuedBeforeTheRulesChangedIsNotDeliveredAndLeavesTheQueueForGood() throws IOException {
        start(RULES);
        RecordingWire sleeper = core.connect(connect("reader", "reader", 60, null));
        core.subscribe(sleeper, "plant/#", QoS.AT_LEAST_ONCE);
        core.drop(sleeper);
        RecordingWire pub = core.connect(connect("pub", "pub", 0, null));
        publishAcked(pub, "plant/valve", false, 1, "queued while allowed");
        publishAcked(pub, "plant/pump", false, 2, "fence");
        // Act: the rules change while the session is offline; then it comes back.
        rewriteAndReload(RULES + "user reader\ntopic deny plant/valve\n");
        RecordingWire back = core.resume(connect("reader", "reader", 60, null));
        // Assert: only the fence arrives.
        Packet.Publish got = back.next(Packet.Publish.class);
        assertEquals("plant/pump", got.topic());
        back.assertNothingMore();
        core.send(back, new Packet.PubAck(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(1, core.stats().aclDeniedDelivery());
        // Act: the old rules are back and the core restarts on the same records.
        core.drop(back);
        rewriteAndReload(RULES);
        core.restart();
        RecordingWire again = core.resume(connect("reader", "reader", 60, null));
        // Assert: the withheld message was finished durably, not left queued: nothing comes.
        again.assertNothingMore();
    }

    @Test
    void aWillIsPublishedOnlyIfItsOwnerMayWriteItsTopic() throws IOException {
        start(RULES);
        RecordingWire watcher = core.connect(connect("watcher", "watcher", 0, null));
        core.subscribe(watcher, "will/#", QoS.AT_LEAST_ONCE);
        RecordingWire denied =
                core.connect(connect("w1", "willer", 0, CoreHarness.will("will/denied", "no", Properties.EMPTY)));
        RecordingWire allowed =
                core.connect(connect("w2", "willer", 0, CoreHarness.will("will/ok", "yes", Properties.EMPTY)));
        // Act: both connections go away without DISCONNECT [MQTT-3.1.2-8].
        core.drop(denied);
        core.drop(allowed);
        // Assert
        Packet.Publish got = watcher.next(Packet.Publish.class);
        assertEquals("will/ok", got.topic());
        assertEquals("yes", text(got.payload()));
        watcher.assertNothingMore();
        assertEquals(1, core.stats().aclDeniedWill());
    }

    @Test
    void aDelayedWillIsJudgedByTheRulesInForceWhenItFalls() throws IOException {
        start(RULES + "user willer\ntopic write will/later\n");
        RecordingWire watcher = core.connect(connect("watcher", "watcher", 0, null));
        core.subscribe(watcher, "will/#", QoS.AT_LEAST_ONCE);
        Properties delay = Properties.builder().willDelayIntervalSeconds(5L).build();
        RecordingWire willer = core.connect(connect("w", "willer", 60, CoreHarness.will("will/later", "late", delay)));
        core.drop(willer);
        // Act: the grant goes away before the will falls due.
        rewriteAndReload(RULES);
        core.advance(Duration.ofSeconds(6));
        // Assert
        watcher.assertNothingMore();
        assertEquals(1, core.stats().aclDeniedWill());
    }

    /** The session's owner is journaled, so a restart does not change how its will is judged. */
    @Test
    void aDelayedWillRestoredAfterARestartIsJudgedAsItsOwner() throws IOException {
        start(RULES + "user willer\ntopic write will/later\n");
        Properties delay = Properties.builder().willDelayIntervalSeconds(5L).build();
        RecordingWire willer = core.connect(connect("w", "willer", 60, CoreHarness.will("will/later", "late", delay)));
        RecordingWire other = core.connect(connect("o", "watcher", 60, CoreHarness.will("will/other", "no", delay)));
        core.drop(willer);
        core.drop(other);
        // Act: the core restarts on the same records before the wills fall due.
        core.restart();
        RecordingWire watcher = core.connect(connect("watcher", "watcher", 0, null));
        core.subscribe(watcher, "will/#", QoS.AT_LEAST_ONCE);
        core.advance(Duration.ofSeconds(6));
        // Assert: willer may write will/later; watcher may only read will/#.
        Packet.Publish got = watcher.next(Packet.Publish.class);
        assertEquals("will/later", got.topic());
        assertEquals("late", text(got.payload()));
        watcher.assertNothingMore();
        assertEquals(1, core.stats().aclDeniedWill());
    }

    /**
     * Audit: every denial is counted by kind and logged at INFO with the client id, username and
     * topic; at most 20 lines every 10 s for all clients together, so many clients each denied once
     * cannot flood the log, and the next line says how many were held back.
     */
    @Test
    void denialsAreCountedByKindAndLoggedAtMost20Every10Seconds() throws IOException {
        start(RULES);
        try (LogLines log = LogLines.capture("AclAudit")) {
            RecordingWire willer = core.connect(connect("w1", "willer", 0, null));
            core.send(willer, publish("will/not-ok", QoS.AT_LEAST_ONCE, false, 1, "x", Properties.EMPTY));
            assertEquals(
                    ReasonCode.NOT_AUTHORIZED, willer.next(Packet.PubAck.class).reason());
            RecordingWire dying =
                    core.connect(connect("w2", "willer", 0, CoreHarness.will("will/denied", "no", Properties.EMPTY)));
            core.drop(dying);
            for (int i = 0; i < 23; i++) {
                RecordingWire reader = core.connect(connect("r-" + i, "watcher", 0, null));
                assertEquals(
                        List.of(ReasonCode.NOT_AUTHORIZED),
                        core.send(reader, Packets.subscribe(1, "secret/#", QoS.AT_LEAST_ONCE))
                                .next(Packet.SubAck.class)
                                .reasons());
            }
            // Assert: counted by kind, 25 in all; 20 lines, each naming client, username and topic.
            assertEquals(1, core.stats().aclDeniedPublish());
            assertEquals(1, core.stats().aclDeniedWill());
            assertEquals(23, core.stats().aclDeniedSubscribe());
            List<String> lines = log.containing("ACL denied");
            assertEquals(20, lines.size(), String.join("\n", lines));
            assertTrue(
                    lines.get(0).contains(" INFO ")
                            && lines.get(0)
                                    .contains(
                                            "ACL denied PUBLISH on 'will/not-ok' for client w1 (username 'willer', address"
                                                    + " in-process:"),
                    lines.get(0));
            assertTrue(
                    lines.get(1).contains("ACL denied will on 'will/denied' for client w2 (username 'willer'"),
                    lines.get(1));
            assertTrue(
                    lines.get(2).contains("ACL denied SUBSCRIBE to 'secret/#' for client r-0 (username 'watcher'"),
                    lines.get(2));
            // Act: the window has passed.
            core.advance(Duration.ofSeconds(10));
            RecordingWire late = core.connect(connect("r-late", "watcher", 0, null));
            core.send(late, Packets.subscribe(1, "secret/#", QoS.AT_LEAST_ONCE)).next(Packet.SubAck.class);
            // Assert: the 5 held back are named.
            String last = log.containing("ACL denied").get(20);
            assertTrue(
                    last.contains("client r-late") && last.endsWith("; 5 more denials of any client were not logged"),
                    last);
        }
    }

    @Test
    void withoutAnAclFileEveryPathDeliversAsBefore() {
        core = CoreHarness.start();
        RecordingWire watcher = core.connect(connect("watcher", null, 0, null));
        core.subscribe(watcher, "#", QoS.AT_LEAST_ONCE);
        RecordingWire willer = core.connect(connect("w", null, 0, CoreHarness.will("will/x", "bye", Properties.EMPTY)));
        // Act
        core.drop(willer);
        // Assert
        assertEquals("will/x", watcher.next(Packet.Publish.class).topic());
        BrokerStats stats = core.stats();
        assertEquals(0, stats.aclDeniedWill() + stats.aclDeniedDelivery() + stats.aclDeniedPublish());
    }
}
