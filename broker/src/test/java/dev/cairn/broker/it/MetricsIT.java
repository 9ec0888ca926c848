package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Goal: the admin listener's {@code /metrics} shows what happened, figure by figure: messages and
 * payload bytes in and out by QoS, connections by listener and protocol, sessions, subscriptions,
 * queued messages of an offline persistent session, drops for a full queue, the journal's appends
 * and its sync histogram. Method: a real broker, Paho 3.1.1 and 5.0 clients doing a known number
 * of things; {@code /metrics} scraped with the JDK's HTTP client and parsed from the text format,
 * until each figure is the one the test caused (the core publishes its figures a few times a
 * second) or a deadline passes.
 */
class MetricsIT extends Clients {
    private static final String PAYLOAD = "ten bytes!";

    @Test
    void messagesConnectionsAndSessionsAreCountedAsTheClientsDidThem() throws Exception {
        TestBroker broker = broker();
        Received received = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient sub = paho5(broker, "sub", received);
        sub.subscribe("m/#", 2);
        MqttClient pub = paho3(broker, "pub", null);
        Scrape before = Scrape.of(broker.adminPort());
        // Act: 5 at QoS 0, 7 at QoS 1, 3 at QoS 2, each of 10 payload bytes.
        int[] counts = {5, 7, 3};
        for (int qos = 0; qos < 3; qos++) {
            for (int i = 0; i < counts[qos]; i++) {
                pub.publish("m/" + qos, PAYLOAD.getBytes(StandardCharsets.UTF_8), qos, false);
            }
        }
        received.next(15);
        // Assert
        Scrape s = Scrape.await(
                broker.adminPort(),
                x -> x.value("cairn_messages_delivered_total{qos=\"2\"}") == 3,
                TIMEOUT,
                "the 15 deliveries");
        for (int qos = 0; qos < 3; qos++) {
            String label = "{qos=\"" + qos + "\"}";
            assertEquals(counts[qos], s.value("cairn_messages_received_total" + label), "received at QoS " + qos);
            assertEquals(counts[qos] * 10, s.value("cairn_messages_received_bytes_total" + label), "bytes at " + qos);
            assertEquals(counts[qos], s.value("cairn_messages_delivered_total" + label), "delivered at QoS " + qos);
            assertEquals(counts[qos] * 10, s.value("cairn_messages_delivered_bytes_total" + label), "out at " + qos);
        }
        assertEquals(1, s.value("cairn_connections{listener=\"default\",protocol=\"5.0\"}"));
        assertEquals(1, s.value("cairn_connections{listener=\"default\",protocol=\"3.1.1\"}"));
        assertEquals(2, s.value("cairn_sessions{state=\"online\"}"));
        assertEquals(0, s.value("cairn_sessions{state=\"offline\"}"));
        assertEquals(1, s.value("cairn_subscriptions"));
        assertEquals(0, s.value("cairn_messages_dropped_total{cause=\"queue_full\"}"));
        // QoS 1 and 2 are journaled: each message is a record, and the syncs made them durable.
        double appends = s.value("cairn_journal_appends_total") - before.value("cairn_journal_appends_total");
        assertTrue(appends >= 10, "journal appends grew by " + appends);
        double syncs = s.value("cairn_journal_sync_seconds_count") - before.value("cairn_journal_sync_seconds_count");
        assertTrue(syncs >= 1, "syncs grew by " + syncs);
        assertEquals(
                s.value("cairn_journal_sync_seconds_count"),
                s.value("cairn_journal_sync_seconds_bucket{le=\"+Inf\"}"),
                "every sync is in the +Inf bucket");
        assertTrue(s.value("cairn_journal_records_per_sync_sum") >= appends, "records per sync add up to the appends");
        assertTrue(s.value("cairn_core_turn_seconds_count") > 0, "turns are timed");
        assertTrue(s.value("cairn_disk_free_bytes") > 0, "free space shown");
        assertTrue(s.value("cairn_data_directory_bytes{part=\"journal\"}") > 0, "journal size shown");
        assertTrue(s.has("jvm_memory_used_bytes{area=\"heap\"}"), "JVM heap shown");
    }

