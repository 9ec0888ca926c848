package dev.cairn.tools.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.ToolRun;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Goal: a repair that rewrites the journal keeps retention's relocations: every queue entry a
 * {@code MessageRelocated} served still reads its message from the relocated copy, at the copy's
 * new position, and names the entry by the entry's new queue position; a ref to an entry whose
 * message was removed as damaged is dropped and reported, never applied to another entry. Method:
 * a real broker with five-minute cycles on a {@link ManualClock} queues twelve QoS 1 messages for
 * an offline 3.1.1 session (five of them sent and unacknowledged), retention relocates them two
 * cycles later and the broker stops before a further step could delete the first cycle; a byte of
 * one relocated message's original record is flipped, so repair must rewrite. A broker started on
 * the result must give the session every other message it was owed, in order, each once, and
 * the session's acknowledgements must leave its queue empty.
 */
class RepairRelocatedMessagesIT {
    private static final Duration CYCLE = Duration.ofMinutes(5);
    private static final String KEEPER = "keeper";
    private static final String DAMAGED = "m7";

    private final ManualClock clock = new ManualClock();
    private int publishes;

    @Test
    void relocatedQueueEntriesFollowTheRewriteAndTheSessionGetsEveryOtherMessageOnceInOrder() throws Exception {
        // Arrange: twelve messages queued in the first cycle, relocated in the third.
        Map<String, String> settings = Map.of(
                "durability",
                "process",
                "journal_roll_cycle",
                "five-minutely",
                "journal_retention_check_seconds",
                "86400",
                "journal_relocate_after_cycles",
                "2");
        TestBroker first = TestBroker.start(settings, clock);
        Path data = first.dataDir();
        try {
            List<String> owed = new ArrayList<>();
            try (RawMqttClient keeper = session(first, KEEPER, "q/#");
                    RawMqttClient pub = session(first, "pub", null)) {
                publishAll(pub, "q/a", owed, "m0", "m1", "m2", "m3", "m4");
                for (int i = 0; i < 5; i++) { // sent, never acknowledged: DeliverySent records name them
                    assertEquals("m" + i, payload(keeper.receive(Packet.Publish.class)));
                }
                // The broker closing the socket after DISCONNECT means the core detached the session
                // first, so nothing published below goes out in flight.
                keeper.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
                keeper.awaitClose(Duration.ofSeconds(5));
                publishAll(pub, "q/a", owed, "m5", "m6", DAMAGED, "m8", "m9", "m10", "m11");
                clock.advanceWallClock(CYCLE);
                publishAll(pub, "q/b", owed, "n1");
                assertEquals(0, first.runRetention().entriesRelocated(), "nothing is two cycles old yet");
                clock.advanceWallClock(CYCLE);
                RetentionReport report = first.runRetention();
                assertEquals(12, report.entriesRelocated(), report.toString());
                assertEquals(0, report.filesDeleted(), "the relocated originals still pin the first cycle");
                publishAll(pub, "q/b", owed, "n2");
            }
            first.stopKeepingData();
            assertFalse(
                    Files.exists(data.resolve("journal").resolve("retention-floor")),
                    "retention deleted nothing, so repair may rebuild the index from the journal");
            byte[] damaged = storedFrame(data.resolve("journal"), DAMAGED);
            JournalCorruptor.flipByte(data.resolve("journal"), damaged, 20);
            damaged[20] ^= (byte) 0xFF;
            owed.remove(DAMAGED);
            ToolRun dry = ToolRun.run("repair", "--data-dir", data, "--dry-run");
            assertEquals(ExitCode.PROBLEMS, dry.exitCode(), dry.toString());

            // Act
            ToolRun repair = ToolRun.run("repair", "--data-dir", data);

            // Assert: the journal verifies and the relocations survive, at their new positions.
            assertEquals(ExitCode.OK, repair.exitCode(), repair.toString());
            ToolRun verify = ToolRun.run("verify", "--data-dir", data);
            assertEquals(ExitCode.OK, verify.exitCode(), verify.toString());
            assertEquals(
                    owed,
                    queuedPayloadsReadingTheirRelocatedCopies(data),
                    "queue order, and where each" + " entry reads its message");

            Map<String, String> onRepaired = new HashMap<>(settings);
            onRepaired.put("data_dir", data.toString());
            try (TestBroker second = TestBroker.start(onRepaired, clock);
                    RawMqttClient back = session(second, KEEPER, null)) {
                List<String> received = new ArrayList<>();
                for (int i = 0; i < owed.size(); i++) {
                    Packet.Publish p = back.receive(Packet.Publish.class);
                    assertEquals(
                            i < 5,
                            p.dup(),
                            "only the five in flight are re-sent as duplicates" + " [MQTT-3.3.1-1]: " + p);
                    received.add(payload(p));
                    back.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                assertEquals(owed, received);
                back.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
                back.awaitClose(Duration.ofSeconds(5)); // the core applied every PUBACK before it
            }
            assertEquals(List.of(), queueOf(data), "every entry acknowledged, nothing left queued");
            // The report names the message lost with its record, and the ref that served it.
            assertTrue(repair.out().contains("lost: the queue entry of 'keeper'"), repair.out());
            assertTrue(repair.out().contains("relocation ref dropped: the queue entry of 'keeper'"), repair.out());
            assertTrue(dry.out().contains("relocation ref dropped: the queue entry of 'keeper'"), dry.out());
            assertTrue(
                    repair.out()
                            .contains(
                                    "relocated copies: 11 kept, their refs moved to the new positions; 1 refs"
                                            + " to messages not kept dropped; 1 copies dropped as they served no remaining entry"),
                    repair.out());
            List<byte[]> removed = removedDocuments(data);
            assertEquals(2, removed.size(), "the damaged original and the relocated copy that served only it");
            assertArrayEquals(damaged, removed.get(0));
            MessageRelocated lastCopy = (MessageRelocated) RecordCodec.decode(removed.get(1));
            assertEquals(DAMAGED, new String(lastCopy.message().payload(), StandardCharsets.UTF_8));
        } finally {
            first.deleteData();
        }
    }

    /**
     * The payloads of the session's queue, in queue order, after checking that each entry reads
     * its message where it should: a relocated one ({@code m..}) from a {@code MessageRelocated}
     * that names exactly this entry and carries the same message, the others from their own record.
     */
    private static List<String> queuedPayloadsReadingTheirRelocatedCopies(Path data) {
        Map<Long, JournalRecord> journal = new HashMap<>();
        try (JournalReader reader = JournalReader.open(data.resolve("journal"));
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                journal.put(d.position(), RecordCodec.decode(d.bytes()));
            }
        }
        List<String> payloads = new ArrayList<>();
        for (QueueEntry entry : queueOf(data)) {
            MessageStored stored = (MessageStored) journal.get(entry.position());
            String text = new String(stored.payload(), StandardCharsets.UTF_8);
            payloads.add(text);
            if (text.startsWith("m")) {
                JournalRecord copy = journal.get(entry.payloadPosition());
                assertTrue(copy instanceof MessageRelocated, text + " reads " + entry.payloadPosition() + ": " + copy);
                MessageRelocated relocated = (MessageRelocated) copy;
                assertEquals(List.of(new QueueRef(KEEPER, entry.position(), entry.copy())), relocated.refs(), text);
                assertEquals(text, new String(relocated.message().payload(), StandardCharsets.UTF_8));
            } else {
                assertEquals(entry.position(), entry.payloadPosition(), text + " was never relocated");
            }
        }
        return payloads;
    }

