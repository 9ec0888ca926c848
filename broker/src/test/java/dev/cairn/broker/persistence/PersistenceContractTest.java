package dev.cairn.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.DeliveryState;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: every {@link Persistence} keeps the contract written in its Javadoc, so the in-memory one
 * cannot drift from the journal one the broker runs on: positions grow in append order, a sync
 * makes everything appended durable, reads and recovery see only applied records, and recovery
 * returns the sessions, queues, in-flight deliveries, wills and retained messages the records
 * lead to. Method: each case runs against both implementations through the interface alone (the
 * journal in a temporary directory), with a stopped clock, and compares what they return with
 * one expectation written out in broker terms; "reopen" is a new {@link JournalPersistence} on the
 * same directory, or the same {@link InMemoryPersistence} after {@code close}, as a broker
 * restart does.
 */
class PersistenceContractTest {
    /** The owner of sessions whose owner the test does not look at. */
    private static final Identity OWNER = new Identity("u", "default");

    enum Kind {
        JOURNAL,
        IN_MEMORY
    }

    @TempDir
    Path dataDir;

    private final ManualClock clock = ManualClock.stopped();
    /** Wall-clock times are described relative to this. */
    private final long start = clock.currentTimeMillis();

    private Persistence persistence;

    @AfterEach
    void closePersistence() {
        if (persistence != null) {
            persistence.close();
        }
    }

    private Persistence open(Kind kind) {
        if (kind == Kind.JOURNAL) {
            persistence =
                    JournalPersistence.open(ConfigLoader.load(null, Map.of("data_dir", dataDir.toString())), clock);
        } else if (persistence == null) {
            persistence = new InMemoryPersistence(clock);
        }
        return persistence;
    }

    /** A restart: what was synced is all there is. */
    private Persistence reopen(Kind kind) {
        persistence.close();
        if (kind == Kind.JOURNAL) {
            persistence = null;
        }
        return open(kind);
    }

