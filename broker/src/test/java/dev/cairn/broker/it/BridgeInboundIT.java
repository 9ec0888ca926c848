package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.LogLines;
import dev.cairn.broker.testing.Mosquitto;
import dev.cairn.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: a bridge brings the {@code in} topics of a real mosquitto into an edge Cairn (ADR 0020):
 * at QoS 0, 1 and 2, in MQTT 3.1.1 and 5, with the remote prefix swapped for the local one; and a
 * {@code both} line sends nothing back where it came from, with mosquitto or another Cairn as the
 * remote: in 5.0 by No Local on both sides, in 3.1.1 by No Local here and the bridge marker
 * ({@code try_private}) there; a remote that refuses the marker (a Cairn with {@code
 * allow_bridge_marker = false}) gets a plain 3.1.1 CONNECT next. And the other way round: Cairn
 * as the remote of a mosquitto 3.1.1 bridge with {@code try_private} accepts the marker and
 * gives that bridge's subscriptions No Local and Retain As Published. Method: a mosquitto process ({@link Mosquitto}) or an in-process Cairn, Paho
 * clients on both brokers; QoS 0 probes, published
 * until one arrives, show when the link and its subscriptions are up; counts are taken after a
 * fence message that follows every possible echo on the same path.
 */
class BridgeInboundIT extends Clients {
    private static final Duration DRAIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Map<String, String> bridgeSettings(String address, String topic, String protocol) {
        return BridgeMosquittoIT.bridgeSettings(address, topic, protocol);
    }

    private MqttClient subscriber(String uri, String clientId, String filter, Received received) throws Exception {
        MqttClient client = unconnectedPaho3(uri, clientId, received);
        client.connect(options3(true));
        client.subscribe(filter, 2);
        return client;
    }