    /** The documents in the removed-copy file, in order. */
    private static List<byte[]> removedDocuments(Path data) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(data)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("journal-removed-"))
                    .toList();
        }
        assertEquals(1, files.size(), files.toString());
        List<byte[]> documents = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(files.get(0)))) {
            byte[] header = new byte[JournalRewriter.REMOVED_FILE_HEADER.length()];
            in.readFully(header);
            assertEquals(JournalRewriter.REMOVED_FILE_HEADER, new String(header, StandardCharsets.US_ASCII));
            while (in.available() > 0) {
                in.readLong();
                byte[] document = new byte[in.readInt()];
                in.readFully(document);
                documents.add(document);
            }
        }
        return documents;
    }

    private static List<QueueEntry> queueOf(Path data) {
        List<QueueEntry> entries = new ArrayList<>();
        try (IndexReader index = IndexReader.openReadOnly(data.resolve("index"))) {
            index.forEachQueueEntry((clientId, entry) -> {
                if (clientId.equals(KEEPER)) {
                    entries.add(entry);
                }
            });
        }
        return entries;
    }

    /** The frame of the MessageStored record whose payload is {@code payload}. */
    private static byte[] storedFrame(Path journal, String payload) {
        try (JournalReader reader = JournalReader.open(journal);
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                if (RecordCodec.decode(d.bytes()) instanceof MessageStored m
                        && payload.equals(new String(m.payload(), StandardCharsets.UTF_8))) {
                    return d.bytes();
                }
            }
        }
        throw new AssertionError("no MessageStored with payload " + payload);
    }

    /**
     * A 3.1.1 session that outlives its connections (clean session 0), subscribed at QoS 1 to
     * {@code filter} unless that is null.
     */
    private static RawMqttClient session(TestBroker broker, String clientId, String filter) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
        client.send(
                new Packet.Connect(ProtocolVersion.MQTT_3_1_1, clientId, false, 0, null, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
        if (filter != null) {
            Packet.Subscription subscription =
                    new Packet.Subscription(filter, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
            client.send(new Packet.Subscribe(1, List.of(subscription), Properties.EMPTY));
            assertEquals(
                    List.of(ReasonCode.GRANTED_QOS_1),
                    client.receive(Packet.SubAck.class).reasons());
        }
        return client;
    }

    /** Publishes each payload at QoS 1, in order, each acknowledged (so durable) before the next. */
    private void publishAll(RawMqttClient publisher, String topic, List<String> owed, String... payloads)
            throws IOException {
        for (String text : payloads) {
            int packetId = ++publishes;
            publisher.send(new Packet.Publish(
                    topic,
                    QoS.AT_LEAST_ONCE,
                    false,
                    false,
                    packetId,
                    Properties.EMPTY,
                    text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(packetId, publisher.receive(Packet.PubAck.class).packetId());
            owed.add(text);
        }
    }

    private static String payload(Packet.Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }
}
