package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.protocol.Properties;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code /health/ready} answers 503 while the journal is recovered and 200 once every
 * listener is bound, while {@code /health/live} answers 200 throughout. Method: a child broker
 * journals many QoS 1 messages for an offline persistent session and is killed with SIGKILL; its
 * index is deleted, so the next start replays the whole journal into a new index (ARCHITECTURE.md:
 * the index is derived). That broker is started and polled from the moment its admin listener
 * logs that it is up, before the data directory is opened, until ready answers 200 or a deadline
 * passes; the answers seen, in order, are the assertion.
 */
class HealthIT {
    private static final int MESSAGES = 60_000;
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void readyIs503WhileTheJournalIsRecoveredAnd200OnceTheListenersAreBoundWhileLiveStays200() throws Exception {
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        // Arrange: a journal of MESSAGES QoS 1 messages, and no index.
        try (ChildBroker first = ChildBroker.start(data, logs, Map.of())) {
            fillJournal(first);
            first.kill9();
        }
        deleteRecursively(data.resolve("index"));
        // Act
        Set<String> readyAnswers = new LinkedHashSet<>();
        List<Integer> liveAnswers = new ArrayList<>();
        try (ChildBroker second = ChildBroker.startAwaitingAdmin(data, logs, Map.of())) {
            int admin = second.adminPort();
            long deadline = System.nanoTime() + RECOVERY_DEADLINE.toNanos();
            HttpResponse<String> ready;
            do {
                assertTrue(
                        System.nanoTime() - deadline < 0,
                        "not ready within " + RECOVERY_DEADLINE + ": " + readyAnswers);
                liveAnswers.add(Scrape.get(admin, "/health/live").statusCode());
                ready = Scrape.get(admin, "/health/ready");
                readyAnswers.add(ready.statusCode() + " " + ready.body().strip());
            } while (ready.statusCode() != 200);
            // Assert
            List<String> seen = new ArrayList<>(readyAnswers);
            assertEquals("503 recovering the journal", seen.get(0), "first answers: " + seen);
            assertEquals("200 ready", seen.get(seen.size() - 1), "answers: " + seen);
            assertTrue(liveAnswers.stream().allMatch(s -> s == 200), "live answers: " + liveAnswers);
            assertTrue(
                    second.replayedRecords() >= MESSAGES,
                    "the journal was replayed: " + second.replayedRecords() + " records");
            // Once ready, MQTT is served.
            try (RawMqttClient c = new RawMqttClient(second.host(), second.port(), ProtocolVersion.MQTT_5)) {
                c.send(Clients.connect(ProtocolVersion.MQTT_5, "after", true, Properties.EMPTY));
                assertEquals(ReasonCode.SUCCESS, c.receive(Packet.ConnAck.class).reason());
            }
        }
    }

    /** One offline persistent subscriber, and MESSAGES QoS 1 PUBLISHes for it, sent in windows of 500. */
    private static void fillJournal(ChildBroker broker) throws Exception {
        try (RawMqttClient sub = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5)) {
            sub.send(Clients.connect(ProtocolVersion.MQTT_5, "away", false, Clients.sessionExpiry(3600)));
            assertEquals(ReasonCode.SUCCESS, sub.receive(Packet.ConnAck.class).reason());
            Clients.subscribeRaw(sub, 1, "big/#", QoS.AT_LEAST_ONCE);
            sub.send(new Packet.Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
            sub.awaitClose(Clients.TIMEOUT);
        }
        try (RawMqttClient pub = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5)) {
            pub.send(Clients.connect(ProtocolVersion.MQTT_5, "pub", true, Properties.EMPTY));
            assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.ConnAck.class).reason());
            String payload = "x".repeat(64);
            int window = 500;
            for (int sent = 0; sent < MESSAGES; sent += window) {
                for (int i = 0; i < window; i++) {
                    pub.send(Clients.publish("big/t", QoS.AT_LEAST_ONCE, 1 + i, payload));
                }
                for (int i = 0; i < window; i++) {
                    assertEquals(
                            ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
