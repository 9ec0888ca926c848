package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a bridge's status (connected and since when, the remote address, its session's queue
 * depth, bytes and oldest message, sent and acknowledged counts, reconnects, the last error) is
 * what the test did to it, in /metrics ({@code cairn_bridge_*}), in GET /api/bridges and in the
 * log, whose connect and disconnect lines stay few when the link flaps. Method: an edge Cairn
 * bridging to a central Cairn that the test stops and starts again on the same port; raw
 * publishers; the admin listener read over HTTP.
 */
class BridgeStatusIT extends Clients {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOPIC = "edge/line";
    private static final String PAYLOAD = "twelve bytes";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path tokenFile;

    @BeforeEach
    void token() throws IOException {
        tokenFile = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private Map<String, String> edgeSettings(int centralPort) {
        Map<String, String> s = new HashMap<>();
        s.put("admin.token_file", tokenFile.toString());
        s.put("bridge.central.address", "127.0.0.1:" + centralPort);
        s.put("bridge.central.topic.1", "# out 1 edge/ site7/");
        s.put("bridge.central.protocol", "5");
        s.put("bridge.central.client_id", "edge-1");
        s.put("bridge.central.restart_timeout_initial_millis", "50");
        s.put("bridge.central.restart_timeout_max_millis", "200");
        return s;
    }

    private JsonNode bridge(TestBroker edge, String name) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/api/bridges"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode b : JSON.readTree(r.body()).get("bridges")) {
            if (b.get("name").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no bridge " + name + " in " + r.body());
    }

    private static double metric(TestBroker edge, String name) {
        return Scrape.of(edge.adminPort()).value(name + "{bridge=\"central\"}");
    }

    /** Waits until /api/bridges shows the bridge as {@code until} says; returns that view. */
    private JsonNode awaitBridge(TestBroker edge, Predicate<JsonNode> until, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode b = bridge(edge, "central");
        while (!until.test(b)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + ": " + b);
            }
            Thread.sleep(20); // The poll's pace; the exit is the condition.
            b = bridge(edge, "central");
        }
        return b;
    }

    private static void publishAcknowledged(RawMqttClient pub, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            pub.send(publish(TOPIC, QoS.AT_LEAST_ONCE, i, PAYLOAD));
            assertEquals(ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
        }
    }

    @Test
    @DisplayName("the status follows an outage: N queued while the remote is away, drained and acknowledged after")
    void theStatusFollowsAnOutage() throws Exception {
        int port = freePort();
        TestBroker central = broker(Map.of("port", Integer.toString(port)));
        try (LogLines log = LogLines.capture("bridge central")) {
            Instant started = Instant.now().minusSeconds(1);
            TestBroker edge = broker(edgeSettings(port));
            RawMqttClient pub = raw(edge, ProtocolVersion.MQTT_5, "pub");
            JsonNode up = awaitBridge(edge, b -> b.get("connected").asBoolean(), "the first link");
            assertEquals("127.0.0.1:" + port, up.get("remote").asText());
            assertEquals(0, up.get("reconnects").asLong());
            assertFalse(Instant.parse(up.get("since").asText()).isBefore(started), up.toString());
            publishAcknowledged(pub, 2);
            awaitBridge(edge, b -> b.get("acknowledged").asLong() == 2, "2 acknowledged");

            // Act: the remote goes away, and 5 messages are published meanwhile.
            central.close();
            JsonNode down = awaitBridge(edge, b -> !b.get("connected").asBoolean(), "the link to end");
            Instant beforeQueueing = Instant.now().minusSeconds(1);
            publishAcknowledged(pub, 5);

            // Assert: 5 queued, of 5 x (9 + 12) bytes, the oldest received after the outage began.
            JsonNode queued = awaitBridge(edge, b -> b.get("queued").asLong() == 5, "5 queued");
            assertEquals(
                    5 * (TOPIC.length() + PAYLOAD.length()),
                    queued.get("queuedBytes").asLong());
            Instant oldest = Instant.parse(queued.get("oldestQueuedAt").asText());
            assertFalse(oldest.isBefore(beforeQueueing), queued.toString());
            assertTrue(queued.get("oldestQueuedAgeMillis").asLong() >= 0, queued.toString());
            assertEquals(2, queued.get("acknowledged").asLong());
            assertTrue(queued.get("failures").asLong() >= 1, queued.toString());
            String lastError = down.get("lastError").asText();
            assertTrue(
                    lastError.contains("SERVER_SHUTTING_DOWN") || lastError.contains("Connection refused"),
                    down.toString());
            assertFalse(Instant.parse(down.get("lastErrorAt").asText()).isBefore(started), down.toString());
            await(() -> metric(edge, "cairn_bridge_queued_messages") == 5, WAIT, "metric queued 5");
            assertEquals(0, metric(edge, "cairn_bridge_connected"));
            assertEquals(5.0 * (TOPIC.length() + PAYLOAD.length()), metric(edge, "cairn_bridge_queued_bytes"));
            assertTrue(metric(edge, "cairn_bridge_oldest_queued_age_seconds") >= 0);
            assertEquals(2, metric(edge, "cairn_bridge_acknowledged_messages_total"));

            // Act: the remote is back.
            TestBroker again = broker(Map.of("port", Integer.toString(port)));

            // Assert: the queue drains, the 5 are acknowledged, one reconnect.
            JsonNode drained = awaitBridge(
                    edge,
                    b -> b.get("queued").asLong() == 0 && b.get("acknowledged").asLong() == 7,
                    "the queue drained and 7 acknowledged");
            assertTrue(drained.get("connected").asBoolean(), drained.toString());
            assertEquals(1, drained.get("reconnects").asLong());
            assertTrue(drained.get("sent").asLong() >= 7, drained.toString());
            assertTrue(drained.get("oldestQueuedAt").isNull(), drained.toString());
            await(
                    () -> metric(edge, "cairn_bridge_queued_messages") == 0
                            && metric(edge, "cairn_bridge_connected") == 1,
                    WAIT,
                    "metrics: drained and connected");
            assertEquals(7, metric(edge, "cairn_bridge_acknowledged_messages_total"));
            assertEquals(1, metric(edge, "cairn_bridge_reconnects_total"));
            assertEquals(
                    1,
                    Scrape.of(edge.adminPort())
                            .value("cairn_bridge_remote_info{bridge=\"central\",remote=\"127.0.0.1:" + port + "\"}"));
            // The log: a line per connect and one for the disconnect, with its reason.
            assertEquals(
                    2,
                    log.containing("bridge central connected to 127.0.0.1:" + port)
                            .size());
            assertEquals(
                    1,
                    log.containing("bridge central: link to 127.0.0.1:" + port
                                    + ": the remote disconnected [SERVER_SHUTTING_DOWN]")
                            .size(),
                    log.containing("bridge central").toString());
            again.close();
        }
    }

    @Test
    @DisplayName("a link that flaps (two bridges with one client id) logs at most 10 lines a minute per bridge")
    void aFlappingLinkDoesNotFloodTheLog() throws Exception {
        TestBroker central = broker();
        Map<String, String> s = new HashMap<>();
        s.put("admin.token_file", tokenFile.toString());
        for (String name : new String[] {"a", "b"}) {
            // The same client id on the remote: each link takes the other's session over [MQTT-3.1.4-3].
            s.put("bridge." + name + ".address", "127.0.0.1:" + central.port());
            s.put("bridge." + name + ".topic.1", name + "/# out 1");
            s.put("bridge." + name + ".client_id", "edge-twin");
            s.put("bridge." + name + ".restart_timeout_initial_millis", "10");
            s.put("bridge." + name + ".restart_timeout_max_millis", "10");
        }
        try (LogLines log = LogLines.capture("bridge a")) {
            // Act
            TestBroker edge = broker(s);
            // Assert
            await(
                    () -> {
                        try {
                            return bridge(edge, "a").get("reconnects").asLong() >= 30;
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    },
                    WAIT,
                    "30 reconnects of bridge a");
            long links = log.containing("bridge a connected to").size()
                    + log.containing("bridge a: link to").size();
            long attempts = log.containing("bridge a: connecting to").size();
            String all = String.join("\n", log.containing("bridge a"));
            assertTrue(links <= 10 && attempts <= 10, links + " and " + attempts + " lines:\n" + all);
            assertTrue(links >= 2, "the first connect and disconnect are logged:\n" + all);
        }
    }
}
