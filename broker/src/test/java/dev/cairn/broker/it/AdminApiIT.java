package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the admin API under {@code /api/} shows the clients, sessions, retained messages and the
 * journal as they are, its commands do what they say (a disconnect is seen by the client, a purge
 * and a deletion survive a restart), and nobody without a credential gets in. Method: a real
 * broker with {@code admin.password_file} and {@code admin.token_file}, real Paho 3.1.1 and 5.0
 * clients, and the JDK's HTTP client; restarts on the same data directory.
 */
class AdminApiIT extends Clients {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Map<String, String> settings;

    @BeforeEach
    void credentials() throws IOException {
        Path users = dir.resolve("admin-users");
        Files.writeString(
                users,
                PasswordFile.empty()
                        .with("ops", PasswordHash.pbkdf2("secret".toCharArray(), 1000, new SecureRandom()))
                        .text());
        Path token = dir.resolve("admin-token");
        Files.writeString(token, TOKEN + "\n");
        settings = Map.of("admin.password_file", users.toString(), "admin.token_file", token.toString());
    }

    @Test
    void listsEachConnectedClientWithItsFields() throws Exception {
        TestBroker broker = broker(settings);
        Instant before = Instant.now().minusSeconds(1);
        MqttConnectOptions alice = options3(true);
        alice.setUserName("alice");
        paho3(broker, "c-three", alice, null);
        paho5(broker, "c-five", options5(false, 600), null);
        paho3(broker, "c-plain", null);
        // Act
        JsonNode clients = ok(get(broker, "/api/clients")).get("clients");
        // Assert
        assertEquals(3, clients.size(), clients.toString());
        Map<String, JsonNode> byId = byClientId(clients);
        JsonNode three = byId.get("c-three");
        assertEquals("alice", three.get("username").asText());
        assertEquals("3.1.1", three.get("protocol").asText());
        assertEquals("5.0", byId.get("c-five").get("protocol").asText());
        assertTrue(byId.get("c-five").get("username").isNull(), "no user name is null");
        for (JsonNode c : clients) {
            assertTrue(c.get("address").asText().startsWith("127.0.0.1:"), c.toString());
            assertEquals("default", c.get("listener").asText());
            Instant since = Instant.parse(c.get("connectedSince").asText());
            assertTrue(!since.isBefore(before) && !since.isAfter(Instant.now()), c.toString());
            assertEquals(0, c.get("inflight").asInt());
            assertEquals(0, c.get("queued").asLong());
        }
    }

    @Test
    void disconnectClosesA311ClientAndSendsAdministrativeActionToA5ClientKeepingItsSession() throws Exception {
        TestBroker broker = broker(settings);
        Received three = new Received();
        Received five = new Received();
        paho3(broker, "old", three);
        paho5(broker, "new", options5(false, 600), five);
        // Act
        JsonNode a = ok(post(broker, "/api/clients/old/disconnect"));
        JsonNode b = ok(post(broker, "/api/clients/new/disconnect"));
        // Assert
        assertTrue(a.get("disconnected").asBoolean() && b.get("disconnected").asBoolean());
        assertTrue(three.awaitLost(), "Paho 3.1.1 saw connectionLost");
        assertTrue(five.awaitLost(), "Paho 5.0 saw the disconnect");
        assertEquals(0x98, five.disconnectReasonCode(), "DISCONNECT 0x98 Administrative action");
        JsonNode sessions = ok(get(broker, "/api/sessions")).get("sessions");
        assertEquals(1, sessions.size(), "the 5.0 session is kept for its expiry, the clean one ended: " + sessions);
        assertEquals("new", sessions.get(0).get("clientId").asText());
        assertFalse(sessions.get(0).get("online").asBoolean());
        assertEquals(
                404,
                send(broker, "POST", "/api/clients/new/disconnect", basic("ops", "secret"))
                        .statusCode());
    }