    /** The end of a core-loop turn: sync, then apply what the sync covers. */
    private static void endTurn(Persistence p) {
        p.syncNow();
        p.applyIndex(p.syncedPosition());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void positionsGrowInAppendOrderAndASyncMakesEveryAppendedRecordDurable(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 60, 5, null, OWNER);
        long first = p.messageStored(message("t", "one"), List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)), 0, now());
        p.subscribed("s", "t", options(QoS.AT_LEAST_ONCE, 0));
        long second = p.messageStored(message("t", "two"), List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)), 0, now());
        // Assert: in append order, the last one is the last appended, and none is durable yet.
        assertTrue(first < second, first + " then " + second);
        assertTrue(first < p.lastAppendedPosition() && p.lastAppendedPosition() == second);
        assertTrue(p.hasUnsynced());
        assertTrue(p.syncedPosition() < first);
        // Act
        p.syncNow();
        // Assert: durable when syncNow returns.
        assertEquals(second, p.syncedPosition());
        assertFalse(p.hasUnsynced());
        long third = p.messageStored(message("t", "three"), List.of(), 0, now());
        assertTrue(third > second);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void queueReadsSeeOnlyRecordsAppliedUpToTheSyncedPositionGiven(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 60, 5, null, OWNER);
        long first = p.messageStored(message("t", "one"), List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)), 0, now());
        long second = p.messageStored(message("t", "two"), List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)), 0, now());
        Persistence.SessionJournal queue = p.sessionJournal("s");
        // Not synced: nothing may be applied.
        assertFalse(p.applyIndex(p.syncedPosition()));
        assertEquals(List.of(), describe(queue.read(-1, -1, 10)));
        p.syncNow();
        assertEquals(List.of(), describe(queue.read(-1, -1, 10)), "synced but not applied");
        // Act: apply up to the first only, then the rest.
        assertTrue(p.applyIndex(first));
        assertEquals(List.of("t one QoS1 copy 0 QUEUED"), describe(queue.read(-1, -1, 10)));
        assertTrue(p.applyIndex(second));
        assertFalse(p.applyIndex(second), "nothing left to apply");
        // Assert: in queue order; a read after a key starts after it.
        assertEquals(List.of("t one QoS1 copy 0 QUEUED", "t two QoS1 copy 0 QUEUED"), describe(queue.read(-1, -1, 10)));
        assertEquals(List.of("t two QoS1 copy 0 QUEUED"), describe(queue.read(first, 0, 10)));
        assertEquals(List.of("t one QoS1 copy 0 QUEUED"), describe(queue.read(-1, -1, 1)));
        assertEquals(first, queue.read(-1, -1, 1).get(0).position());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoCopiesOfOneMessageAreTwoEntriesOfTheSessionsQueue(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 60, 5, null, OWNER);
        long position = p.messageStored(
                message("t", "m"),
                List.of(
                        queuedFor("s", 0, QoS.AT_LEAST_ONCE),
                        new QueuedFor("s", 1, QoS.EXACTLY_ONCE, false, new int[] {7})),
                0,
                now());
        endTurn(p);
        Persistence.SessionJournal queue = p.sessionJournal("s");
        List<Delivery> both = queue.read(-1, -1, 10);
        assertEquals(List.of("t m QoS1 copy 0 QUEUED", "t m QoS2 copy 1 QUEUED ids [7]"), describe(both));
        // Act: the first copy is acknowledged.
        queue.finished(both.get(0));
        endTurn(p);
        // Assert: the second stays, under the same position.
        List<Delivery> left = queue.read(-1, -1, 10);
        assertEquals(List.of("t m QoS2 copy 1 QUEUED ids [7]"), describe(left));
        assertEquals(position, left.get(0).position());
        assertEquals(List.of("t m QoS2 copy 1 QUEUED ids [7]"), describe(queue.read(position, 0, 10)));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void recoveryReturnsTheInflightHeadOfEachQueueWithItsPacketIdsAndTheWaitingRestAsBacklog(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 60, 5, null, OWNER);
        List<QueuedFor> toS1 = List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE));
        List<QueuedFor> toS2 = List.of(queuedFor("s", 0, QoS.EXACTLY_ONCE));
        p.messageStored(message("t", "acked"), toS1, 0, now());
        p.messageStored(message("t", "sent"), toS1, 0, now());
        long released = p.messageStored(message("t", "released"), toS2, 0, now());
        p.messageStored(message("t", "waiting"), toS1, 0, now());
        endTurn(p);
        Persistence.SessionJournal queue = p.sessionJournal("s");
        List<Delivery> d = queue.read(-1, -1, 10);
        queue.sent(inFlight(d.get(0), 1, DeliveryState.AWAITING_PUBACK));
        queue.sent(inFlight(d.get(1), 2, DeliveryState.AWAITING_PUBACK));
        queue.sent(inFlight(d.get(2), 3, DeliveryState.AWAITING_PUBREC));
        queue.released(inFlight(d.get(2), 3, DeliveryState.AWAITING_PUBCOMP));
        queue.finished(inFlight(d.get(0), 1, DeliveryState.AWAITING_PUBACK));
        endTurn(p);
        // Act
        Recovered recovered = reopen(kind).recovered();
        // Assert: sent entries head the queue with their ids and states [MQTT-4.4.0-1]; the rest waits.
        Recovered.InflightHead head = recovered.inflight("s", 100);
        assertEquals(
                List.of("t sent QoS1 copy 0 AWAITING_PUBACK id 2", "t released QoS2 copy 0 AWAITING_PUBCOMP id 3"),
                describe(head.deliveries()));
        assertEquals(released, head.lastPosition());
        assertEquals(0, head.lastCopy());
        assertEquals(
                List.of("t sent QoS1 copy 0 AWAITING_PUBACK id 2"),
                describe(recovered.inflight("s", 1).deliveries()));
        assertEquals(
                List.of("t waiting QoS1 copy 0 QUEUED"),
                describe(persistence.sessionJournal("s").read(head.lastPosition(), head.lastCopy(), 10)));
        // Depth and bytes count in-flight entries too: topic plus payload of each of the three.
        long bytes = "tsent".length() + "treleased".length() + "twaiting".length();
        assertEquals(
                List.of("s v5 expiry 60 online at +0 owner Identity[username=u, listener=default] subs {} inbound []"
                        + " queue 3 (" + bytes + " bytes)"),
                describe(recovered.sessions()));
        assertEquals(List.of(), describe(recovered.inflight("nobody", 100).deliveries()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void recoveryReturnsEachSessionAsItsRecordsLeftIt(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        WillMessage will = new WillMessage(
                new Message(
                        "will/away",
                        QoS.AT_LEAST_ONCE,
                        false,
                        utf8("bye"),
                        Properties.EMPTY,
                        "away",
                        Message.NEVER_EXPIRES),
                30,
                WillMessage.NO_EXPIRY);
        p.sessionOpened("online", true, 100, 5, null, new Identity("olive", "default"));
        p.subscribed("online", "a/+", options(QoS.AT_LEAST_ONCE, 4));
        p.subscribed("online", "b/#", options(QoS.EXACTLY_ONCE, 0));
        p.unsubscribed("online", "b/#");
        p.sessionOpened("away", true, 50, 4, will, new Identity(null, "tls"));
        p.messageStored(
                new Message("q", QoS.EXACTLY_ONCE, false, utf8("x"), Properties.EMPTY, "away", Message.NEVER_EXPIRES),
                List.of(),
                9,
                now());
        p.messageStored(
                new Message("q", QoS.EXACTLY_ONCE, false, utf8("y"), Properties.EMPTY, "away", Message.NEVER_EXPIRES),
                List.of(),
                10,
                now());
        p.inboundQos2Released("away", 10);
        clock.advance(Duration.ofSeconds(5));
        p.sessionClosed("away", 40);
        p.willScheduled("away", clock.currentTimeMillis() + 30_000);
        p.sessionOpened("ended", true, 60, 5, null, OWNER);
        p.subscribed("ended", "e", options(QoS.AT_LEAST_ONCE, 0));
        p.sessionExpired("ended");
        p.sessionOpened("clean", true, 60, 5, null, OWNER);
        p.subscribed("clean", "old", options(QoS.AT_LEAST_ONCE, 0));
        p.sessionOpened("clean", true, 70, 5, null, new Identity("carol", "ws"));
        p.sessionOpened("fired", true, 60, 5, will, OWNER);
        p.sessionClosed("fired", 60);
        p.willScheduled("fired", clock.currentTimeMillis());
        p.willFired("fired");
        p.sessionOpened("cancelled", true, 60, 5, will, OWNER);
        p.sessionClosed("cancelled", 60);
        p.willScheduled("cancelled", clock.currentTimeMillis() + 1000);
        p.willCancelled("cancelled");
        endTurn(p);
        // Act
        Recovered recovered = reopen(kind).recovered();
        // Assert
        assertEquals(
                List.of(
                        "away v4 expiry 40 offline at +5000 owner Identity[username=null, listener=tls] will will/away"
                                + " bye delay 30 at +35000 subs {} inbound [9] queue 0 (0 bytes)",
                        "cancelled v5 expiry 60 offline at +5000 owner Identity[username=u, listener=default] subs {}"
                                + " inbound [] queue 0 (0 bytes)",
                        "clean v5 expiry 70 online at +5000 owner Identity[username=carol, listener=ws] subs {}"
                                + " inbound [] queue 0 (0 bytes)",
                        "fired v5 expiry 60 offline at +5000 owner Identity[username=u, listener=default] subs {}"
                                + " inbound [] queue 0 (0 bytes)",
                        "online v5 expiry 100 online at +0 owner Identity[username=olive, listener=default] subs"
                                + " {a/+=QoS1 id 4} inbound [] queue 0 (0 bytes)"),
                describe(recovered.sessions()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void recoveryReturnsRetainedMessagesUntilTheyExpireAndNotOnesAnEmptyPayloadCleared(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.messageStored(retained("keep", "forever", Message.NEVER_EXPIRES), List.of(), 0, now());
        p.messageStored(
                retained("brief", "ten seconds", now() + Duration.ofSeconds(10).toNanos()), List.of(), 0, now());
        p.messageStored(retained("cleared", "first", Message.NEVER_EXPIRES), List.of(), 0, now());
        p.messageStored(retained("cleared", "", Message.NEVER_EXPIRES), List.of(), 0, now());
        p.messageStored(retained("keep", "replaced", Message.NEVER_EXPIRES), List.of(), 0, now());
        endTurn(p);
        clock.advance(Duration.ofSeconds(4));
        // Act
        Recovered recovered = reopen(kind).recovered();
        // Assert [MQTT-3.3.1-5], [MQTT-3.3.1-6]; the expiry counts on from the wall clock.
        assertEquals(List.of("brief ten seconds expires in 6000 ms", "keep replaced"), describeRetained(recovered));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(List.of("keep replaced"), describeRetained(reopen(kind).recovered()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aQueuedMessageKeepsItsExpiryAcrossARestart(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 600, 5, null, OWNER);
        p.messageStored(
                new Message(
                        "t",
                        QoS.AT_LEAST_ONCE,
                        false,
                        utf8("m"),
                        Properties.EMPTY,
                        "pub",
                        now() + Duration.ofSeconds(30).toNanos()),
                List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)),
                0,
                now());
        endTurn(p);
        clock.advance(Duration.ofSeconds(10));
        // Act
        reopen(kind).recovered();
        Delivery d = persistence.sessionJournal("s").read(-1, -1, 10).get(0);
        // Assert: 20 s left [MQTT-3.3.2-6], and the message as it was published.
        assertEquals(Duration.ofSeconds(20).toNanos(), d.message().expiresAtNanos() - now());
        assertEquals("pub", d.message().publisherClientId());
        assertFalse(d.message().isExpired(now()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void retentionStepFreesNothingAQueueStillNeeds(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        p.sessionOpened("s", true, 600, 5, null, OWNER);
        long queued = p.messageStored(message("t", "m"), List.of(queuedFor("s", 0, QoS.AT_LEAST_ONCE)), 0, now());
        p.messageStored(message("t", "n"), List.of(), 0, now());
        endTurn(p);
        // Act
        RetentionReport report = p.runRetention();
        // Assert: the oldest queued message is what is needed; it is still readable.
        assertEquals(queued, report.neededPosition());
        assertEquals("queue", report.neededBy());
        assertEquals(0, report.entriesRelocated());
        assertEquals(
                List.of("t m QoS1 copy 0 QUEUED"),
                describe(p.sessionJournal("s").read(-1, -1, 10)));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void storageWithRoomTakesNewData(Kind kind) {
        Persistence p = open(kind);
        p.recovered();
        // Act: the check every turn makes (the temporary directory has far more than 256 MiB free).
        p.checkSpace(now());
        // Assert: nothing is refused, and a message is stored.
        assertFalse(p.refusesNewData());
        assertTrue(p.messageStored(message("t", "m"), List.of(), 0, now()) >= 0);
    }

    // ---- Values and their descriptions ----

    private long now() {
        return clock.nanoTime();
    }

    private static Message message(String topic, String payload) {
        return new Message(
                topic, QoS.EXACTLY_ONCE, false, utf8(payload), Properties.EMPTY, "pub", Message.NEVER_EXPIRES);
    }

    private static Message retained(String topic, String payload, long expiresAtNanos) {
        return new Message(topic, QoS.AT_LEAST_ONCE, true, utf8(payload), Properties.EMPTY, "pub", expiresAtNanos);
    }

    private static QueuedFor queuedFor(String clientId, int copy, QoS qos) {
        return new QueuedFor(clientId, copy, qos, false, null);
    }

    private static SubscriptionOptions options(QoS qos, int subscriptionId) {
        return new SubscriptionOptions(qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, subscriptionId);
    }

    /** The delivery {@code d} once sent with {@code packetId}, as the outbound queue hands it to the log. */
    private static Delivery inFlight(Delivery d, int packetId, DeliveryState state) {
        return Delivery.recovered(d.message(), d.qos(), d.retain(), d.subscriptionIds(), d.copy(), packetId, state);
    }

    private static List<String> describe(List<Delivery> deliveries) {
        List<String> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            out.add(d.message().topic() + " " + text(d.message().payload()) + " QoS"
                    + d.qos().value() + " copy "
                    + d.copy() + " " + d.state() + (d.packetId() == 0 ? "" : " id " + d.packetId())
                    + (d.subscriptionIds().length == 0 ? "" : " ids " + Arrays.toString(d.subscriptionIds())));
        }
        return out;
    }

    private List<String> describe(Iterable<RestoredSession> sessions) {
        TreeMap<String, String> byClient = new TreeMap<>();
        for (RestoredSession s : sessions) {
            StringBuilder b = new StringBuilder(s.clientId())
                    .append(" v")
                    .append(s.protocolLevel())
                    .append(" expiry ")
                    .append(s.expiryIntervalSeconds())
                    .append(s.wasOnline() ? " online" : " offline")
                    .append(" at +")
                    .append(s.changedAtMillis() - start)
                    .append(" owner ")
                    .append(s.owner());
            if (s.delayedWill() != null) {
                WillMessage w = s.delayedWill();
                b.append(" will ")
                        .append(w.message().topic())
                        .append(' ')
                        .append(text(w.message().payload()))
                        .append(" delay ")
                        .append(w.delaySeconds())
                        .append(" at +")
                        .append(s.willFireAtMillis() - start);
            }
            TreeMap<String, String> subs = new TreeMap<>();
            s.subscriptions()
                    .forEach((filter, o) -> subs.put(
                            filter,
                            "QoS" + o.qos().value() + (o.subscriptionId() == 0 ? "" : " id " + o.subscriptionId())));
            b.append(" subs ")
                    .append(subs)
                    .append(" inbound ")
                    .append(new TreeSet<>(s.inboundQos2()))
                    .append(" queue ")
                    .append(s.queueDepth())
                    .append(" (")
                    .append(s.queueBytes())
                    .append(" bytes)");
            byClient.put(s.clientId(), b.toString());
        }
        return new ArrayList<>(byClient.values());
    }

    private List<String> describeRetained(Recovered recovered) {
        TreeMap<String, String> byTopic = new TreeMap<>();
        for (Message m : recovered.retained()) {
            assertTrue(m.retain());
            byTopic.put(
                    m.topic(),
                    m.topic() + " " + text(m.payload())
                            + (m.expiresAtNanos() == Message.NEVER_EXPIRES
                                    ? ""
                                    : " expires in " + (m.expiresAtNanos() - now()) / 1_000_000 + " ms"));
        }
        return new ArrayList<>(byTopic.values());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
