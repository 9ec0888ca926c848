package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.CairnVersion;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: the broker publishes its figures on {@code $SYS/broker/...} every sys_interval_seconds,
 * retained, each figure what the clients did; {@code #} and {@code +} do not match them
 * [MQTT-4.7.2-1]; a client with no ACL read on them is refused the subscription and never gets
 * them; no client can publish there; and they never reach the journal. Method: a real broker
 * with sys_interval_seconds = 1, Paho 3.1.1 and 5.0 subscribers and raw packets for exact codes;
 * every wait is on the next $SYS message (one a second, since the uptime changes each time) with
 * the harness's deadline, and every "never received" is fenced by a later message that is.
 */
class SysTopicsIT extends Clients {
    private static final String SYS = "$SYS/broker/";
    /** Intervals to wait for a figure to show what the test did before failing. */
    private static final int INTERVALS = 5;

    @TempDir
    Path dir;

    private TestBroker sysBroker() {
        return broker(Map.of("sys_interval_seconds", "1"));
    }

    /** The latest value of each $SYS topic one client received, and a way to wait for one. */
    private static final class SysValues {
        final Received received = new Received();
        final Map<String, String> latest = new HashMap<>();
        int uptimes;

        /** Takes messages until {@code name}'s value passes {@code condition}; fails after {@link #INTERVALS} seconds. */
        String await(String name, Predicate<String> condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(INTERVALS).toNanos();
            String value = latest.get(SYS + name);
            while (value == null || !condition.test(value)) {
                if (System.nanoTime() - deadline > 0) {
                    fail(name + " is " + value + " after " + INTERVALS + " s; all: " + latest);
                }
                Received.Msg m = received.next();
                latest.put(m.topic(), m.payload());
                if (m.topic().equals(SYS + "uptime")) {
                    uptimes++;
                }
                value = latest.get(SYS + name);
            }
            return value;
        }

        /** Waits until {@code n} more publications (uptime changes) arrived: the broker has published since. */
        void awaitIntervals(int n) throws InterruptedException {
            int target = uptimes + n;
            await("uptime", v -> uptimes >= target);
        }

        long number(String name) {
            return Long.parseLong(latest.get(SYS + name));
        }
    }

    private static Predicate<String> atLeast(long n) {
        return v -> Long.parseLong(v) >= n;
    }

    @Test
    void figuresFollowWhatTheClientsDidOnPaho311() throws Exception {
        TestBroker broker = sysBroker();
        SysValues sys = new SysValues();
        MqttClient watcher = paho3(broker, "watcher", sys.received);
        watcher.subscribe("$SYS/broker/#", 0);
        // Act: two more clients (three connected), one subscription each, then 7 QoS 1 messages.
        Received got = new Received();
        MqttClient sub = paho3(broker, "sub", got);
        sub.subscribe("t/#", 1);
        MqttClient pub = paho3(broker, "pub", null);
        sys.await("clients/connected", v -> v.equals("3"));
        long receivedBefore = sys.number("messages/received");
        long sentBefore = sys.number("messages/sent");
        for (int i = 0; i < 7; i++) {
            pub.publish("t/x", "0123456789".getBytes(StandardCharsets.UTF_8), 1, false);
        }
        got.next(7);
        // Assert: each figure as the clients made it.
        sys.await("messages/received", atLeast(receivedBefore + 7));
        sys.await("messages/sent", atLeast(sentBefore + 7));
        sys.await("bytes/received", atLeast(70));
        sys.await("load/messages/received/1min", v -> Double.parseDouble(v) > 0);
        sys.await("load/connections/1min", v -> Double.parseDouble(v) > 0);
        assertEquals("cairn version " + CairnVersion.get(), sys.latest.get(SYS + "version"));
        assertTrue(sys.latest.get(SYS + "uptime").matches("\\d+ seconds"), sys.latest.get(SYS + "uptime"));
        assertEquals(3, sys.number("clients/connected"));
        assertEquals(3, sys.number("clients/total"));
        assertEquals(0, sys.number("clients/disconnected"));
        assertTrue(sys.number("clients/maximum") >= 3, "maximum " + sys.number("clients/maximum"));
        assertEquals(2, sys.number("subscriptions/count"), "$SYS/broker/# and t/#");
        assertEquals(0, sys.number("retained messages/count"));
        assertEquals(0, sys.number("queue/messages"));
        for (String name : List.of("journal/fsync/p50", "journal/fsync/p99")) {
            assertTrue(sys.latest.get(SYS + name).matches("\\d+\\.\\d{3}|\\+Inf"), name + " " + sys.latest);
        }
        // The same figures as /metrics, from the same copy: never ahead of a later scrape.
        Scrape s = Scrape.of(broker.adminPort());
        assertTrue(sys.number("messages/received")
                <= s.value("cairn_messages_received_total{qos=\"0\"}")
                        + s.value("cairn_messages_received_total{qos=\"1\"}")
                        + s.value("cairn_messages_received_total{qos=\"2\"}"));

        // Act: one client leaves; its persistent peer's session stays (clients/disconnected).
        pub.disconnect();
        sys.await("clients/connected", v -> v.equals("2"));
        assertTrue(sys.number("clients/maximum") >= 3, "the maximum stays");
    }

    @Test
    void anOfflineSessionsQueueShowsInTheQueueFiguresOnPaho5() throws Exception {
        TestBroker broker = sysBroker();
        org.eclipse.paho.mqttv5.client.MqttClient away = paho5(broker, "away", options5(false, 600), null);
        away.subscribe("q/#", 1);
        away.disconnect();
        MqttClient pub = paho3(broker, "pub", null);
        for (int i = 0; i < 4; i++) {
            pub.publish("q/x", "0123456789".getBytes(StandardCharsets.UTF_8), 1, false);
        }
        SysValues sys = new SysValues();
        org.eclipse.paho.mqttv5.client.MqttClient watcher = paho5(broker, "watcher", sys.received);
        watcher.subscribe("$SYS/broker/#", 0);
        // Assert: 4 messages of 13 bytes (topic and payload) wait for "away", which is offline.
        sys.await("queue/messages", v -> v.equals("4"));
        sys.await("queue/bytes", v -> v.equals("52"));
        sys.await("queue/largest", v -> v.equals("4"));
        sys.await("clients/disconnected", v -> v.equals("1"));
        sys.await("messages/stored", atLeast(4));
    }

    @Test
    void aLateSubscriberGetsEachFigureRetainedAtOnce() throws Exception {
        TestBroker broker = sysBroker();
        SysValues first = new SysValues();
        paho3(broker, "first", first.received).subscribe("$SYS/broker/version", 0);
        first.await("version", v -> true);
        // Act: a later 5.0 subscriber, long before the version is published again (it never is).
        Received late = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient c = paho5(broker, "late", late);
        c.subscribe("$SYS/broker/version", 0);
        // Assert [MQTT-3.3.1-9]: the retained value, with RETAIN set [MQTT-3.3.1-8].
        Received.Msg m = late.expect(SYS + "version", "cairn version " + CairnVersion.get());
        assertTrue(m.retained(), "retained");
        assertEquals(0, m.qos());
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchSysTopics() throws Exception {
        TestBroker broker = sysBroker();
        Received all = new Received();
        MqttClient everything = paho3(broker, "everything", all);
        everything.subscribe(new String[] {"#", "+/broker/#", "+/+/uptime"}, new int[] {1, 1, 1});
        SysValues sys = new SysValues();
        paho3(broker, "watcher", sys.received).subscribe("$SYS/broker/uptime", 0);
        // Act: two publications after both subscribed, then a fence.
        sys.awaitIntervals(2);
        paho3(broker, "pub", null).publish("fence", new byte[] {1}, 1, false);
        // Assert [MQTT-4.7.2-1]: the first message "#" gets is the fence.
        all.expect("fence", "\u0001");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void aClientWithoutAclReadOnSysIsRefusedAndNeverGetsThem(ProtocolVersion version) throws Exception {
        Path acl = Files.writeString(
                dir.resolve("acl"),
                "user watcher\ntopic read $SYS/#\n" + "user other\ntopic read t/#\n" + "user pub\ntopic write t/#\n");
        TestBroker broker = broker(Map.of("sys_interval_seconds", "1", "acl_file", acl.toString()));
        RawMqttClient other =
                raw(broker, new Packet.Connect(version, "other", true, 60, "other", null, null, Properties.EMPTY));
        // Act
        other.send(new Packet.Subscribe(
                1,
                List.of(
                        new Packet.Subscription(
                                "$SYS/broker/uptime", QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE),
                        new Packet.Subscription(
                                "t/#", QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY));
        // Assert: 0x87 Not authorized (MQTT 5.0 section 3.9.3); 3.1.1 has only 0x80 [MQTT-3.9.3-2].
        List<ReasonCode> reasons = other.receive(Packet.SubAck.class).reasons();
        assertEquals(
                version == ProtocolVersion.MQTT_5 ? 0x87 : 0x80, reasons.get(0).value());
        assertEquals(ReasonCode.GRANTED_QOS_0, reasons.get(1));
        // The watcher, whose ACL grants it, reads them.
        SysValues sys = new SysValues();
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = options5(true, 0);
        o.setUserName("watcher");
        paho5(broker, "watcher", o, sys.received).subscribe("$SYS/broker/#", 0);
        sys.awaitIntervals(2);
        org.eclipse.paho.client.mqttv3.MqttConnectOptions p = options3(true);
        p.setUserName("pub");
        paho3(broker, "pub", p, null).publish("t/fence", new byte[] {1}, 0, false);
        Packet.Publish first = other.receive(Packet.Publish.class);
        assertEquals("t/fence", first.topic(), "the first message 'other' gets is the fence");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void aClientsPublishOnSysIsNeitherDeliveredNorRetained(ProtocolVersion version) throws Exception {
        TestBroker broker = sysBroker();
        SysValues sys = new SysValues();
        paho3(broker, "watcher", sys.received).subscribe(new String[] {"$SYS/#"}, new int[] {1});
        RawMqttClient forger = raw(broker, version, "forger");
        // Act: a retained QoS 1 PUBLISH on $SYS/x and one on a real figure's topic.
        forger.send(
                new Packet.Publish("$SYS/x", QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY, new byte[] {'f'}));
        Packet.PubAck ack = forger.receive(Packet.PubAck.class);
        forger.send(new Packet.Publish(
                SYS + "version", QoS.AT_LEAST_ONCE, true, false, 2, Properties.EMPTY, new byte[] {'f'}));
        Packet.PubAck ack2 = forger.receive(Packet.PubAck.class);
        // Assert: 5.0 says 0x87 Not authorized [MQTT-3.4.2-1]; 3.1.1 is acknowledged, as mosquitto does.
        ReasonCode expected = version == ProtocolVersion.MQTT_5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
        assertEquals(expected, ack.reason());
        assertEquals(expected, ack2.reason());
        sys.awaitIntervals(2);
        assertFalse(sys.latest.containsKey("$SYS/x"), "forged message delivered: " + sys.latest);
        assertEquals("cairn version " + CairnVersion.get(), sys.latest.get(SYS + "version"));
        // Nor retained: a new subscriber to $SYS/x gets nothing before a fence on an open topic.
        Received late = new Received();
        MqttClient c = paho3(broker, "late", late);
        c.subscribe(new String[] {"$SYS/x", SYS + "version", "fence"}, new int[] {1, 1, 1});
        late.expect(SYS + "version", "cairn version " + CairnVersion.get());
        paho3(broker, "pub", null).publish("fence", new byte[] {1}, 1, false);
        late.expect("fence", "\u0001");
    }

    @Test
    void publishingSysTopicsAppendsNothingToTheJournal() throws Exception {
        TestBroker broker = sysBroker();
        SysValues sys = new SysValues();
        paho3(broker, "watcher", sys.received).subscribe("$SYS/broker/#", 0);
        // The first uptime may be the retained one; the second is a publication, which copies the figures.
        sys.awaitIntervals(2);
        double before = Scrape.of(broker.adminPort()).value("cairn_journal_appends_total");
        // Act: three more publications of every changing figure.
        sys.awaitIntervals(3);
        // Assert: the figures were published, and the journal did not grow by a record.
        Scrape after = Scrape.await(
                broker.adminPort(),
                s -> s.value("cairn_core_figures_age_seconds") < 1,
                TIMEOUT,
                "figures copied after the publications");
        assertEquals(before, after.value("cairn_journal_appends_total"));
    }

    @Test
    void zeroTurnsThemOff() throws Exception {
        TestBroker broker = broker(Map.of("sys_interval_seconds", "0"));
        Received got = new Received();
        MqttClient c = paho3(broker, "watcher", got);
        c.subscribe(new String[] {"$SYS/#", "fence"}, new int[] {1, 1});
        // Act: with the default interval the figures would be retained from the first timer scan on.
        paho3(broker, "pub", null).publish("fence", new byte[] {1}, 1, false);
        // Assert: nothing retained on $SYS was sent after the SUBACK, before the fence.
        got.expect("fence", "\u0001");
    }
}