    @Test
    void anOfflineSessionsQueueIsListedAndItsPurgeSurvivesARestart() throws Exception {
        TestBroker broker = broker(settings);
        queueFor(broker, "away", 4);
        // Act
        JsonNode away = sessionNamed(broker, "away");
        // Assert: 4 messages of "q/x" (3 bytes) and "ten bytes!" (10 bytes).
        assertFalse(away.get("online").asBoolean());
        assertEquals(4, away.get("queued").asLong());
        assertEquals(4 * 13, away.get("queuedBytes").asLong());
        assertTrue(away.get("oldestQueuedAgeMillis").asLong() >= 0, away.toString());
        assertNotNull(Instant.parse(away.get("oldestQueuedAt").asText()));
        assertEquals(600, away.get("expiryIntervalSeconds").asLong());
        assertTrue(Instant.parse(away.get("expiresAt").asText()).isAfter(Instant.now()), away.toString());
        // Act: purge, then restart on the same data.
        assertEquals(
                4, ok(post(broker, "/api/sessions/away/purge")).get("purged").asLong());
        assertEquals(0, sessionNamed(broker, "away").get("queued").asLong());
        broker.restart();
        // Assert: still empty, and the client resumes its session without them.
        JsonNode after = sessionNamed(broker, "away");
        assertEquals(0, after.get("queued").asLong(), after.toString());
        assertTrue(after.get("oldestQueuedAt").isNull());
        Received received = new Received();
        paho5(broker, "away", options5(false, 600), received);
        paho3(broker, "fence", null).publish("q/x", utf8("fence"), 1, false);
        assertEquals("fence", received.next().payload(), "the purged messages did not come back");
    }

    @Test
    void aDeletedSessionIsGoneAfterARestartAndItsOnlineClientIsDisconnected() throws Exception {
        TestBroker broker = broker(settings);
        queueFor(broker, "gone", 2);
        Received online = new Received();
        paho5(broker, "live", options5(false, 600), online);
        // Act
        assertTrue(ok(send(broker, "DELETE", "/api/sessions/gone", bearer(TOKEN)))
                .get("deleted")
                .asBoolean());
        assertTrue(ok(send(broker, "DELETE", "/api/sessions/live", bearer(TOKEN)))
                .get("deleted")
                .asBoolean());
        // Assert
        assertTrue(online.awaitLost());
        assertEquals(0x98, online.disconnectReasonCode());
        broker.restart();
        JsonNode page = ok(get(broker, "/api/sessions"));
        assertEquals(0, page.get("total").asInt(), page.toString());
        assertEquals(
                404, send(broker, "DELETE", "/api/sessions/gone", bearer(TOKEN)).statusCode());
    }

    @Test
    void clientIdsWithASlashAndASpaceArePercentEncodedInPaths() throws Exception {
        TestBroker broker = broker(settings);
        String id = "plant 7/line+1";
        queueFor(broker, id, 1);
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        // Act
        JsonNode purged = ok(post(broker, "/api/sessions/" + encoded + "/purge"));
        // Assert
        assertEquals(id, purged.get("clientId").asText());
        assertEquals(1, purged.get("purged").asLong());
        assertFalse(purged.get("purging").asBoolean(), "one step was all it took: " + purged);
        assertFalse(sessionNamed(broker, id).get("purging").asBoolean());
        assertEquals(
                id,
                ok(send(broker, "DELETE", "/api/sessions/" + encoded, basic("ops", "secret")))
                        .get("clientId")
                        .asText());
    }

