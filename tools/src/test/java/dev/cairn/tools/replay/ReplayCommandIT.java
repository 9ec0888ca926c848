package dev.cairn.tools.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.LiveBroker;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: replay delivers stored messages to a real subscriber through a live broker with QoS and
 * MQTT 5 properties intact, honours filters, the retain policy and the rate limit, and speaks
 * 3.1.1 when asked. Method: journals from the golden workload and from a real broker replayed into
 * a second real broker with a Paho v5 subscriber.
 */
class ReplayCommandIT {
    @TempDir
    Path dir;

    @Test
    void messagesFromABrokerJournalArriveWithTheirPropertiesIntact() throws Exception {
        Path source = dir.resolve("source");
        MqttProperties sent = new MqttProperties();
        sent.setContentType("application/json");
        sent.setResponseTopic("replies/1");
        sent.setCorrelationData("c-1".getBytes(StandardCharsets.UTF_8));
        sent.setPayloadFormat(true);
        sent.setUserProperties(List.of(new UserProperty("site", "north"), new UserProperty("line", "2")));
        try (LiveBroker a = LiveBroker.start(source)) {
            MqttClient sensor = a.connect("sensor", true, 0, null);
            LiveBroker.publish(sensor, "plant/a", "{\"t\":21.5}", 1, false, sent);
            LiveBroker.publish(sensor, "plant/b", "plain", 2, false, null);
        }

        try (LiveBroker b = LiveBroker.start(dir.resolve("target"))) {
            LiveBroker.Inbox inbox = subscribe(b, "plant/#");

            ToolRun run = ToolRun.run("replay", "--data-dir", source, "--port", b.port(), "--client-id", "replayer");

            assertEquals(ExitCode.OK, run.exitCode(), run.toString());
            assertTrue(run.out().contains("replayed 2 message(s)"), run.out());
            LiveBroker.Inbox.Received first = inbox.poll(5_000);
            assertEquals("plant/a", first.topic());
            assertEquals("{\"t\":21.5}", first.text());
            assertEquals(1, first.message().getQos());
            MqttProperties got = first.message().getProperties();
            assertEquals("application/json", got.getContentType());
            assertEquals("replies/1", got.getResponseTopic());
            assertArrayEquals("c-1".getBytes(StandardCharsets.UTF_8), got.getCorrelationData());
            assertTrue(got.getPayloadFormat());
            assertEquals(
                    List.of(new UserProperty("site", "north"), new UserProperty("line", "2")), got.getUserProperties());
            LiveBroker.Inbox.Received second = inbox.poll(5_000);
            assertEquals("plain", second.text());
            assertEquals(2, second.message().getQos());
        }
    }

    @Test
    void filtersRetainPolicyAndRateApply() throws Exception {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        try (LiveBroker b = LiveBroker.start(dir.resolve("target"))) {
            LiveBroker.Inbox inbox = subscribe(b, "plant/#");
            long start = System.nanoTime();

            ToolRun run = ToolRun.run(
                    "replay",
                    "--data-dir",
                    dir,
                    "--port",
                    b.port(),
                    "--topic",
                    "plant/line1/#",
                    "--since",
                    "2026-01-01T00:00:03Z",
                    "--publisher",
                    "sensor",
                    "--retain",
                    "keep",
                    "--rate",
                    "20");

            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCode.OK, run.exitCode(), run.toString());
            assertEquals(List.of("reading 1", "reading 2", "reading 9", "reading 11", "reading 12"), texts(inbox, 5));
            assertTrue(elapsedMillis >= 180, "5 messages at 20/s take at least 4 intervals: " + elapsedMillis);
            LiveBroker.Inbox late = subscribe(b, "plant/line1/state");
            LiveBroker.Inbox.Received retained = late.poll(5_000);
            assertEquals("reading 9", retained.text());
            assertTrue(retained.message().isRetained(), "--retain keep stored it as retained");
        }
    }

    @Test
    void retainIsStrippedByDefaultAndMqtt311DropsProperties() throws Exception {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        try (LiveBroker b = LiveBroker.start(dir.resolve("target"))) {
            LiveBroker.Inbox inbox = subscribe(b, "plant/#");

            ToolRun run = ToolRun.run("replay", "--data-dir", dir, "--port", b.port(), "--protocol", "3");

            assertEquals(ExitCode.OK, run.exitCode(), run.toString());
            assertTrue(
                    run.out().contains("replayed 7 message(s)")
                            && run.out().contains("MQTT 3.1.1")
                            && run.out().contains("properties dropped from 1 message(s)"),
                    run.out());
            List<String> received = texts(inbox, 7);
            assertEquals(7, received.size());
            assertNull(subscribe(b, "plant/line1/state").poll(300), "no retained message: the flag was stripped");
        }
    }

    @Test
    void dryRunPrintsWhatWouldBePublishedAndConnectsNowhere() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        ToolRun run = ToolRun.run("replay", "--data-dir", dir, "--dry-run", "--port", "1", "--topic", "plant/line2/#");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(
                run.out().contains("would publish position") && run.out().contains("\"contentType\":\"text/plain\""),
                run.out());
        assertTrue(run.out().contains("would replay 1 message(s)"), run.out());
        assertFalse(run.out().contains("replayed"));
    }

    @Test
    void anUnreachableBrokerIsAFailure() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        ToolRun run = ToolRun.run("replay", "--data-dir", dir, "--port", "1", "--timeout", "2");
        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("cannot connect to tcp://127.0.0.1:1"), run.out());
        assertEquals(
                ExitCode.USAGE,
                ToolRun.run("replay", "--data-dir", dir, "--protocol", "4").exitCode());
    }

    private static LiveBroker.Inbox subscribe(LiveBroker broker, String filter) throws Exception {
        LiveBroker.Inbox inbox = new LiveBroker.Inbox();
        MqttClient client = broker.connect("sub-" + System.nanoTime(), true, 0, inbox);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 2)}, null);
        return inbox;
    }

    private static List<String> texts(LiveBroker.Inbox inbox, int count) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LiveBroker.Inbox.Received r = inbox.poll(5_000);
            if (r == null) {
                break;
            }
            texts.add(r.text());
        }
        return texts;
    }
}