    @Test
    void anOfflinePersistentSessionsQueueIsShownInMessagesAndBytes() throws Exception {
        TestBroker broker = broker();
        // Act: 4 QoS 1 messages of topic "q/x" (3 bytes) and 10 payload bytes wait for "away".
        publishForOfflineSession(broker, 4);
        // Assert
        Scrape s = Scrape.await(
                broker.adminPort(), x -> x.value("cairn_queued_messages") == 4, TIMEOUT, "4 queued messages");
        assertEquals(4 * 13, s.value("cairn_queued_bytes"));
        assertEquals(4, s.value("cairn_queued_messages_largest_session"));
        assertEquals(4 * 13, s.value("cairn_queued_bytes_largest_session"));
        assertEquals(1, s.value("cairn_sessions{state=\"offline\"}"));
        assertEquals(1, s.value("cairn_sessions{state=\"online\"}"));
    }

    @Test
    void messagesAFullQueueCouldNotTakeAreCountedAsDroppedForQueueFull() throws Exception {
        TestBroker broker = broker(Map.of("queued_messages_max", "2", "queue_overflow", "drop-new"));
        // Act: 5 QoS 1 messages for a queue of 2; with drop-new all are acknowledged.
        publishForOfflineSession(broker, 5);
        // Assert
        Scrape s = Scrape.await(
                broker.adminPort(),
                x -> x.value("cairn_messages_received_total{qos=\"1\"}") == 5,
                TIMEOUT,
                "5 messages received");
        assertEquals(3, s.value("cairn_messages_dropped_total{cause=\"queue_full\"}"));
        assertEquals(2, s.value("cairn_queued_messages"));
        assertEquals(0, s.value("cairn_messages_rejected_total{cause=\"queue_full\"}"));
    }

    @Test
    void messagesLargerThanTheClientsMaximumPacketSizeAreCountedAsDroppedTooLarge() throws Exception {
        TestBroker broker = broker();
        Received got = new Received();
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions small = options5(true, 0);
        small.setMaximumPacketSize(64L);
        paho5(broker, "small", small, got).subscribe("m/#", 0);
        MqttClient pub = paho3(broker, "pub", null);
        // Act: a PUBLISH of 100 payload bytes cannot be sent to a client that takes 64 [MQTT-3.1.2-25].
        pub.publish("m/big", new byte[100], 0, false);
        pub.publish("m/fence", PAYLOAD.getBytes(StandardCharsets.UTF_8), 0, false);
        got.expect("m/fence", PAYLOAD);
        // Assert
        Scrape s = Scrape.await(
                broker.adminPort(),
                x -> x.value("cairn_messages_delivered_total{qos=\"0\"}") == 2,
                TIMEOUT,
                "both copies queued");
        assertEquals(1, s.value("cairn_messages_dropped_total{cause=\"too_large\"}"));
        assertEquals(0, s.value("cairn_messages_dropped_total{cause=\"expired\"}"));
    }

    @Test
    void messagesThatExpireInAnOfflineQueueAreCountedAsDroppedExpired() throws Exception {
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        org.eclipse.paho.mqttv5.client.MqttClient away = paho5(broker, "away", options5(false, 600), null);
        away.subscribe("q/#", 1);
        away.disconnect();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(new byte[] {1});
        m.setQos(1);
        org.eclipse.paho.mqttv5.common.packet.MqttProperties props =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        props.setMessageExpiryInterval(10L);
        m.setProperties(props);
        pub.publish("q/x", m);
        pub.publish("q/fence", new byte[] {2}, 1, false);
        // Act: the expiry interval passes while "away" is offline [MQTT-3.3.2-5]; it comes back.
        broker.advanceClock(java.time.Duration.ofSeconds(11));
        Received got = new Received();
        paho5(broker, "away", options5(false, 600), got);
        got.expect("q/fence", "\u0002");
        // Assert
        Scrape s = Scrape.await(
                broker.adminPort(),
                x -> x.value("cairn_messages_dropped_total{cause=\"expired\"}") == 1,
                TIMEOUT,
                "one expired message");
        assertEquals(0, s.value("cairn_messages_dropped_total{cause=\"too_large\"}"));
        assertEquals(3, s.value("cairn_connects_accepted_total"), "away twice and pub once");
    }