    private static void publish(MqttClient client, String topic, int qos, String payload) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        client.publish(topic, m);
    }

    private static final Duration PROBE_PACE = Duration.ofMillis(50);

    /** What is left of the time until {@code deadlineNanos} ({@link System#nanoTime}). */
    private static Duration until(long deadlineNanos) {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /** Publishes QoS 0 probes on {@code topic} until one reaches {@code received}: that path is up. */
    private static void awaitPath(MqttClient publisher, String topic, Received received) throws Exception {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (true) {
            publish(publisher, topic, 0, "probe");
            // A probe every 50 ms at most (QoS 0: one sent before the path was up is gone).
            long next = System.nanoTime() + PROBE_PACE.toNanos();
            for (Received.Msg m = received.poll(PROBE_PACE); m != null; m = received.poll(until(next))) {
                if (m.payload().equals("probe")) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("nothing published on " + topic + " arrived within " + DRAIN);
            }
        }
    }

    /**
     * Adds what arrives to {@code sink}, probes left out, until {@code done} holds for the payloads
     * gathered so far.
     */
    private static void collect(Received received, List<String> sink, Predicate<List<String>> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (!done.test(sink)) {
            Received.Msg m = received.poll(until(deadline));
            if (m == null) {
                throw new AssertionError("not " + what + " within " + DRAIN + "; got " + sink);
            }
            if (!m.payload().equals("probe")) {
                sink.add(m.payload());
            }
        }
    }

    /** What arrives until (and without) the message with payload {@code fence}, probes left out. */
    private static List<Received.Msg> untilFence(Received received, String fence) throws InterruptedException {
        List<Received.Msg> got = new ArrayList<>();
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (true) {
            Received.Msg m = received.poll(until(deadline));
            if (m == null) {
                throw new AssertionError("no fence '" + fence + "' within " + DRAIN + "; got " + got);
            }
            if (m.payload().equals(fence)) {
                return got;
            }
            if (!m.payload().equals("probe")) {
                got.add(m);
            }
        }
    }

    private static Predicate<List<String>> allOf(String prefix, int n) {
        return got -> {
            for (int i = 0; i < n; i++) {
                if (!got.contains(prefix + i)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Map<String, Integer> countByPayload(List<String> payloads) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String p : payloads) {
            if (!p.startsWith("fence")) {
                counts.merge(p, 1, Integer::sum);
            }
        }
        return counts;
    }

    @ParameterizedTest(name = "topic QoS {0}, protocol {1}")
    @CsvSource({"0, 3.1.1", "1, 3.1.1", "2, 3.1.1", "0, 5", "1, 5", "2, 5"})
    @DisplayName(
            "in topics come from mosquitto with the remote prefix replaced by the local one, at min(message, topic) QoS")
    void bringsInTopicsFromMosquittoWithPrefixesAtEachQos(int topicQos, String protocol) throws Exception {
        Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        TestBroker edge =
                broker(bridgeSettings(central.address(), "cmd/# in " + topicQos + " edge/ central/", protocol));
        Received atEdge = new Received();
        subscriber(edge.uri(), "edge-sub", "#", atEdge);
        MqttClient pub = subscriber(central.uri(), "central-pub", "unused/none", null);
        awaitPath(pub, "central/cmd/probe", atEdge);
        // Act: outside the remote prefix or pattern nothing comes in.
        publish(pub, "cmd/not-prefixed", 1, "not bridged");
        publish(pub, "central/other/x", 1, "not bridged");
        List<String> sent = new ArrayList<>();
        for (int qos = 0; qos <= 2; qos++) {
            String payload = "m-qos" + qos;
            publish(pub, "central/cmd/valve/open", qos, payload);
            sent.add(payload);
        }
        // At QoS 2 like the last message: Paho hands a QoS 2 message over at PUBREL, so a QoS 1
        // fence could overtake it.
        publish(pub, "central/cmd/fence", 2, "fence");
        // Assert: in order, at the lower of the two QoS, on the local topic.
        List<Received.Msg> got = untilFence(atEdge, "fence");
        assertEquals(sent.size(), got.size(), "exactly the bridged messages: " + got);
        for (int i = 0; i < sent.size(); i++) {
            Received.Msg m = got.get(i);
            assertEquals("edge/cmd/valve/open", m.topic());
            assertEquals(sent.get(i), m.payload());
            assertEquals(Math.min(i, topicQos), m.qos(), "QoS of " + m);
        }
    }

    @ParameterizedTest(name = "remote {0}, protocol {1}, try_private {2}")
    @CsvSource({"mosquitto, 5, true", "mosquitto, 3.1.1, true", "cairn, 5, true", "cairn, 3.1.1, true"})
    @DisplayName("a both line: every message arrives once on the other side and never comes back")
    void aBothLineSendsNothingBack(String remote, String protocol, boolean tryPrivate) throws Exception {
        String centralUri;
        String centralAddress;
        if (remote.equals("mosquitto")) {
            Mosquitto central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
            centralUri = central.uri();
            centralAddress = central.address();
        } else {
            TestBroker central = broker();
            centralUri = central.uri();
            centralAddress = central.host() + ":" + central.port();
        }
        Map<String, String> settings = bridgeSettings(centralAddress, "plant/# both 1 edge/ site7/", protocol);
        settings.put("bridge.central.try_private", Boolean.toString(tryPrivate));
        TestBroker edge = broker(settings);
        Received atEdge = new Received();
        MqttClient edgeClient = subscriber(edge.uri(), "edge-client", "edge/#", atEdge);
        Received atCentral = new Received();
        MqttClient centralClient = subscriber(centralUri, "central-client", "site7/#", atCentral);
        exchangeBothWaysOnce(edgeClient, atEdge, "edge/plant/", centralClient, atCentral, "site7/plant/");
    }

    /**
     * Over a bridge's {@code both} line between two brokers: once both paths carry probes, 20
     * messages are published on each side (on topics under {@code edgePrefix} and {@code
     * centralPrefix}, each client subscribed to its own side's), and every one must arrive exactly
     * once at each side: an echo would make a count 2. Counts are taken after fences: an echo of
     * an up message (central to edge) would be queued at the central broker for the bridge before a
     * message published there once the up messages arrived there; likewise an echo of a down
     * message would be queued at the edge before a later one.
     */
    private static void exchangeBothWaysOnce(
            MqttClient edgeClient,
            Received atEdge,
            String edgePrefix,
            MqttClient centralClient,
            Received atCentral,
            String centralPrefix)
            throws Exception {
        awaitPath(edgeClient, edgePrefix + "probe", atCentral);
        awaitPath(centralClient, centralPrefix + "probe", atEdge);
        int n = 20;
        // Act: messages both ways; each client sees its own (it subscribed to its side's topics).
        for (int i = 0; i < n; i++) {
            publish(edgeClient, edgePrefix + "up", 1, "up-" + i);
            publish(centralClient, centralPrefix + "down", 1, "down-" + i);
        }
        List<String> edgeSaw = new ArrayList<>();
        List<String> centralSaw = new ArrayList<>();
        collect(atCentral, centralSaw, allOf("up-", n), "every up message at the central broker");
        collect(atEdge, edgeSaw, allOf("down-", n), "every down message at the edge");
        publish(centralClient, centralPrefix + "fence", 1, "fence-down");
        publish(edgeClient, edgePrefix + "fence", 1, "fence-up");
        collect(atEdge, edgeSaw, got -> got.contains("fence-down"), "the fence from the central broker at the edge");
        collect(
                atCentral,
                centralSaw,
                got -> got.contains("fence-up"),
                "the fence from the edge at the central broker");
        // Assert: every message once on each side.
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            expected.put("up-" + i, 1);
            expected.put("down-" + i, 1);
        }
        assertEquals(expected, countByPayload(edgeSaw), "at the edge");
        assertEquals(expected, countByPayload(centralSaw), "at the central broker");
    }

    /** mosquitto's bridge block: 3.1.1 with try_private, one topic line, quick reconnects. */
    private static List<String> mosquittoBridge(TestBroker remote, String topicLine) {
        return List.of(
                "connection cairn",
                "address " + remote.host() + ":" + remote.port(),
                "bridge_protocol_version mqttv311",
                "try_private true",
                "cleansession false",
                "remote_clientid mosquitto-edge",
                "notifications false",
                "restart_timeout 1 2",
                "topic " + topicLine);
    }

    @Test
    @DisplayName("Cairn as the remote of a mosquitto 3.1.1 bridge with try_private: the marked CONNECT is accepted as a"
            + " bridge's and a both line sends nothing back")
    void cairnAsTheRemoteOfAMosquittoBridgeHonoursTryPrivate() throws Exception {
        try (LogLines log = LogLines.capture("bridge connected")) {
            TestBroker central = broker();
            Mosquitto edge = closeAfterTest(
                    Mosquitto.start(dir.resolve("edge"), mosquittoBridge(central, "plant/# both 1 edge/ site7/")));
            Received atEdge = new Received();
            MqttClient edgeClient = subscriber(edge.uri(), "edge-client", "edge/#", atEdge);
            Received atCentral = new Received();
            MqttClient centralClient = subscriber(central.uri(), "central-client", "site7/#", atCentral);

            exchangeBothWaysOnce(edgeClient, atEdge, "edge/plant/", centralClient, atCentral, "site7/plant/");
            // Retain As Published: a retained message reaches the bridge retained, so mosquitto
            // keeps it for later subscribers (a plain 3.1.1 subscription would clear the flag
            // [MQTT-3.3.1-9]).
            MqttMessage state = new MqttMessage("on".getBytes(StandardCharsets.UTF_8));
            state.setQos(1);
            state.setRetained(true);
            centralClient.publish("site7/plant/state", state);
            collect(atEdge, new ArrayList<>(), got -> got.contains("on"), "the retained message at the edge");
            Received late = new Received();
            subscriber(edge.uri(), "edge-late", "edge/plant/state", late);
            List<Received.Msg> retained = new ArrayList<>();
            Received.Msg first = late.poll(DRAIN);
            if (first != null) {
                retained.add(first);
                retained.addAll(late.drain());
            }
            assertEquals(1, retained.size(), "the retained message for a later subscriber at the edge: " + retained);
            assertTrue(retained.get(0).retained(), "sent as retained: " + retained.get(0));

            List<String> lines = log.containing("client id 'mosquitto-edge'");
            assertEquals(1, lines.size(), "one bridge line for the one connection: " + lines);
            assertTrue(lines.get(0).contains("MQTT_3_1_1"), lines.get(0));
        }
    }

    @Test
    @DisplayName(
            "a remote that refuses try_private's marker (CONNACK 0x01): the next CONNECT is plain 3.1.1 and in works")
    void aRemoteThatRefusesTheBridgeMarkerGetsAPlainConnect() throws Exception {
        // A Cairn told to refuse the mark: level 0x84 is then an unknown level [MQTT-3.1.2-2], as it
        // is to a broker that does not know try_private.
        TestBroker central = broker(Map.of("allow_bridge_marker", "false"));
        try (LogLines log = LogLines.capture("bridge central")) {
            TestBroker edge =
                    broker(bridgeSettings(central.host() + ":" + central.port(), "cmd/# in 1 edge/ central/", "3.1.1"));
            Received atEdge = new Received();
            subscriber(edge.uri(), "edge-sub", "edge/#", atEdge);
            MqttClient pub = subscriber(central.uri(), "central-pub", "unused/none", null);
            // Act
            awaitPath(pub, "central/cmd/probe", atEdge);
            publish(pub, "central/cmd/valve", 1, "open");
            // Assert
            collect(atEdge, new ArrayList<>(), got -> got.contains("open"), "the message after the probes");
            assertEquals(
                    1,
                    log.containing("refused the bridge marker of try_private").size(),
                    "the refusal is logged once, and the next attempt goes unmarked");
        }
    }
}
