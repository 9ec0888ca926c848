package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Mosquitto;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: an outage of the remote under steady load costs an edge Cairn nothing but disk (ADR 0020,
 * docs/durability.md "Bridges"): its publishers keep getting PUBACK and PUBREC, the bridge's queue
 * grows on disk while the broker's anonymous memory stays flat, and when the remote returns the
 * queue drains in order, QoS 2 exactly once into the remote (what mosquitto itself re-sends to its
 * subscriber after its restart is told apart by DUP, {@link Arrivals#orderViolations}); with a
 * small queued_messages_max and
 * queue_overflow = reject, a long outage refuses with 0x97 what would not fit, and loses none of
 * what it acknowledged. Method: the edge is a child process ({@link ChildBroker}, {@code
 * durability = fsync}) bridging {@code edge/q1/#} at QoS 1 and {@code edge/q2/#} at QoS 2 to a
 * real mosquitto ({@link Mosquitto}), stopped (SIGTERM, its sessions saved) and started again; a
 * Paho subscriber with a persistent session on mosquitto records every arrival; pipelining raw
 * MQTT 5 publishers ({@link Flow}) publish numbered 64 KiB messages, one per QoS, without pause.
 * The edge's memory is {@code RssAnon} of /proc/PID/status: its heap and native allocations,
 * without the journal's mapped file pages, which the kernel may drop as it likes.
 */
class BridgeOutageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int PAYLOAD_BYTES = 64 * 1024;
    /** Messages acknowledged while the remote is away, at least: 125 MiB of payload at 64 KiB. */
    private static final int OUTAGE_MESSAGES = 2_000;
    /**
     * Most the edge's anonymous memory may grow over the outage: half the 125 MiB a queue held in
     * memory would add. What it does grow by is the JVM touching more of its 256 MiB heap under
     * the load and the messages in flight (max_inflight of them, below): 2 to 29 MiB in the runs
     * seen so far.
     */
    private static final long RSS_GROWTH_MAX_KIB = 64 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Mosquitto central;
    private Arrivals arrivals;

    /** The remote, and on it a subscriber to everything the edge forwards. */
    @BeforeEach
    void startRemoteWithSubscriber() throws Exception {
        central = closeAfterTest(Mosquitto.start(dir.resolve("central")));
        arrivals = closeAfterTest(Arrivals.subscribe(central, "site7/#"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeAfterTest(T resource) {
        toClose.add(resource);
        return resource;
    }

    private Map<String, String> edgeSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("durability", "fsync");
        s.put("bridge.central.address", central.address());
        s.put("bridge.central.topic.1", "q1/# out 1 edge/ site7/");
        s.put("bridge.central.topic.2", "q2/# out 2 edge/ site7/");
        s.put("bridge.central.protocol", "5");
        s.put("bridge.central.client_id", "edge-1");
        s.put("bridge.central.restart_timeout_initial_millis", "100");
        s.put("bridge.central.restart_timeout_max_millis", "500");
        // The messages in flight to the remote stay in memory for their re-sending (at most
        // max_inflight of them): at the default 1000 that is up to 64 MiB of these 64 KiB messages,
        // too close to what a queue in memory would add; 100 keeps them at 6.4 MiB.
        s.put("bridge.central.max_inflight", "100");
        return s;
    }

    @Test
    @DisplayName("outage under QoS 1 and 2 load: PUBACKs go on, the queue is on disk (RSS flat), it drains in order,"
            + " QoS 2 once")
    void anOutageUnderLoadQueuesOnDiskAndDrainsInOrderWithNoQoS2Duplicates() throws Exception {
        ChildBroker edge = closeAfterTest(ChildBroker.start(dir.resolve("edge-data"), dir, edgeSettings()));
        Flow q1 = closeAfterTest(Flow.start(edge, "p1", "edge/q1/line", QoS.AT_LEAST_ONCE, Flow.WINDOW));
        Flow q2 = closeAfterTest(Flow.start(edge, "p2", "edge/q2/line", QoS.EXACTLY_ONCE, Flow.WINDOW));
        // Warm-up: the link carries the load, and the heap has been through its collections.
        await(
                () -> arrivals.count("site7/q1/line") >= 500 && arrivals.count("site7/q2/line") >= 500,
                "500 of each QoS at the remote before the outage",
                () -> arrivals.toString());
        long rssBeforeKib = rssAnonKib(edge.pid());
        long acknowledgedAtStop = q1.acknowledgedCount() + q2.acknowledgedCount();
        // Act: the remote goes away under load (saving its sessions) and stays away.
        central.stop();
        await(
                () -> q1.acknowledgedCount() + q2.acknowledgedCount() - acknowledgedAtStop >= OUTAGE_MESSAGES,
                OUTAGE_MESSAGES + " messages acknowledged by the edge during the outage",
                () -> q1 + " " + q2 + "; edge log " + edge.logFile());
        long queuedDuringOutage = q1.acknowledgedCount() + q2.acknowledgedCount() - acknowledgedAtStop;
        Scrape queued = Scrape.await(
                edge.adminPort(),
                s -> s.value("cairn_queued_messages") >= OUTAGE_MESSAGES,
                TIMEOUT,
                "the bridge's queue holding the outage's messages");
        long rssDuringKib = rssAnonKib(edge.pid());
        System.out.printf(
                "outage: %d messages of %d KiB acknowledged and queued; edge RssAnon %d KiB before, %d KiB at the end%n",
                queuedDuringOutage, PAYLOAD_BYTES / 1024, rssBeforeKib, rssDuringKib);
        central.start();
        // The load goes on while the queue drains, then stops.
        await(
                () -> q1.acknowledgedCount() + q2.acknowledgedCount() >= acknowledgedAtStop + queuedDuringOutage + 500,
                "500 more acknowledged after the remote returned",
                () -> q1 + " " + q2);
        q1.stopPublishing();
        q2.stopPublishing();
        await(
                () -> arrivals.hasAll("site7/q1/line", q1.acknowledged())
                        && arrivals.hasAll("site7/q2/line", q2.acknowledged()),
                "every acknowledged message at the remote",
                () -> arrivals + "; " + q1 + " " + q2 + "; edge log " + edge.logFile());
        // Assert
        assertTrue(
                queued.value("cairn_queued_bytes") >= (double) OUTAGE_MESSAGES * PAYLOAD_BYTES,
                "the queue's bytes: " + queued.value("cairn_queued_bytes"));
        assertTrue(
                rssDuringKib - rssBeforeKib < RSS_GROWTH_MAX_KIB,
                "RssAnon grew from " + rssBeforeKib + " KiB to " + rssDuringKib + " KiB while " + queuedDuringOutage
                        + " messages of " + PAYLOAD_BYTES / 1024 + " KiB queued: the queue is in memory");
        assertEquals(List.of(), q1.problems(), "QoS 1 publisher");
        assertEquals(List.of(), q2.problems(), "QoS 2 publisher");
        // QoS 1 may repeat what was in flight at the stop; its first copies keep the publisher's order.
        assertEquals(List.of(), arrivals.orderViolations("site7/q1/line", false), "QoS 1 order");
        // QoS 2: mosquitto got each message once [MQTT-4.3.3-1] (the bridge's remote session persists) and
        // delivered the first copies in order; what it re-sent to its subscriber after its restart is counted apart.
        assertEquals(
                List.of(),
                arrivals.orderViolations("site7/q2/line", true),
                "QoS 2 order and duplicates (mosquitto's own redeliveries after its restart: "
                        + arrivals.redelivered("site7/q2/line") + ")");
    }

    @Test
    @DisplayName("a long outage fills a small queue: reject answers 0x97 instead of a PUBACK, and every PUBACKed"
            + " message arrives")
    void aLongOutageFillsTheQueueAndRejectRefusesWith0x97AndLosesNothingAcknowledged() throws Exception {
        central.stop();
        Map<String, String> settings = edgeSettings();
        settings.put("queued_messages_max", "300");
        settings.put("queue_overflow", "reject");
        ChildBroker edge = closeAfterTest(ChildBroker.start(dir.resolve("edge-data"), dir, settings));
        // Act: two QoS 1 publishers keep publishing into the full queue.
        Flow a = closeAfterTest(Flow.start(edge, "pa", "edge/q1/a", QoS.AT_LEAST_ONCE, Flow.WINDOW));
        Flow b = closeAfterTest(Flow.start(edge, "pb", "edge/q1/b", QoS.AT_LEAST_ONCE, Flow.WINDOW));
        await(
                () -> a.refusedCount() >= 100 && b.refusedCount() >= 100,
                "100 refusals of each publisher",
                () -> a + " " + b);
        a.stopPublishing();
        b.stopPublishing();
        await(() -> a.outstanding() == 0 && b.outstanding() == 0, "the publishers' last answers", () -> a + " " + b);
        long acknowledgedBeforeReturn = a.acknowledgedCount() + b.acknowledgedCount();
        central.start();
        await(
                () -> arrivals.hasAll("site7/q1/a", a.acknowledged())
                        && arrivals.hasAll("site7/q1/b", b.acknowledged()),
                "every acknowledged message at the remote",
                () -> arrivals + "; " + a + " " + b + "; edge log " + edge.logFile());
        // Assert: the queue held what it may, and not one message more was acknowledged.
        assertTrue(acknowledgedBeforeReturn > 0 && acknowledgedBeforeReturn <= 300, a + " " + b);
        assertEquals(List.of(), a.problems(), "publisher a");
        assertEquals(List.of(), b.problems(), "publisher b");
        // [MQTT-3.4.2-1] 0x97 Quota exceeded is the refusal; a refused message was never stored, so never arrives.
        assertEquals(Set.of(ReasonCode.QUOTA_EXCEEDED), a.refusalReasons());
        assertEquals(Set.of(ReasonCode.QUOTA_EXCEEDED), b.refusalReasons());
        assertEquals(List.of(), arrivals.unexpected("site7/q1/a", a.acknowledged()), "refused messages of a arrived");
        assertEquals(List.of(), arrivals.unexpected("site7/q1/b", b.acknowledged()), "refused messages of b arrived");
        assertEquals(List.of(), arrivals.orderViolations("site7/q1/a", false));
        assertEquals(List.of(), arrivals.orderViolations("site7/q1/b", false));
    }

    private static void await(BooleanSupplier condition, String what, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what + "; " + state.get());
            }
            Thread.sleep(20); // The polling interval; the exit is the condition.
        }
    }

    /** RssAnon of a process, in KiB, from /proc/PID/status. */
    private static long rssAnonKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no RssAnon in /proc/" + pid + "/status");
    }

    /** A payload of {@link #PAYLOAD_BYTES} that starts with "sequence;". */
    private static byte[] payload(long sequence) {
        byte[] bytes = new byte[PAYLOAD_BYTES];
        Arrays.fill(bytes, (byte) 'x');
        byte[] head = (sequence + ";").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    private static long sequenceOf(byte[] payload) {
        int end = 0;
        while (payload[end] != ';') {
            end++;
        }
        return Long.parseLong(new String(payload, 0, end, StandardCharsets.US_ASCII));
    }

    /**
     * What a Paho subscriber with a persistent session (clean session 0, QoS 2) received on the
     * remote, in order, per topic. It reconnects by itself when mosquitto comes back, keeping
     * its in-memory QoS 2 state, as a device would.
     */
    private static final class Arrivals implements MqttCallback, AutoCloseable {
        /** One arrival: the publisher's sequence and the PUBLISH's DUP flag. */
        record Arrival(long sequence, boolean dup) {}

        private final Map<String, List<Arrival>> byTopic = new ConcurrentHashMap<>();
        private MqttClient client;

        static Arrivals subscribe(Mosquitto central, String filter) throws Exception {
            Arrivals arrivals = new Arrivals();
            arrivals.client = new MqttClient(central.uri(), "central-sub", new MemoryPersistence());
            arrivals.client.setCallback(arrivals);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(500);
            options.setMaxInflight(1000);
            arrivals.client.connect(options);
            arrivals.client.subscribe(filter, 2);
            return arrivals;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>())
                    .add(new Arrival(sequenceOf(message.getPayload()), message.isDuplicate()));
        }

        @Override
        public void connectionLost(Throwable cause) {
            // Automatic reconnect takes over.
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}

        private List<Arrival> of(String topic) {
            return byTopic.getOrDefault(topic, List.of());
        }

        private Set<Long> sequences(String topic) {
            Set<Long> sequences = new HashSet<>();
            for (Arrival a : of(topic)) {
                sequences.add(a.sequence());
            }
            return sequences;
        }

        long count(String topic) {
            return of(topic).size();
        }

        boolean hasAll(String topic, Set<Long> sequences) {
            return sequences(topic).containsAll(sequences);
        }

        /** Arrivals that are not among {@code acknowledged}. */
        List<Long> unexpected(String topic, Set<Long> acknowledged) {
            List<Long> extra = new ArrayList<>();
            for (Arrival a : of(topic)) {
                if (!acknowledged.contains(a.sequence())) {
                    extra.add(a.sequence());
                }
            }
            return extra;
        }

        /**
         * Where the arrivals of one topic break the publisher's order: a first copy below an
         * earlier one, and, with {@code once}, a second copy that mosquitto sent as new (DUP 0),
         * which means it received the message twice from the bridge. A second copy with DUP 1 is
         * mosquitto re-sending to this subscriber after its own restart: mosquitto 2.0 restores a
         * QoS 2 message whose PUBREL it had sent as unsent and publishes it again (its log shows
         * PUBLISH d1 where PUBREL was due), a hop the bridge is not part of ({@link #redelivered}).
         */
        List<String> orderViolations(String topic, boolean once) {
            List<String> violations = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            long highest = -1;
            for (Arrival a : of(topic)) {
                if (!seen.add(a.sequence())) {
                    if (once && !a.dup()) {
                        violations.add(a.sequence() + " again, as a new message");
                    }
                    continue;
                }
                if (a.sequence() < highest) {
                    violations.add(a.sequence() + " after " + highest);
                }
                highest = a.sequence();
            }
            return violations.subList(0, Math.min(violations.size(), 20));
        }

        /** Second copies mosquitto marked DUP (its own redelivery to this subscriber). */
        long redelivered(String topic) {
            Set<Long> seen = new HashSet<>();
            long redelivered = 0;
            for (Arrival a : of(topic)) {
                if (!seen.add(a.sequence()) && a.dup()) {
                    redelivered++;
                }
            }
            return redelivered;
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("arrivals:");
            byTopic.forEach((t, l) -> out.append(' ').append(t).append('=').append(l.size()));
            return out.toString();
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        }
    }

    /**
     * One MQTT 5 publisher over {@link RawMqttClient}, so the test sees each PUBACK's and
     * PUBREC's reason code: a writer thread publishes sequence 0, 1, 2, ... on one topic at one
     * QoS as fast as a window of {@link #WINDOW} unanswered messages allows; a reader thread
     * completes the flows (PUBREL after PUBREC) and records which sequences the edge acknowledged
     * and which it refused.
     */
    private static final class Flow implements AutoCloseable {
        static final int WINDOW = 16;

        private final String name;
        private final String topic;
        private final QoS qos;
        private final RawMqttClient client;
        private final Semaphore window;
        private final Map<Integer, Long> sequenceById = new ConcurrentHashMap<>();
        private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        private final Set<ReasonCode> refusalReasons = ConcurrentHashMap.newKeySet();
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final Object writeLock = new Object();
        private volatile long refused;
        private volatile boolean stopped;
        private volatile boolean closed;
        private Thread writer;
        private Thread reader;

        private Flow(String name, String topic, QoS qos, RawMqttClient client, int window) {
            this.name = name;
            this.topic = topic;
            this.qos = qos;
            this.client = client;
            this.window = new Semaphore(window);
        }

        static Flow start(ChildBroker edge, String clientId, String topic, QoS qos, int window) throws IOException {
            RawMqttClient client = new RawMqttClient(edge.host(), edge.port(), ProtocolVersion.MQTT_5);
            client.send(
                    new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 60, null, null, null, Properties.EMPTY));
            Packet.ConnAck ack = client.receive(Packet.ConnAck.class);
            assertEquals(ReasonCode.SUCCESS, ack.reason(), clientId + " CONNACK");
            Flow flow = new Flow(clientId, topic, qos, client, window);
            flow.reader = new Thread(flow::readLoop, clientId + "-reader");
            flow.writer = new Thread(flow::writeLoop, clientId + "-writer");
            flow.reader.setDaemon(true);
            flow.writer.setDaemon(true);
            flow.reader.start();
            flow.writer.start();
            return flow;
        }

        private void writeLoop() {
            int packetId = 0;
            try {
                for (long sequence = 0; !stopped; sequence++) {
                    while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        if (stopped) {
                            return;
                        }
                    }
                    packetId = packetId == 0xFFFF ? 1 : packetId + 1;
                    sequenceById.put(packetId, sequence);
                    send(new Packet.Publish(topic, qos, false, false, packetId, Properties.EMPTY, payload(sequence)));
                }
            } catch (IOException | InterruptedException e) {
                if (!closed) {
                    problems.add("writer: " + e);
                }
            }
        }

        private void readLoop() {
            try {
                while (!closed) {
                    Packet p;
                    try {
                        p = client.receive(Duration.ofMillis(200));
                    } catch (SocketTimeoutException idle) {
                        continue;
                    }
                    onPacket(p);
                }
            } catch (IOException e) {
                if (!closed) {
                    problems.add("reader: " + e);
                }
            }
        }

        private void onPacket(Packet p) throws IOException {
            switch (p.type()) {
                case PUBACK -> {
                    Packet.PubAck ack = (Packet.PubAck) p;
                    answered(ack.packetId(), ack.reason(), QoS.AT_LEAST_ONCE);
                    window.release();
                }
                case PUBREC -> {
                    Packet.PubRec rec = (Packet.PubRec) p;
                    answered(rec.packetId(), rec.reason(), QoS.EXACTLY_ONCE);
                    if (rec.reason().isError()) {
                        sequenceById.remove(rec.packetId());
                        window.release(); // An error PUBREC ends the flow.
                    } else {
                        send(new Packet.PubRel(rec.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                    }
                }
                case PUBCOMP -> {
                    sequenceById.remove(((Packet.PubComp) p).packetId());
                    window.release();
                }
                default -> problems.add("unexpected " + p);
            }
        }

        private void answered(int packetId, ReasonCode reason, QoS expected) {
            Long sequence = qos == QoS.AT_LEAST_ONCE ? sequenceById.remove(packetId) : sequenceById.get(packetId);
            if (sequence == null || qos != expected) {
                problems.add(p(packetId) + " answered though none awaits it");
                return;
            }
            if (reason.isError()) {
                refusalReasons.add(reason);
                refused++;
            } else {
                acknowledged.add(sequence);
            }
        }

        private String p(int packetId) {
            return name + " packet id " + packetId;
        }

        private void send(Packet packet) throws IOException {
            synchronized (writeLock) {
                client.send(packet);
            }
        }

        void stopPublishing() throws InterruptedException {
            stopped = true;
            writer.join(TIMEOUT.toMillis());
        }

        long acknowledgedCount() {
            return acknowledged.size();
        }

        Set<Long> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        long refusedCount() {
            return refused;
        }

        Set<ReasonCode> refusalReasons() {
            return Set.copyOf(refusalReasons);
        }

        int outstanding() {
            return sequenceById.size();
        }

        List<String> problems() {
            return List.copyOf(problems);
        }

        @Override
        public String toString() {
            return name + "(" + qos + ": " + acknowledged.size() + " acknowledged, " + refused + " refused, "
                    + sequenceById.size() + " outstanding, problems " + problems + ")";
        }

        @Override
        public void close() throws IOException {
            stopped = true;
            closed = true;
            client.close();
        }
    }
}
