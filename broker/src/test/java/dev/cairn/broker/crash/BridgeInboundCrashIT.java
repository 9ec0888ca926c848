package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Mosquitto;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: kill -9 of an edge Cairn while its bridge brings messages in from the remote loses
 * nothing the bridge acknowledged to the remote, and stores no QoS 2 message twice (ADR 0020,
 * docs/durability.md "Bridges"). The bridge answers the remote only with the core's PUBACK or
 * PUBREC, which leave after the journal sync; what it had not answered, the remote's persistent
 * session of the bridge re-sends after the restart [MQTT-4.4.0-1], and a QoS 2 one the edge had
 * stored is recognised by its packet id awaiting PUBREL [MQTT-4.3.3-10]. Method: a raw publisher
 * on a real mosquitto publishes ids alternately at QoS 1 ({@code site7/q1}) and QoS 2
 * ({@code site7/q2}), which the edge's {@code in} lines bring in as {@code edge/q1} and
 * {@code edge/q2}; a persistent {@link RawSubscriber} on the edge counts arrivals. After a seeded
 * random number of arrivals the edge gets SIGKILL and restarts on the same data. Then every id
 * mosquitto acknowledged to the publisher (so it held it for the bridge's session) must reach
 * the subscriber, QoS 2 ones exactly once.
 */
class BridgeInboundCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /**
     * Publishes on mosquitto from a thread of its own until stopped, one message at a time over a
     * {@link RawMqttClient}, remembering each whose QoS flow mosquitto completed (PUBACK, or
     * PUBCOMP at QoS 2).
     */
    private static final class RemotePublisher implements AutoCloseable {
        final Map<String, QoS> acknowledged = new ConcurrentHashMap<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final RawMqttClient client;
        private final Thread thread;
        private volatile boolean stop;

        RemotePublisher(Mosquitto central, String prefix) throws Exception {
            client = new RawMqttClient("127.0.0.1", central.port(), ProtocolVersion.MQTT_3_1_1);
            client.send(new Packet.Connect(
                    ProtocolVersion.MQTT_3_1_1, "remote-pub", true, 0, null, null, null, Properties.EMPTY));
            assertEquals(
                    ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
            thread = new Thread(
                    () -> {
                        try {
                            for (int i = 0; !stop; i++) {
                                QoS qos = i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE;
                                String id = prefix + i;
                                int packetId = i % 0xFFFF + 1;
                                client.send(new Packet.Publish(
                                        qos == QoS.AT_LEAST_ONCE ? "site7/q1" : "site7/q2",
                                        qos,
                                        false,
                                        false,
                                        packetId,
                                        Properties.EMPTY,
                                        id.getBytes(StandardCharsets.UTF_8)));
                                if (qos == QoS.AT_LEAST_ONCE) {
                                    client.receive(Packet.PubAck.class);
                                } else {
                                    client.receive(Packet.PubRec.class);
                                    client.send(new Packet.PubRel(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
                                    client.receive(Packet.PubComp.class);
                                }
                                acknowledged.put(id, qos);
                            }
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "remote-pub");
            thread.setDaemon(true);
            thread.start();
        }

        /** Why publishing ended early, for failure messages; empty while it goes on. */
        String failure() {
            return failure.get() == null ? "" : " (publishing failed: " + failure.get() + ")";
        }

        /** Stops publishing and waits for the thread; a publish that failed fails the test. */
        void stop() throws InterruptedException {
            stop = true;
            thread.join(TIMEOUT.toMillis());
            if (failure.get() != null) {
                throw new AssertionError("publishing on mosquitto failed", failure.get());
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            thread.join(TIMEOUT.toMillis());
            client.close();
        }
    }

    /** The publisher's sequence number in an id {@code mROUND-I}. */
    private static int indexOf(String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1));
    }

    @Test
    void everyMessageAcknowledgedToTheRemoteIsStoredAfterKill9OfTheEdgeQos2ExactlyOnce() throws Exception {
        Rounds.run("bridge bringing in", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("edge-data");
            String protocol = random.nextBoolean() ? "5" : "3.1.1";
            try (Mosquitto central = Mosquitto.start(dir.resolve("central"));
                    RawSubscriber sub = new RawSubscriber("edge-sub", seed, 100)) {
                Map<String, String> edgeSettings = Map.of(
                        "durability", "fsync",
                        "bridge.central.address", central.address(),
                        "bridge.central.topic.1", "q1 in 1 edge/ site7/",
                        "bridge.central.topic.2", "q2 in 2 edge/ site7/",
                        "bridge.central.protocol", protocol,
                        "bridge.central.client_id", "edge-1",
                        "bridge.central.restart_timeout_initial_millis", "100",
                        "bridge.central.restart_timeout_max_millis", "500");
                int killAfterArrivals = 50 + random.nextInt(1500);
                try (RemotePublisher publisher = new RemotePublisher(central, "m" + round + "-")) {
                    try (ChildBroker first = ChildBroker.start(data, dir, edgeSettings)) {
                        sub.connect(first, true, true);
                        sub.subscribe(1, "edge/#", QoS.EXACTLY_ONCE);
                        sub.startReading();
                        // Act: kill -9 while the bridge brings messages in.
                        Conditions.await(
                                () -> sub.counts().size() >= killAfterArrivals,
                                TIMEOUT,
                                killAfterArrivals + " messages through the bridge before the kill",
                                () -> sub.counts().size() + " arrived; mosquitto acknowledged "
                                        + publisher.acknowledged.size() + publisher.failure() + " (edge log "
                                        + first.logFile()
                                        + ")");
                        first.kill9();
                        sub.awaitDead(TIMEOUT);
                    }
                    try (ChildBroker second = ChildBroker.start(data, dir, edgeSettings)) {
                        String context = " (protocol " + protocol + "; edge log " + second.logFile() + ")";
                        assertTrue(sub.connect(second, false, true), "the subscriber's session survived" + context);
                        sub.startReading();
                        publisher.stop();
                        // Before the first arrival the subscriptions (the bridge's on mosquitto, the
                        // subscriber's here) may not have existed; from it on, mosquitto routes this one
                        // publisher's messages in order, so each later one it acknowledged was held for
                        // the bridge's session.
                        int firstIndex = sub.counts().keySet().stream()
                                .mapToInt(BridgeInboundCrashIT::indexOf)
                                .min()
                                .orElseThrow();
                        Map<String, QoS> expected = new HashMap<>();
                        publisher.acknowledged.forEach((id, qos) -> {
                            if (indexOf(id) >= firstIndex) {
                                expected.put(id, qos);
                            }
                        });
                        // Assert
                        Conditions.await(
                                () -> expected.keySet().stream().allMatch(id -> sub.countOf(id) > 0),
                                TIMEOUT,
                                "every id mosquitto acknowledged at the edge's subscriber" + context,
                                () -> expected.keySet().stream()
                                                .filter(id -> sub.countOf(id) == 0)
                                                .count()
                                        + " of " + expected.size() + " missing");
                        List<String> problems = new ArrayList<>();
                        for (Map.Entry<String, AtomicInteger> e : sub.counts().entrySet()) {
                            QoS qos = publisher.acknowledged.get(e.getKey());
                            if (qos == QoS.EXACTLY_ONCE && e.getValue().get() > 1) {
                                problems.add(e.getKey() + " (QoS 2) arrived "
                                        + e.getValue().get() + " times: " + sub.arrivals(e.getKey()));
                            }
                            if (qos == null) {
                                problems.add(e.getKey() + " arrived but mosquitto never acknowledged it");
                            }
                        }
                        problems.addAll(sub.violations());
                        assertEquals(List.of(), problems, "the promise" + context);
                    }
                }
            }
        });
    }
}
