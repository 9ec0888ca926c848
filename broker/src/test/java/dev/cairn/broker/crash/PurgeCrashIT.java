package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Packets;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a purge of a large on-disk queue cut short by kill -9 leaves a consistent queue: every
 * message either still queued, whole, or gone, and those still queued are exactly the end of the
 * queue (the purge removes from the head, each message with its own journal record), which the
 * restarted broker both counts (the index rebuilt from the journal) and delivers in order
 * [MQTT-4.6.0-6]. Method: a child broker; an offline persistent MQTT 5 session with a queue of
 * {@value #MESSAGES} QoS 1 messages numbered in publish order (many purge steps); the admin API's
 * purge answers 202 after its first step while the rest goes on in steps, and the broker gets
 * SIGKILL at once. After a restart on the same data the session's queue is counted and drained.
 */
class PurgeCrashIT {
    /** About 50 purge steps of 4096 messages: the kill lands long before the last. */
    private static final int MESSAGES = 200_000;

    private static final int WINDOW = 500;
    private static final String TOKEN = "purge-crash-token-0123456789";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void kill9DuringAPurgeLeavesTheEndOfTheQueueWholeAndInOrder() throws Exception {
        Path data = tmp.resolve("data");
        Path token = Files.writeString(tmp.resolve("admin-token"), TOKEN + "\n");
        Map<String, String> settings = Map.of("admin.token_file", token.toString());
        long left;
        try (ChildBroker first = ChildBroker.start(data, tmp, settings)) {
            try (RawMqttClient sub = connect(first, "big", true)) {
                sub.send(Packets.subscribe(1, "load/#", QoS.AT_LEAST_ONCE));
                assertEquals(
                        ReasonCode.GRANTED_QOS_1,
                        sub.receive(Packet.SubAck.class).reasons().get(0));
                sub.send(new Packet.Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
            }
            publish(first, MESSAGES);
            assertEquals(MESSAGES, session(first).get("queued").asLong());
            // Act: the purge answers once its first step is durable; the rest would follow in steps.
            HttpResponse<String> purge = api(first, "POST", "/api/sessions/big/purge");
            first.kill9();
            // Assert: it was under way when the broker died.
            assertEquals(202, purge.statusCode(), purge.body());
            JsonNode answer = JSON.readTree(purge.body());
            assertTrue(answer.get("purging").asBoolean(), purge.body());
            assertTrue(answer.get("purged").asLong() > 0, purge.body());
        }
        try (ChildBroker second = ChildBroker.start(data, tmp, settings)) {
            JsonNode big = session(second);
            left = big.get("queued").asLong();
            assertFalse(big.get("purging").asBoolean(), "a purge cut short is not resumed: " + big);
            assertTrue(
                    left > 0 && left < MESSAGES,
                    "the kill landed in the middle of the purge: " + left + " of " + MESSAGES + " left");
            // The session gets exactly the last `left` messages, each once, in order, then nothing.
            try (RawMqttClient sub = connect(second, "big", false)) {
                for (long expected = MESSAGES - left + 1; expected <= MESSAGES; expected++) {
                    Packet.Publish p = sub.receive(Packet.Publish.class);
                    assertEquals(Long.toString(expected), Packets.text(p.payload()), "message in order");
                    sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                }
                publish(second, 0); // the fence: message 0, queued behind everything before it
                Packet.Publish fence = sub.receive(Packet.Publish.class);
                assertEquals("fence", Packets.text(fence.payload()), "nothing purged came back");
            }
        }
    }

    /** Publishes messages 1..count ("1", "2", ...) on load/t, QoS 1, {@value #WINDOW} at a time; 0: a fence. */
    private static void publish(ChildBroker broker, int count) throws IOException {
        try (RawMqttClient pub = connect(broker, "pub", true)) {
            if (count == 0) {
                pub.send(Packets.publish("load/t", QoS.AT_LEAST_ONCE, 1, "fence"));
                assertEquals(
                        ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
                return;
            }
            for (int sent = 0; sent < count; sent += WINDOW) {
                int window = Math.min(WINDOW, count - sent);
                for (int i = 1; i <= window; i++) {
                    pub.send(Packets.publish("load/t", QoS.AT_LEAST_ONCE, i, Integer.toString(sent + i)));
                }
                for (int i = 1; i <= window; i++) {
                    assertEquals(
                            ReasonCode.SUCCESS, pub.receive(Packet.PubAck.class).reason());
                }
            }
        }
    }

    private static RawMqttClient connect(ChildBroker broker, String clientId, boolean cleanStart) throws IOException {
        RawMqttClient c = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        Packet.ConnAck ack = c.connect5(
                clientId,
                cleanStart,
                Properties.builder().sessionExpiryIntervalSeconds(3600L).build());
        assertEquals(ReasonCode.SUCCESS, ack.reason());
        return c;
    }

    private JsonNode session(ChildBroker broker) throws Exception {
        HttpResponse<String> answer = api(broker, "GET", "/api/sessions?limit=1");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode s = JSON.readTree(answer.body()).get("sessions").get(0);
        assertEquals("big", s.get("clientId").asText(), answer.body());
        return s;
    }

    private HttpResponse<String> api(ChildBroker broker, String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.adminPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + TOKEN)
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
