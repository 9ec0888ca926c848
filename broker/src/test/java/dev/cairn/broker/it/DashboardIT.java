package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.broker.testing.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the dashboard works in a real browser as an operator uses it: it asks for credentials,
 * its charts move while messages flow, its client table lists a connected client, and its
 * Disconnect button really disconnects that client; its session table pages past the first 100
 * sessions, its Delete button, once confirmed, really deletes a session and disconnects its
 * client, and ordered by queue it shows the largest first, whose Purge empties it; no script or style is refused by its Content-Security-Policy. Method: a real broker with {@code admin.token_file}, Paho clients
 * publishing QoS 1 and subscribing, and the page in headless Chromium (Debian's {@code chromium},
 * driven by npm {@code playwright-core} from the Node script {@code dashboard/dashboard-driver.js}).
 * The run's screenshot goes to {@code target/dashboard.png}, or to the file named by the system
 * property {@code cairn.dashboard.screenshot} (docs/dashboard.png was made that way).
 */
class DashboardIT extends Clients {
    private static final String TOKEN = "dashboard-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void signsInWithATokenShowsMovingChartsAndDisconnectsAClientFromTheTable() throws Exception {
        TestBroker broker = brokerWithToken();
        Received victim = new Received();
        paho3(broker, "line-7-plc", victim);
        MqttClient sink = paho3(broker, "historian", new Received());
        sink.subscribe("plant/#", 1);
        MqttClient load = paho3(broker, "load", null);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        Thread publisher = new Thread(() -> {
            try {
                while (running.get()) {
                    load.publish("plant/line-7/temperature", utf8("21.5"), 1, false);
                    published.incrementAndGet();
                }
            } catch (Exception e) {
                if (running.get()) {
                    throw new IllegalStateException("the load stopped", e);
                }
            }
        });
        publisher.start();
        closeAfterTest(() -> {
            running.set(false);
            publisher.join(10_000);
        });
        Path screenshot = Path.of(System.getProperty("cairn.dashboard.screenshot", "target/dashboard.png"));
        NodeScripts.install("playwright-core@1");
        // Act
        BlockingQueue<String> page = NodeScripts.run(
                this,
                "/dashboard/dashboard-driver.js",
                Map.of(),
                "charts",
                "http://127.0.0.1:" + broker.adminPort(),
                TOKEN,
                NodeScripts.CHROMIUM.toString(),
                "line-7-plc",
                screenshot.toAbsolutePath().toString());
        // Assert
        assertEquals("login shown", NodeScripts.nextLine(page, 60));
        assertEquals("signed in", NodeScripts.nextLine(page, 30));
        assertEquals("client seen", NodeScripts.nextLine(page, 30));
        String[] charts = NodeScripts.nextLine(page, 40).split(" ");
        assertEquals("charts moving", charts[0] + " " + charts[1], String.join(" ", charts));
        assertTrue(Double.parseDouble(charts[2]) > 0, "messages in per second shown: " + charts[2]);
        assertTrue(Integer.parseInt(charts[4]) >= Integer.parseInt(charts[3]) + 2, "new chart points");
        assertTrue(published.get() > 0);
        assertEquals("screenshot", NodeScripts.nextLine(page, 30));
        assertTrue(Files.size(screenshot) > 0);
        assertEquals("disconnected", NodeScripts.nextLine(page, 30));
        assertTrue(victim.awaitLost(), "Paho saw connectionLost after the dashboard's Disconnect");
        assertEquals("errors 0", NodeScripts.nextLine(page, 30), "console errors or CSP refusals: " + page);
    }

    @Test
    void pagesPastTheFirstHundredSessionsDeletesAnOnlineSessionAndPurgesTheLargestQueue() throws Exception {
        TestBroker broker = brokerWithToken();
        // 120 offline persistent sessions s-000 ... s-119, and one online: 121, two pages of 100.
        for (int i = 0; i < 120; i++) {
            MqttClient c = paho3(broker, String.format("s-%03d", i), options3(false), null);
            if (i == 50) {
                c.subscribe("plant/#", 1); // s-050's queue is the one that grows
            }
            c.disconnect();
        }
        MqttClient feeder = paho3(broker, "feeder", null);
        for (int i = 0; i < 3; i++) {
            feeder.publish("plant/line-1/alarm", utf8("high"), 1, false);
        }
        feeder.disconnect(); // a clean session: gone with its connection
        Received victim = new Received();
        paho3(broker, "zz-online", options3(false), victim);
        assertEquals(121, sessions(broker).get("total").asInt());
        NodeScripts.install("playwright-core@1");
        // Act
        BlockingQueue<String> page = NodeScripts.run(
                this,
                "/dashboard/dashboard-driver.js",
                Map.of(),
                "sessions",
                "http://127.0.0.1:" + broker.adminPort(),
                TOKEN,
                NodeScripts.CHROMIUM.toString(),
                "s-100",
                "zz-online",
                "s-050");
        // Assert
        assertEquals("login shown", NodeScripts.nextLine(page, 60));
        assertEquals("signed in", NodeScripts.nextLine(page, 30));
        assertEquals("first page 100 (1–100 of 121)", NodeScripts.nextLine(page, 30));
        assertEquals("next page 21", NodeScripts.nextLine(page, 30), "s-100 ... s-119 and zz-online");
        assertEquals("seen s-100", NodeScripts.nextLine(page, 30), "the 101st session in client id order");
        assertEquals("kept after cancel", NodeScripts.nextLine(page, 30));
        String deleted = NodeScripts.nextLine(page, 30);
        assertTrue(
                deleted.startsWith("deleted Delete the session of zz-online ")
                        && deleted.endsWith(", disconnecting its client?"),
                "the confirmation names the session and says its client goes: " + deleted);
        assertTrue(victim.awaitLost(), "Paho saw connectionLost after the dashboard's Delete");
        JsonNode after = sessions(broker);
        assertEquals(120, after.get("total").asInt(), after.toString());
        for (JsonNode s : after.get("sessions")) {
            assertNotEquals("zz-online", s.get("clientId").asText(), "the API no longer lists the deleted session");
        }
        assertEquals("largest first s-050 3", NodeScripts.nextLine(page, 30), "ordered by queue, largest first");
        assertEquals("purged", NodeScripts.nextLine(page, 30));
        for (JsonNode s : sessions(broker).get("sessions")) {
            assertEquals(0, s.get("queued").asLong(), "no queue left after the purge: " + s);
        }
        assertEquals("errors 0", NodeScripts.nextLine(page, 30), "console errors or CSP refusals: " + page);
    }

    /** A broker whose admin API takes {@link #TOKEN}, once Chromium is known to be there. */
    private TestBroker brokerWithToken() throws Exception {
        assertTrue(
                Files.isExecutable(NodeScripts.CHROMIUM),
                NodeScripts.CHROMIUM + " is needed (Debian package chromium; .ci/run installs it)");
        Path token = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        return broker(Map.of("admin.token_file", token.toString()));
    }

    /** Every session, as the admin API lists them (one page of up to 1000). */
    private static JsonNode sessions(TestBroker broker) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + broker.adminPort() + "/api/sessions?limit=1000"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return new ObjectMapper().readTree(answer.body());
    }
}
