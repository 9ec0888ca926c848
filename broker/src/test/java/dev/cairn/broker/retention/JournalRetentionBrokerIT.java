package dev.cairn.broker.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.journal.JournalRollCycle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Goal: retention keeps the journal bounded under steady load, and a long-offline persistent
 * session loses nothing: its old messages (queued and in flight) are relocated, their cycle files
 * deleted, and it later receives every message in order, also across a restart. Method: a real
 * broker with five-minute cycle files on a {@link ManualClock} whose wall clock the test moves on
 * one cycle at a time, raw MQTT 3.1.1 clients, and retention steps run on request (the periodic
 * check is set to a day so it never interferes).
 */
class JournalRetentionBrokerIT {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetentionBrokerIT.class);
    private static final Duration CYCLE = Duration.ofMinutes(5);
    private static final int RELOCATE_AFTER_CYCLES = 3;
    private static final int RELOCATE_BATCH_MAX = 7;

    private final ManualClock clock = new ManualClock();
    private int nextPacketId = 1;

    private TestBroker start() {
        return TestBroker.start(
                Map.of(
                        "durability", "process",
                        "journal_roll_cycle", "five-minutely",
                        "journal_retention_check_seconds", "86400",
                        "journal_relocate_after_cycles", Integer.toString(RELOCATE_AFTER_CYCLES),
                        "journal_relocate_batch_max", Integer.toString(RELOCATE_BATCH_MAX)),
                clock);
    }

    @Test
    void steadyLoadWithSubscribersOnlineKeepsTheJournalToTheLastCycles() throws Exception {
        int cycles = 20;
        int perCycle = 30;
        try (TestBroker broker = start();
                RawMqttClient sub = connect(broker, "steady-sub", false);
                RawMqttClient pub = connect(broker, "steady-pub", true)) {
            subscribe(sub, "load/#");
            long deletedFiles = 0;
            long deletedBytes = 0;
            long maxFiles = 0;
            long maxBytes = 0;
            for (int c = 0; c < cycles; c++) {
                for (int i = 0; i < perCycle; i++) {
                    publish(pub, "load/" + c, c + "-" + i);
                }
                for (int i = 0; i < perCycle; i++) {
                    Packet.Publish p = sub.receive(Packet.Publish.class);
                    assertEquals(c + "-" + i, payload(p));
                    sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                maxFiles = Math.max(maxFiles, cycleFiles(broker).size());
                maxBytes = Math.max(maxBytes, bytes(cycleFiles(broker)));
                clock.advanceWallClock(CYCLE);
                RetentionReport report = broker.runRetention();
                deletedFiles += report.filesDeleted();
                deletedBytes += report.bytesDeleted();
                assertTrue(cycleFiles(broker).size() <= 2, "after the step: " + cycleFiles(broker));
            }
            LOG.info(
                    "steady load: {} cycles x {} QoS 1 messages; deleted {} files ({} bytes); at most {} cycle files"
                            + " ({} bytes apparent) on disk",
                    cycles,
                    perCycle,
                    deletedFiles,
                    deletedBytes,
                    maxFiles,
                    maxBytes);
            assertTrue(maxFiles <= 2, "at most the previous and the current cycle: " + maxFiles);
            assertTrue(deletedFiles >= cycles - 2, "deleted " + deletedFiles);
        }
    }

    /**
     * What the counts in these tests rely on: a cycle file appears only when the test moves the wall
     * clock. With the wall clock 200 ms before a cycle boundary, 400 ms of real time pass between two
     * publishes, which must still land in one cycle file; a wall clock that ticked with real time
     * (as this class's clock once did) puts the second one in a new file.
     */
    @Test
    void aCycleFileAppearsOnlyWhenTheTestMovesTheWallClock() throws Exception {
        try (TestBroker broker = start();
                RawMqttClient pub = connect(broker, "still-pub", true)) {
            clock.advanceWallClock(
                    Duration.ofMillis(CYCLE.toMillis() - clock.currentTimeMillis() % CYCLE.toMillis() - 200));
            publish(pub, "t", "before");
            long realEnd = System.nanoTime() + Duration.ofMillis(400).toNanos();
            while (System.nanoTime() < realEnd) { // real time passing is what is tested here
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
            publish(pub, "t", "400 ms of real time later");
            assertEquals(1, cycleFiles(broker).size(), "no new cycle without the test: " + cycleFiles(broker));
            clock.advanceWallClock(CYCLE);
            publish(pub, "t", "one cycle later");
            assertEquals(2, cycleFiles(broker).size(), cycleFiles(broker).toString());
        }
    }

    @ParameterizedTest(name = "restart before reconnecting: {0}")
    @ValueSource(booleans = {false, true})
    void aLongOfflineSessionIsRelocatedAndLaterReceivesEveryMessageInOrder(boolean restart) throws Exception {
        try (TestBroker broker = start()) {
            List<String> expected = new ArrayList<>();
            Path firstCycle;
            try (RawMqttClient offline = connect(broker, "offline", false);
                    RawMqttClient pub = connect(broker, "pub", true)) {
                subscribe(offline, "q/#");
                for (int i = 0; i < 5; i++) {
                    expected.add(publish(pub, "q/a", "m" + i));
                }
                for (int i = 0; i < 5; i++) { // received, never acknowledged: in flight when it goes away
                    assertEquals("m" + i, payload(offline.receive(Packet.Publish.class)));
                }
                // A DISCONNECT answered by the broker closing the socket: the core has detached
                // the session before anything below is published, so m5.. cannot go out in flight.
                offline.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
                offline.awaitClose(Duration.ofSeconds(5));
                for (int i = 5; i < 20; i++) {
                    expected.add(publish(pub, "q/a", "m" + i));
                }
                firstCycle = cycleFiles(broker).get(0);
                int relocated = 0;
                for (int c = 1; c <= 8; c++) {
                    clock.advanceWallClock(CYCLE);
                    expected.add(publish(pub, "q/b", "n" + c + "-0"));
                    expected.add(publish(pub, "q/b", "n" + c + "-1"));
                    RetentionReport report = broker.runRetention();
                    assertTrue(report.entriesRelocated() <= RELOCATE_BATCH_MAX, report.toString());
                    relocated += report.entriesRelocated();
                }
                broker.runRetention(); // deletes what the last step relocated
                assertTrue(relocated >= 20, "relocated " + relocated);
                assertFalse(Files.exists(firstCycle), "the first cycle was deleted");
                assertTrue(
                        cycleFiles(broker).size() <= RELOCATE_AFTER_CYCLES + 1,
                        cycleFiles(broker).toString());
            }
            if (restart) {
                broker.restart();
            }
            try (RawMqttClient back = connect(broker, "offline", false)) {
                List<String> received = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    Packet.Publish p = back.receive(Packet.Publish.class);
                    assertEquals(i < 5, p.dup(), "only the five in flight are re-sent as duplicates: " + p);
                    received.add(payload(p));
                    back.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                assertEquals(expected, received);
            }
        }
    }

    /**
     * A session's two copies of one message (its own subscription and a shared group's pick, MQTT
     * 5.0 section 4.8.2) are two queue entries: retention relocates both, deletes the old cycle,
     * and after a restart the session gets both copies of every message, in order.
     */
    @Test
    void bothCopiesOfAMessageAreRelocatedAndDeliveredAfterARestart() throws Exception {
        try (TestBroker broker = start()) {
            try (RawMqttClient offline = connect(broker, "two-copies", false);
                    RawMqttClient pub = connect(broker, "copies-pub", true)) {
                subscribe(offline, "c/#");
                subscribe(offline, "$share/g/c/#");
                offline.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
                offline.awaitClose(Duration.ofSeconds(5));
                for (int i = 0; i < 3; i++) {
                    publish(pub, "c/a", "m" + i);
                }
                Path firstCycle = cycleFiles(broker).get(0);
                int relocated = 0;
                for (int c = 1; c <= RELOCATE_AFTER_CYCLES + 1; c++) {
                    clock.advanceWallClock(CYCLE);
                    publish(pub, "elsewhere", "tick " + c);
                    relocated += broker.runRetention().entriesRelocated();
                }
                broker.runRetention(); // deletes what the last step relocated
                assertEquals(6, relocated, "three messages, two queue entries each");
                assertFalse(Files.exists(firstCycle), "the first cycle was deleted");
            }
            broker.restart();
            try (RawMqttClient back = connect(broker, "two-copies", false)) {
                List<String> received = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Packet.Publish p = back.receive(Packet.Publish.class);
                    received.add(payload(p));
                    back.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                assertEquals(List.of("m0", "m0", "m1", "m1", "m2", "m2"), received);
            }
        }
    }

    @Test
    void thePeriodicCheckDeletesOldCyclesWithoutBeingAsked() throws Exception {
        Map<String, String> settings = Map.of(
                "durability", "process", "journal_roll_cycle", "five-minutely", "journal_retention_check_seconds", "1");
        try (TestBroker broker = TestBroker.start(settings, clock);
                RawMqttClient pub = connect(broker, "periodic-pub", true)) {
            publish(pub, "t", "first cycle");
            Path first = cycleFiles(broker).get(0);
            clock.advanceWallClock(CYCLE);
            publish(pub, "t", "second cycle");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(first) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // polls an observable effect
            }
            assertFalse(Files.exists(first), "the periodic step (every second) deleted " + first);
            assertEquals(1, cycleFiles(broker).size());
        }
    }

    @Test
    void theRetentionSettingsAreCheckedAtLoad() {
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("journal_roll_cycle", "weekly")));
        assertThrows(
                ConfigException.class, () -> ConfigLoader.load(null, Map.of("journal_retention_check_seconds", "0")));
        assertThrows(
                ConfigException.class, () -> ConfigLoader.load(null, Map.of("journal_relocate_after_cycles", "0")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("journal_relocate_batch_max", "0")));
        BrokerConfig defaults = BrokerConfig.defaults();
        assertEquals(JournalRollCycle.HOURLY, defaults.journalRollCycle());
        assertEquals(60, defaults.journalRetentionCheckSeconds());
        assertEquals(24, defaults.journalRelocateAfterCycles());
        assertEquals(10_000, defaults.journalRelocateBatchMax());
        assertEquals(
                JournalRollCycle.DAILY,
                ConfigLoader.load(null, Map.of("journal_roll_cycle", "daily")).journalRollCycle());
    }

    private RawMqttClient connect(TestBroker broker, String clientId, boolean cleanStart) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
        client.send(new Packet.Connect(
                ProtocolVersion.MQTT_3_1_1, clientId, cleanStart, 0, null, null, null, Properties.EMPTY));
        Packet.ConnAck ack = client.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason());
        return client;
    }

    private void subscribe(RawMqttClient client, String filter) throws IOException {
        client.send(new Packet.Subscribe(
                nextPacketId(),
                List.of(new Packet.Subscription(
                        filter, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY));
        client.receive(Packet.SubAck.class);
    }

    /** Publishes at QoS 1 and waits for PUBACK (the message is durable); returns the payload. */
    private String publish(RawMqttClient pub, String topic, String payload) throws IOException {
        int id = nextPacketId();
        pub.send(new Packet.Publish(
                topic,
                QoS.AT_LEAST_ONCE,
                false,
                false,
                id,
                Properties.EMPTY,
                payload.getBytes(StandardCharsets.UTF_8)));
        assertEquals(id, pub.receive(Packet.PubAck.class).packetId());
        return payload;
    }

    private int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = id == 0xFFFF ? 1 : id + 1;
        return id;
    }

    private static String payload(Packet.Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    private static List<Path> cycleFiles(TestBroker broker) throws IOException {
        try (Stream<Path> files = Files.list(broker.dataDir().resolve("journal"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4"))
                    .sorted()
                    .toList();
        }
    }

    private static long bytes(List<Path> files) throws IOException {
        long sum = 0;
        for (Path f : files) {
            sum += Files.size(f);
        }
        return sum;
    }
}
