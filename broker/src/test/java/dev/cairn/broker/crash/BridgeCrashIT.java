package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: kill -9 of an edge Cairn in the middle of forwarding loses nothing it acknowledged to its
 * publishers, and sends no QoS 2 message twice (ADR 0020, docs/durability.md "Bridges"). Method:
 * an edge Cairn in a child process bridges {@code edge/q1} (QoS 1) and {@code edge/q2} (QoS 2) to a
 * real mosquitto, where a Paho subscriber counts every arrival; a pipelining raw publisher
 * ({@link RawPublisher}) publishes on the edge; after a seeded random number of acknowledgements
 * the edge gets SIGKILL and restarts on the same data. The bridge resumes its session from the
 * journal: what was in flight to mosquitto is re-sent with DUP under the same packet ids (or
 * PUBREL where the QoS 2 flow stood), so mosquitto, whose session of the bridge persists, drops
 * what it had. Then every id the edge acknowledged must reach the subscriber, QoS 2 ones once.
 */
class BridgeCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    /** Counts what a Paho subscriber on mosquitto receives, by payload (the publisher's id). */
    private static final class Counter implements MqttCallback {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String id = new String(message.getPayload(), StandardCharsets.UTF_8);
            counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
    }

    @Test
    void everyAcknowledgedMessageReachesTheRemoteAfterKill9OfTheEdgeQos2ExactlyOnce() throws Exception {
        Rounds.run("bridge forwarding", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("edge-data");
            try (Mosquitto central = Mosquitto.start(dir.resolve("central"))) {
                Counter counter = new Counter();
                MqttClient sub = new MqttClient(central.uri(), "central-sub", new MemoryPersistence());
                sub.setCallback(counter);
                MqttConnectOptions options = new MqttConnectOptions();
                options.setCleanSession(true);
                options.setMaxInflight(1000);
                sub.connect(options);
                sub.subscribe("site7/#", 2);
                Map<String, String> settings = Map.of(
                        "durability", "fsync",
                        "bridge.central.address", central.address(),
                        "bridge.central.topic.1", "q1 out 1 edge/ site7/",
                        "bridge.central.topic.2", "q2 out 2 edge/ site7/",
                        "bridge.central.protocol", random.nextBoolean() ? "5" : "3.1.1",
                        "bridge.central.client_id", "edge-1",
                        "bridge.central.restart_timeout_initial_millis", "100",
                        "bridge.central.restart_timeout_max_millis", "500");
                int killAfterAcks = 50 + random.nextInt(1500);
                RawPublisher publisher = new RawPublisher("publisher", "edge/q1", "edge/q2", seed, 0.05);
                Set<String> acknowledgedAtCrash;
                try (ChildBroker first = ChildBroker.start(data, dir, settings)) {
                    publisher.connect(first).startPublishing("m" + round, 1_000_000);
                    // Act: kill -9 while the bridge forwards.
                    publisher.awaitAcknowledged(killAfterAcks, TIMEOUT);
                    first.kill9();
                    publisher.awaitDead(TIMEOUT);
                    acknowledgedAtCrash = Set.copyOf(publisher.acknowledged());
                }
                try (ChildBroker second = ChildBroker.start(data, dir, settings)) {
                    String context = " (" + acknowledgedAtCrash.size() + " acknowledged at the crash; edge log "
                            + second.logFile() + ")";
                    publisher.resume(second, TIMEOUT);
                    publisher.publishAndAwait("edge/q2", QoS.EXACTLY_ONCE, "fence-" + round, TIMEOUT);
                    Set<String> expected = publisher.acknowledged();
                    // Assert
                    Conditions.await(
                            () -> expected.stream().allMatch(counter.counts::containsKey),
                            TIMEOUT,
                            "every acknowledged id at the remote" + context,
                            () -> counter.counts.size() + " of " + expected.size() + " ids arrived");
                    List<String> problems = new ArrayList<>();
                    for (String id : acknowledgedAtCrash) {
                        if (!counter.counts.containsKey(id)) {
                            problems.add(id + " was acknowledged before the crash and never arrived");
                        }
                    }
                    for (Map.Entry<String, AtomicInteger> e : counter.counts.entrySet()) {
                        if (publisher.qosOf(e.getKey()) == QoS.EXACTLY_ONCE
                                && e.getValue().get() > 1) {
                            problems.add(e.getKey() + " (QoS 2) arrived "
                                    + e.getValue().get() + " times");
                        }
                        if (publisher.qosOf(e.getKey()) == null) {
                            problems.add(e.getKey() + " arrived but was never published");
                        }
                    }
                    problems.addAll(publisher.violations());
                    assertEquals(List.of(), problems, "the promise" + context);
                } finally {
                    publisher.close();
                    sub.disconnectForcibly(0, 100, false);
                    sub.close(true);
                }
            }
        });
    }
}
