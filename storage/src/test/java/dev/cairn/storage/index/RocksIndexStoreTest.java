package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Received;
import dev.cairn.storage.record.InboundQos2Released;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.SessionClosed;
import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.Unsubscribed;
import dev.cairn.storage.record.Will;
import dev.cairn.storage.record.WillCancelled;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.record.WillScheduled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Goal: each record changes the index as its meaning says, and applying is idempotent. */
class RocksIndexStoreTest extends IndexTestBase {
    /** What one {@link #message} counts against a queue: topic "t" and payload "payload of t". */
    private static final long MESSAGE_BYTES = 1 + 12;

    private static final Will WILL = new Will("w/t", 1, false, new byte[0], SampleRecords.bytes("gone"), 10);

    @Test
    void aStoredMessageQueuesOneEntryPerRecipientInPositionOrder() {
        apply(opened("a"), opened("a2"));
        long first = apply(message("a", "a2"));
        long second = apply(message("a"));

        assertEquals(List.of(queued(first, 1), queued(second, 1)), index.queueScan("a", -1, 10));
        assertEquals(List.of(queued(second, 1)), index.queueScan("a", first, 10));
        assertEquals(List.of(queued(first, 1)), index.queueScan("a", -1, 1));
        assertEquals(List.of(queued(first, 1)), index.queueScan("a2", -1, 10), "a2 is not inside a's range");
        assertEquals(new QueueDepth(2, 2 * MESSAGE_BYTES), index.queueDepth("a"));
        assertEquals(new QueueDepth(1, MESSAGE_BYTES), index.queueDepth("a2"));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("nobody"));
    }

    @Test
    void deliveryRecordsMoveAnEntryThroughItsStatesAndTheAckRemovesIt() {
        apply(opened("a"));
        long position = apply(message("a"));

        apply(new DeliverySent("a", position, 7));
        assertEquals(DeliveryState.SENT, index.queueScan("a", -1, 1).get(0).state());
        assertEquals(7, index.queueScan("a", -1, 1).get(0).packetId());
        apply(new DeliveryReleased("a", position, 7));
        assertEquals(DeliveryState.RELEASED, index.queueScan("a", -1, 1).get(0).state());
        apply(new DeliveryAcknowledged("a", position));

        assertEquals(List.of(), index.queueScan("a", -1, 10));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("a"));
        apply(new DeliveryAcknowledged("a", position), new DeliverySent("a", position, 8));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("a"), "acks and sends of a gone entry change nothing");
        assertEquals(List.of(), index.queueScan("a", -1, 10));
    }

    @Test
    void aSessionIsRecoveredWithEverythingItHas() {
        apply(
                new SessionOpened("a", false, 3600, 5, 1000, WILL),
                new Subscribed("a", "x/#", 1, 5),
                new Subscribed("a", "y", 2, 0),
                new InboundQos2Received("a", 9, 55));
        long position = apply(message("a"));
        apply(new SessionClosed("a", 7200, 2000), new WillScheduled("a", 12_000));

        RecoveredState state = index.loadState();

        assertEquals(index.appliedPosition(), state.appliedPosition());
        assertEquals(1, state.sessions().size());
        RecoveredSession session = state.sessions().get(0);
        assertEquals(new SessionState("a", 5, 7200, Presence.OFFLINE, 2000, WILL), session.state());
        assertEquals(List.of(new Subscription("x/#", 1, 5), new Subscription("y", 2, 0)), session.subscriptions());
        assertEquals(Map.of(9, 55L), session.inboundQos2());
        assertEquals(12_000, session.willFireAtMillis());
        assertEquals(new QueueDepth(1, MESSAGE_BYTES), session.queueDepth());
        assertEquals(position, index.queueScan("a", -1, 1).get(0).position());
    }

    /**
     * The session's owner (username and listener) is kept through its close and its will firing,
     * so a will that goes out after a restart is judged by the ACL as its owner; a later CONNECT
     * names the owner anew.
     */
    @Test
    void aSessionKeepsItsOwnerUntilItsNextConnect() {
        SessionOwner alice = new SessionOwner("alice", "tls");
        apply(
                new SessionOpened("a", false, 3600, 5, 1000, WILL, alice),
                new SessionOpened("anon", false, 3600, 4, 1000, null, new SessionOwner(null, "default")));
        apply(new SessionClosed("a", 3600, 2000), new WillScheduled("a", 5000), new WillFired("a"));

        Map<String, SessionOwner> owners = new java.util.HashMap<>();
        for (RecoveredSession s : index.loadState().sessions()) {
            owners.put(s.state().clientId(), s.state().owner());
        }
        assertEquals(Map.of("a", alice, "anon", new SessionOwner(null, "default")), owners);

        apply(new SessionOpened("a", false, 3600, 5, 3000, null, new SessionOwner("bob", "default")));
        assertEquals(
                new SessionOwner("bob", "default"),
                index.loadState().sessions().get(0).state().owner());
    }

    /** An index of format 4 kept no owners: its sessions read as owner not known, the rest unchanged. */
    @Test
    void aFormat4IndexOpensWithItsSessionsOwnersNotKnown() throws Exception {
        apply(new SessionOpened("a", false, 3600, 5, 1000, WILL, new SessionOwner("alice", "default")));
        index.close();
        OldIndexFormats.rewriteAs(indexDirectory(), 4);
        index = RocksIndexStore.open(indexDirectory());

        assertEquals(false, index.needsUpgrade());
        SessionState state = index.loadState().sessions().get(0).state();
        assertEquals(new SessionState("a", 5, 3600, Presence.ONLINE, 1000, WILL), state);
        assertNull(state.owner());
        index.close();
        try (IndexReader reader = IndexReader.openReadOnly(indexDirectory())) {
            assertEquals(5, reader.indexFormat(), "the new number is stored, so an older Cairn refuses the index");
        }
        index = RocksIndexStore.open(indexDirectory());
    }

    @Test
    void unsubscribeReleaseAndWillRecordsRemoveWhatTheyName() {
        apply(
                new SessionOpened("a", false, 0, 5, 1000, WILL),
                new Subscribed("a", "x", 1, 0),
                new InboundQos2Received("a", 9, 55),
                new WillScheduled("a", 5000));
        apply(new Unsubscribed("a", "x"), new InboundQos2Released("a", 9), new WillCancelled("a"));
        RecoveredSession session = index.loadState().sessions().get(0);
        assertEquals(List.of(), session.subscriptions());
        assertEquals(Map.of(), session.inboundQos2());
        assertEquals(-1, session.willFireAtMillis());
        assertEquals(WILL, session.state().will());

        apply(new WillScheduled("a", 6000), new WillFired("a"));
        session = index.loadState().sessions().get(0);
        assertEquals(-1, session.willFireAtMillis());
        assertNull(session.state().will(), "a fired will is gone");
    }

    @Test
    void cleanStartAndExpiryRemoveEverythingOfTheSessionButNotOfOthers() {
        apply(
                opened("a"),
                opened("ab"),
                new Subscribed("a", "x", 1, 0),
                new Subscribed("ab", "x", 1, 0),
                new InboundQos2Received("a", 1, 5),
                new WillScheduled("a", 10));
        apply(message("a", "ab"));
        apply(new SessionOpened("a", true, 0, 5, 2000, null));

        RecoveredSession a = session("a");
        assertEquals(List.of(), a.subscriptions());
        assertEquals(Map.of(), a.inboundQos2());
        assertEquals(-1, a.willFireAtMillis());
        assertEquals(QueueDepth.EMPTY, a.queueDepth());
        assertEquals(List.of(), index.queueScan("a", -1, 10));
        assertEquals(1, session("ab").subscriptions().size());
        assertEquals(new QueueDepth(1, MESSAGE_BYTES), index.queueDepth("ab"));

        apply(new SessionExpired("ab", 3000));
        assertEquals(
                List.of("a"),
                index.loadState().sessions().stream()
                        .map(s -> s.state().clientId())
                        .toList());
        assertEquals(List.of(), index.queueScan("ab", -1, 10));
        assertEquals(QueueDepth.EMPTY, index.queueDepth("ab"));
    }

    @Test
    void retainedMessagesAreStoredWholeAndClearedByAnEmptyPayload() {
        MessageStored set =
                new MessageStored("p", "r/t", 1, true, new byte[] {1}, SampleRecords.bytes("v"), 5, 99, List.of());
        long position = apply(set);
        assertEquals(
                List.of(new RetainedMessage("r/t", 1, new byte[] {1}, SampleRecords.bytes("v"), 99, position)),
                index.loadState().retained());

        apply(new MessageStored("p", "r/t", 0, true, new byte[0], new byte[0], 6, -1, List.of()));
        assertEquals(List.of(), index.loadState().retained());
    }

    @Test
    void applyingTheSameBatchTwiceOrOverlappingBatchesGivesTheSameState() {
        List<PositionedRecord> all = positioned(
                opened("a"),
                new Subscribed("a", "x", 1, 0),
                message("a"),
                new SessionExpired("a", 10),
                opened("b"),
                message("b"),
                new Subscribed("b", "y", 0, 3));
        try (RocksIndexStore reference = RocksIndexStore.open(dir.resolve("reference"))) {
            reference.apply(all);

            index.apply(all.subList(0, 5));
            index.apply(all.subList(1, 7)); // overlaps: must not resurrect a's subscription or queue
            index.apply(all);

            assertEquals(snapshot(reference), snapshot(index));
            assertEquals(all.get(6).position(), index.appliedPosition());
            assertEquals(
                    List.of("b"),
                    index.loadState().sessions().stream()
                            .map(s -> s.state().clientId())
                            .toList());
        }
    }

    @Test
    void stateAndAppliedPositionSurviveReopen() {
        apply(opened("a"), new Subscribed("a", "x", 1, 0));
        long position = apply(message("a"));
        RecoveredState before = index.loadState();
        index.close();

        index = RocksIndexStore.open(dir.resolve("index"));

        assertEquals(position, index.appliedPosition());
        assertEquals(before, index.loadState());
    }

    @Test
    void applyingFromASecondThreadIsRefused() throws Exception {
        apply(opened("a"));
        Thread other = new Thread(() -> index.apply(positioned(opened("b"))));
        List<Throwable> errors = new ArrayList<>();
        other.setUncaughtExceptionHandler((t, e) -> errors.add(e));
        other.start();
        other.join();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof AssertionError);
        assertEquals(
                List.of("a"),
                index.loadState().sessions().stream()
                        .map(s -> s.state().clientId())
                        .toList());
    }

    static Map<String, Object> snapshot(IndexStore store) {
        RecoveredState state = store.loadState();
        Map<String, Object> snapshot = new java.util.TreeMap<>();
        snapshot.put("applied", state.appliedPosition());
        snapshot.put("retained", state.retained());
        for (RecoveredSession session : state.sessions()) {
            snapshot.put("session/" + session.state().clientId(), session);
            snapshot.put(
                    "queue/" + session.state().clientId(),
                    store.queueScan(session.state().clientId(), -1, Integer.MAX_VALUE));
        }
        return snapshot;
    }

    private RecoveredSession session(String clientId) {
        return index.loadState().sessions().stream()
                .filter(s -> s.state().clientId().equals(clientId))
                .findFirst()
                .orElseThrow();
    }

    private static MessageStored message(String... recipients) {
        List<Recipient> list = recipients(recipients);
        return SampleRecords.message("pub", "t", 1, list);
    }

    private static QueueEntry queued(long position, int qos) {
        return new QueueEntry(position, qos, DeliveryState.QUEUED, 0, false, new int[0], MESSAGE_BYTES);
    }
}