    @Test
    void sessionsArePagedInClientIdOrder() throws Exception {
        TestBroker broker = broker(settings);
        for (String id : List.of("s3", "s1", "s5", "s2", "s4")) {
            paho5(broker, id, options5(false, 600), null).disconnect();
        }
        // Act
        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            JsonNode page = ok(get(broker, "/api/sessions?limit=2&after=" + after));
            assertEquals(5, page.get("total").asInt());
            page.get("sessions").forEach(s -> seen.add(s.get("clientId").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null);
        // Assert
        assertEquals(List.of("s1", "s2", "s3", "s4", "s5"), seen);
        assertEquals(3, pages);
    }

    @Test
    void theLargestQueuesAreListedFirstToFindTheOneThatGrows() throws Exception {
        TestBroker broker = broker(settings);
        // Each session subscribes to q/#, so the earlier ones also get the later ones' messages.
        queueFor(broker, "a-early", 1);
        queueFor(broker, "c-middle", 2);
        queueFor(broker, "b-late", 4);
        // Act
        JsonNode page = ok(get(broker, "/api/sessions?order=queued&limit=2"));
        // Assert: 7, 6 (and 4 left out), most first.
        List<String> seen = new ArrayList<>();
        page.get("sessions")
                .forEach(s -> seen.add(
                        s.get("clientId").asText() + "=" + s.get("queued").asLong()));
        assertEquals(List.of("a-early=7", "c-middle=6"), seen, page.toString());
        assertEquals(3, page.get("total").asInt());
        assertTrue(page.get("next").isNull(), "one page only: " + page);
        assertEquals(400, get(broker, "/api/sessions?order=queued&after=a").statusCode());
        assertEquals(400, get(broker, "/api/sessions?order=size").statusCode());
    }

    @Test
    void retainedMessagesAreListedByFilterAndADeletionSurvivesARestart() throws Exception {
        TestBroker broker = broker(settings);
        MqttClient pub = paho3(broker, "pub", null);
        pub.publish("a/b", utf8("one"), 1, true);
        pub.publish("a/c", utf8("two"), 0, true);
        pub.publish("z", utf8("three"), 1, true);
        // Act
        JsonNode list = ok(get(broker, "/api/retained?filter=a/%2B"));
        // Assert
        assertEquals(2, list.get("matched").asInt());
        JsonNode first = list.get("messages").get(0);
        assertEquals("a/b", first.get("topic").asText());
        assertEquals(1, first.get("qos").asInt());
        assertEquals(3, first.get("payloadBytes").asInt());
        assertEquals("one", first.get("payloadStartUtf8").asText());
        assertEquals(
                "one",
                new String(Base64.getDecoder()
                        .decode(first.get("payloadStartBase64").asText())));
        assertEquals(
                2,
                ok(get(broker, "/api/retained?filter=a/+&limit=1"))
                        .get("matched")
                        .asInt(),
                "+ is itself");
        assertEquals(
                1,
                ok(get(broker, "/api/retained?filter=a/%2B&limit=1"))
                        .get("messages")
                        .size());
        // Act: delete one, restart.
        assertTrue(ok(send(broker, "DELETE", "/api/retained?topic=a/b", bearer(TOKEN)))
                .get("deleted")
                .asBoolean());
        broker.restart();
        // Assert
        JsonNode all = ok(get(broker, "/api/retained"));
        assertEquals(2, all.get("matched").asInt(), all.toString());
        assertEquals("a/c", all.get("messages").get(0).get("topic").asText());
        assertEquals(
                404,
                send(broker, "DELETE", "/api/retained?topic=a/b", bearer(TOKEN)).statusCode());
    }

    @Test
    void journalStatsShowTheFilesAndPositions() throws Exception {
        TestBroker broker = broker(settings);
        queueFor(broker, "j", 3);
        // Act
        JsonNode j = ok(get(broker, "/api/journal"));
        // Assert
        assertTrue(j.get("journalBytes").asLong() > 0, j.toString());
        assertTrue(j.get("cycleFiles").asInt() >= 1, j.toString());
        assertTrue(j.get("lastCycleFile").asText().endsWith(".cq4"), j.toString());
        assertTrue(j.get("diskFreeBytes").asLong() > 0);
        assertTrue(j.get("appendedRecords").asLong() >= 3, j.toString());
        assertEquals(
                j.get("lastAppendedPosition").asLong(), j.get("syncedPosition").asLong(), "answered after the sync");
        assertFalse(j.get("refusingNewData").asBoolean());
    }

    @Test
    void requestsWithoutOrWithWrongCredentialsGet401AndGoodOnes200() throws Exception {
        TestBroker broker = broker(settings);
        HttpResponse<String> none = send(broker, "GET", "/api/clients", null);
        assertEquals(401, none.statusCode());
        List<String> challenges = none.headers().allValues("WWW-Authenticate");
        assertTrue(challenges.stream().anyMatch(c -> c.startsWith("Basic ")), challenges.toString());
        assertTrue(challenges.stream().anyMatch(c -> c.startsWith("Bearer ")), challenges.toString());
        assertTrue(error(none).contains("credentials"));
        assertEquals(
                401, send(broker, "GET", "/api/clients", basic("ops", "wrong")).statusCode());
        assertEquals(
                401,
                send(broker, "GET", "/api/clients", basic("nobody", "secret")).statusCode());
        assertEquals(
                401, send(broker, "GET", "/api/clients", bearer(TOKEN + "x")).statusCode());
        assertEquals(
                200, send(broker, "GET", "/api/clients", basic("ops", "secret")).statusCode());
        assertEquals(200, send(broker, "GET", "/api/clients", bearer(TOKEN)).statusCode());
        // /metrics and the probes stay open for Prometheus and orchestrators.
        assertEquals(200, send(broker, "GET", "/metrics", null).statusCode());
        assertEquals(200, send(broker, "GET", "/health/ready", null).statusCode());
    }

    @Test
    void withoutACredentialKeyTheApiIsRefusedWith403NamingTheKeys() throws Exception {
        TestBroker broker = broker();
        HttpResponse<String> r = send(broker, "GET", "/api/clients", basic("ops", "secret"));
        assertEquals(403, r.statusCode());
        assertTrue(error(r).contains("admin.password_file") && error(r).contains("admin.token_file"), r.body());
    }

    @Test
    void badRequestsGet404Or400Or405WithAJsonError() throws Exception {
        TestBroker broker = broker(settings);
        String auth = bearer(TOKEN);
        HttpResponse<String> unknownSession = send(broker, "POST", "/api/sessions/nobody/purge", auth);
        assertEquals(404, unknownSession.statusCode());
        assertTrue(error(unknownSession).contains("nobody"));
        assertEquals(
                404,
                send(broker, "POST", "/api/clients/nobody/disconnect", auth).statusCode());
        assertEquals(404, send(broker, "GET", "/api/nothing", auth).statusCode());
        assertEquals(400, send(broker, "GET", "/api/sessions?limit=0", auth).statusCode());
        assertEquals(400, send(broker, "GET", "/api/sessions?limit=many", auth).statusCode());
        assertEquals(
                400, send(broker, "GET", "/api/retained?filter=a/%23/b", auth).statusCode());
        assertEquals(
                400, send(broker, "DELETE", "/api/retained?topic=a/%2B", auth).statusCode());
        assertEquals(400, send(broker, "DELETE", "/api/retained", auth).statusCode());
        HttpResponse<String> wrongMethod = send(broker, "GET", "/api/sessions/x/purge", auth);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertTrue(error(wrongMethod).contains("GET"));
        assertEquals(405, send(broker, "POST", "/api/clients", auth).statusCode());
    }

    /** A persistent session {@code id} subscribed to q/# at QoS 1 goes offline; {@code n} QoS 1 messages on q/x wait for it. */
    private void queueFor(TestBroker broker, String id, int n) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient away = paho5(broker, id, options5(false, 600), null);
        away.subscribe("q/#", 1);
        away.disconnect();
        MqttClient pub = paho3(broker, "pub-" + n, null);
        for (int i = 0; i < n; i++) {
            pub.publish("q/x", utf8("ten bytes!"), 1, false);
        }
        pub.disconnect();
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        await(
                () -> {
                    try {
                        JsonNode page = ok(get(broker, "/api/sessions?limit=1000"));
                        for (JsonNode s : page.get("sessions")) {
                            if (s.get("clientId").asText().equals(id)) {
                                return s.get("queued").asLong() == n;
                            }
                        }
                        return false;
                    } catch (Exception e) {
                        throw new IllegalStateException("listing sessions for " + encoded, e);
                    }
                },
                TIMEOUT,
                n + " messages queued for " + id);
    }

    private JsonNode sessionNamed(TestBroker broker, String id) throws Exception {
        JsonNode page = ok(get(broker, "/api/sessions"));
        for (JsonNode s : page.get("sessions")) {
            if (s.get("clientId").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no session " + id + " in " + page);
    }

    private static Map<String, JsonNode> byClientId(JsonNode clients) {
        Map<String, JsonNode> out = new HashMap<>();
        clients.forEach(c -> out.put(c.get("clientId").asText(), c));
        return out;
    }

    private HttpResponse<String> get(TestBroker broker, String path) throws Exception {
        return send(broker, "GET", path, basic("ops", "secret"));
    }

    private HttpResponse<String> post(TestBroker broker, String path) throws Exception {
        return send(broker, "POST", path, bearer(TOKEN));
    }

    private HttpResponse<String> send(TestBroker broker, String method, String path, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(TIMEOUT);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.uri() + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private static String error(HttpResponse<String> r) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.toString());
        return JSON.readTree(r.body()).get("error").asText();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
