package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: retained messages and subscriptions survive kill -9. Method: a Paho 3.1.1 client with a
 * persistent session subscribes to two filters and unsubscribes from a third. Then a raw publisher
 * sets, replaces and clears retained messages on a few topics, at QoS 0 and 1, one at a time,
 * until the broker child is SIGKILLed after a seeded random number of operations. An operation is
 * durable once a PUBACK for it, or for a later QoS 1 operation of the same connection, arrived
 * (one connection's packets are applied in order, and an ack leaves after the sync that covers
 * everything appended before it). After the restart, for every topic the retained state (a value
 * or none) must be the last durable operation's or a later one's: never older, and a cleared
 * topic stays cleared. The subscriber's session must come back with exactly its subscriptions.
 */
class RetainedCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int TOPICS = 6;

    /** One retained operation: a value (null clears) at a QoS; durable once an ack covers it. */
    private static final class Op {
        final int sequence;
        final String topic;
        final String value;
        final QoS qos;
        volatile boolean durable;

        Op(int sequence, String topic, String value, QoS qos) {
            this.sequence = sequence;
            this.topic = topic;
            this.value = value;
            this.qos = qos;
        }

        @Override
        public String toString() {
            return "#" + sequence + " " + (value == null ? "clear" : value) + " QoS " + qos.value()
                    + (durable ? " durable" : "");
        }
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void retainedMessagesAndSubscriptionsSurviveKill9() throws Exception {
        Rounds.run("retained and subscriptions", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("data");
            Map<String, String> settings = Map.of("durability", "fsync");
            int killAfterOps = 5 + random.nextInt(200);
            List<Op> ops = new CopyOnWriteArrayList<>();

            try (ChildBroker first = ChildBroker.start(data, dir, settings);
                    PahoSubscriber holder = new PahoSubscriber("holder")) {
                // Arrange: subscriptions kept by an offline session.
                assertFalse(holder.connect(first), "a new session is not present");
                holder.subscribe("sub/a", 1);
                holder.subscribe("sub/b/+", 2);
                holder.subscribe("sub/c", 1);
                holder.unsubscribe("sub/c");
                holder.disconnect();

                // Act: retained operations until kill -9.
                Thread writer = new Thread(() -> runOps(first, new Random(seed), ops), "retained-writer");
                writer.setDaemon(true);
                writer.start();
                Conditions.await(
                        () -> ops.size() >= killAfterOps || !writer.isAlive(),
                        TIMEOUT,
                        killAfterOps + " retained operations");
                first.kill9();
                writer.join(TIMEOUT.toMillis());
                assertFalse(writer.isAlive(), "writer stopped after the kill");
            }

            try (ChildBroker second = ChildBroker.start(data, dir, settings);
                    PahoSubscriber reader = new PahoSubscriber("reader-" + round);
                    PahoSubscriber holder = new PahoSubscriber("holder");
                    RawPublisher fence = new RawPublisher("fence", "ret/fence", "ret/fence", seed, 0.0)) {
                String context =
                        " (" + ops.size() + " operations " + byTopic(ops) + "; broker log " + second.logFile() + ")";
                // Assert: the retained set is as new as the acks say.
                assertFalse(reader.connect(second), "reader's new session");
                reader.subscribe("ret/#", 1);
                fence.connect(second);
                fence.publishAndAwait("ret/fence", QoS.AT_LEAST_ONCE, "fence", TIMEOUT);
                Conditions.await(
                        () -> reader.count("fence") > 0, TIMEOUT, "fence after the retained messages" + context);
                List<String> problems = checkRetained(ops, reader);

                // ... and the subscriptions are exactly those acknowledged.
                assertTrue(holder.connect(second), "holder's session survived" + context);
                fence.publishAndAwait("sub/c", QoS.AT_LEAST_ONCE, "to-c", TIMEOUT);
                fence.publishAndAwait("sub/a", QoS.AT_LEAST_ONCE, "to-a", TIMEOUT);
                fence.publishAndAwait("sub/b/x", QoS.EXACTLY_ONCE, "to-b", TIMEOUT);
                Conditions.await(
                        () -> holder.count("to-a") > 0 && holder.count("to-b") > 0,
                        TIMEOUT,
                        "messages on the kept subscriptions" + context);
                if (holder.count("to-c") != 0) {
                    problems.add("a message arrived on sub/c, unsubscribed before the crash");
                }
                if (holder.qosOf("to-a") != 1 || holder.qosOf("to-b") != 2) {
                    problems.add("subscription QoS changed: sub/a gave " + holder.qosOf("to-a") + ", sub/b/+ gave "
                            + holder.qosOf("to-b"));
                }
                problems.addAll(fence.violations());
                assertEquals(List.of(), problems, "retained and subscriptions" + context);
            }
        });
    }

    /** Sets, replaces and clears retained messages one at a time until the connection dies. */
    private static void runOps(ChildBroker broker, Random random, List<Op> ops) {
        try (RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5)) {
            client.send(new Packet.Connect(
                    ProtocolVersion.MQTT_5, "retainer", true, 60, null, null, null, Properties.EMPTY));
            client.receive(Packet.ConnAck.class);
            int packetId = 0;
            for (int sequence = 0; ; sequence++) {
                String topic = "ret/" + random.nextInt(TOPICS);
                double r = random.nextDouble();
                QoS qos = r < 0.45 || r >= 0.9 ? QoS.AT_LEAST_ONCE : QoS.AT_MOST_ONCE;
                String value = r < 0.75 ? "v" + sequence : null;
                Op op = new Op(sequence, topic, value, qos);
                ops.add(op);
                packetId = qos == QoS.AT_MOST_ONCE ? 0 : packetId % 0xFFFF + 1;
                byte[] payload = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
                client.send(new Packet.Publish(topic, qos, true, false, packetId, Properties.EMPTY, payload));
                if (qos == QoS.AT_LEAST_ONCE) {
                    Packet.PubAck ack = client.receive(Packet.PubAck.class);
                    if (ack.packetId() == packetId && !ack.reason().isError()) {
                        for (Op earlier : ops) {
                            earlier.durable = true; // This ack covers every operation before it.
                        }
                    }
                }
            }
        } catch (IOException | AssertionError e) {
            // The broker was killed.
        }
    }

    private static List<String> checkRetained(List<Op> ops, PahoSubscriber reader) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Op>> e : byTopic(ops).entrySet()) {
            List<Op> history = e.getValue();
            int lastDurable = -1;
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).durable) {
                    lastDurable = i;
                }
            }
            List<Op> allowed = history.subList(Math.max(0, lastDurable), history.size());
            boolean noneAllowed = lastDurable < 0 || allowed.stream().anyMatch(op -> op.value == null);
            String found = null;
            for (Op op : history) {
                if (op.value != null && reader.count(op.value) > 0) {
                    if (found != null) {
                        problems.add(e.getKey() + ": two retained values " + found + " and " + op.value);
                    }
                    found = op.value;
                    if (!allowed.contains(op)) {
                        problems.add(e.getKey() + ": retained " + op + " is older than the last durable operation "
                                + history.get(lastDurable));
                    } else if (reader.qosOf(op.value) != op.qos.value()) {
                        problems.add(e.getKey() + ": retained " + op + " arrived at QoS " + reader.qosOf(op.value));
                    }
                }
            }
            if (found == null && !noneAllowed) {
                problems.add(e.getKey() + ": no retained message, but " + allowed + " may not have been lost");
            }
        }
        return problems;
    }

    private static Map<String, List<Op>> byTopic(List<Op> ops) {
        Map<String, List<Op>> byTopic = new TreeMap<>();
        for (Op op : ops) {
            byTopic.computeIfAbsent(op.topic, t -> new ArrayList<>()).add(op);
        }
        return byTopic;
    }
}