    @Test
    void freeSpaceBelowDiskFreeWarnBytesIsLoggedAtWarnOnceAndShown() throws Exception {
        // Arrange: a threshold of 1 PiB, more than the test machine's file system has.
        long warnBytes = 1L << 50;
        try (LogLines log = LogLines.capture("JournalSpace")) {
            // Act: the core checks the space before it loads the recovered state, so before start returns.
            TestBroker broker = broker(Map.of("disk_free_warn_bytes", Long.toString(warnBytes)));
            // Assert: one WARN line (at most one a minute) and the figures that explain it.
            List<String> lines = log.containing("low on space");
            assertEquals(1, lines.size(), "lines: " + lines);
            assertTrue(lines.get(0).contains("WARN"), lines.get(0));
            assertTrue(lines.get(0).contains("below disk_free_warn_bytes " + warnBytes), lines.get(0));
            Scrape s = Scrape.of(broker.adminPort());
            assertEquals(warnBytes, s.value("cairn_disk_free_warn_bytes"));
            assertTrue(s.value("cairn_disk_free_bytes") < warnBytes, "free space below the threshold");
        }
    }

    @Test
    void theOldestQueuedMessagesAgeGrowsWhileItWaitsAndFallsAsItsSessionTakesIt() throws Exception {
        // Arrange: on the broker's clock, "away" (offline) gets a QoS 1 message at t = 0 and
        // "later" (offline) one at t = 40 s; the clock then stands at t = 90 s.
        String age = "cairn_queued_oldest_message_age_seconds";
        TestBroker broker = broker(Map.of(), ManualClock.stopped());
        offlineSubscriber(broker, "away", "q/#");
        offlineSubscriber(broker, "later", "r/#");
        MqttClient pub = paho3(broker, "pub", null);
        pub.publish("q/x", PAYLOAD.getBytes(StandardCharsets.UTF_8), 1, false);
        broker.advanceClock(java.time.Duration.ofSeconds(40));
        pub.publish("r/x", PAYLOAD.getBytes(StandardCharsets.UTF_8), 1, false);
        broker.advanceClock(java.time.Duration.ofSeconds(50));
        Scrape s = awaitFigures(broker, x -> x.value(age) == 90, "the age of away's message, 90 s");
        assertEquals(2, s.value("cairn_queued_messages"));
        // Act: "away" comes back and acknowledges its message; "later"'s, 50 s old, is the oldest now.
        Received awayGot = new Received();
        paho5(broker, "away", options5(false, 600), awayGot);
        awayGot.expect("q/x", PAYLOAD);
        // Assert
        awaitFigures(broker, x -> x.value(age) == 50, "the age of later's message, 50 s");
        // Act: "later" takes its message too.
        Received laterGot = new Received();
        paho5(broker, "later", options5(false, 600), laterGot);
        laterGot.expect("r/x", PAYLOAD);
        // Assert: nothing waits any more.
        s = awaitFigures(broker, x -> x.value("cairn_queued_messages") == 0, "empty queues");
        assertEquals(0, s.value(age));
    }

    /** A persistent session {@code clientId} subscribed to {@code filter} at QoS 1, then offline. */
    private void offlineSubscriber(TestBroker broker, String clientId, String filter) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient c = paho5(broker, clientId, options5(false, 600), null);
        c.subscribe(filter, 1);
        c.disconnect();
    }

    /**
     * Scrapes until {@code condition} holds, giving the core a turn before each scrape: the core
     * copies its figures at the end of a turn (at most every 250 ms), and on a stopped clock an
     * idle core may not turn for a while.
     */
    private static Scrape awaitFigures(TestBroker broker, java.util.function.Predicate<Scrape> condition, String what) {
        return Scrape.await(
                broker.adminPort(),
                x -> {
                    if (condition.test(x)) {
                        return true;
                    }
                    broker.stats();
                    return false;
                },
                TIMEOUT,
                what);
    }

    /** A persistent session "away" subscribed to q/# at QoS 1 goes offline; Paho 3.1.1 publishes {@code n} QoS 1 messages on q/x. */
    private void publishForOfflineSession(TestBroker broker, int n) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient away = paho5(broker, "away", options5(false, 600), null);
        away.subscribe("q/#", 1);
        away.disconnect();
        MqttClient pub = paho3(broker, "pub", null);
        for (int i = 0; i < n; i++) {
            pub.publish("q/x", PAYLOAD.getBytes(StandardCharsets.UTF_8), 1, false);
        }
    }

    @Test
    void liveAndReadyAnswer200OnARunningBrokerAndOtherPaths404() {
        TestBroker broker = broker();

        assertEquals(200, Scrape.get(broker.adminPort(), "/health/live").statusCode());
        assertEquals(200, Scrape.get(broker.adminPort(), "/health/ready").statusCode());
        assertEquals("ready\n", Scrape.get(broker.adminPort(), "/health/ready").body());
        assertEquals(404, Scrape.get(broker.adminPort(), "/no/such/path").statusCode());
    }
}
