package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: the figures the core copies for {@code /metrics} from running totals (connections by
 * listener and protocol, sessions online and offline, queued messages and bytes, the largest
 * queue, the oldest queued message) equal a count from scratch of every connection and session.
 * Method: the real core ({@link CoreHarness}) driven by seeded random client actions: 3.1.1 and
 * 5.0 clients connecting with and without a persistent session, subscribing, dropping their
 * connections, acknowledging some deliveries and not others, connections that never send
 * CONNECT, QoS 0 and 1 publishes, purges through the admin desk, sessions expiring and broker
 * restarts; after each action a copy of the figures and a recount are made in the same core turn
 * and compared. The oldest queued message's receive time is recounted with the admin API's
 * per-session source.
 */
class FiguresRecountTest {
    private static final int CLIENTS = 8;

    @Test
    void figuresFromRunningTotalsEqualARecountAfterRandomClientActions() {
        for (long seed = 1; seed <= 3; seed++) {
            try (CoreHarness core = CoreHarness.start()) {
                randomRun(core, seed);
            }
        }
    }

    private void randomRun(CoreHarness core, long seed) {
        Random random = new Random(seed);
        Map<Integer, RecordingWire> connected = new HashMap<>();
        List<RecordingWire> bare = new ArrayList<>();
        RecordingWire pub = core.connect(CoreHarness.connect5("pub", true, 0));
        int packetId = 1;
        for (int step = 0; step < 200; step++) {
            int i = random.nextInt(CLIENTS);
            String id = "c" + i;
            int op = random.nextInt(100);
            if (op < 20) {
                if (!connected.containsKey(i)) {
                    boolean v5 = random.nextBoolean();
                    boolean persistent = random.nextInt(4) > 0;
                    Packet.Connect connect = v5
                            ? CoreHarness.connect5(id, !persistent, persistent ? 30 : 0)
                            : CoreHarness.connect(
                                    ProtocolVersion.MQTT_3_1_1, id, !persistent, 60, null, Properties.EMPTY);
                    RecordingWire w = core.connect(connect);
                    // A resumed session's queued messages may come before the SUBACK: not checked here.
                    core.send(w, Packets.subscribe(1, random.nextBoolean() ? "t/#" : "t/" + i, QoS.AT_LEAST_ONCE));
                    connected.put(i, w);
                }
            } else if (op < 32) {
                RecordingWire w = connected.remove(i);
                if (w != null) {
                    core.drop(w);
                }
            } else if (op < 38) {
                if (bare.size() < 3 || random.nextBoolean()) {
                    bare.add(core.open());
                } else {
                    core.drop(bare.remove(random.nextInt(bare.size())));
                }
            } else if (op < 75) {
                QoS qos = random.nextInt(4) == 0 ? QoS.AT_MOST_ONCE : QoS.AT_LEAST_ONCE;
                int pid = qos == QoS.AT_MOST_ONCE ? 0 : packetId;
                packetId = packetId % 60_000 + 1;
                core.send(
                        pub, Packets.publish("t/" + random.nextInt(CLIENTS), qos, pid, "x".repeat(random.nextInt(30))));
                pub.drain();
            } else if (op < 88) {
                RecordingWire w = connected.get(i);
                if (w != null) {
                    for (Packet p : w.drain()) {
                        if (p instanceof Packet.Publish publish
                                && publish.qos() == QoS.AT_LEAST_ONCE
                                && random.nextInt(3) > 0) {
                            core.send(
                                    w,
                                    new Packet.PubAck(
                                            publish.packetId(),
                                            dev.cairn.broker.codec.ReasonCode.SUCCESS,
                                            Properties.EMPTY));
                        }
                    }
                }
            } else if (op < 93) {
                // A purge step per command, as the admin API takes them.
                AdminDesk.PurgeStep purged = core.onCore(desk -> desk.startPurge(id));
                while (purged != null && !purged.finished()) {
                    purged = core.onCore(desk -> desk.continuePurge(id));
                }
            } else if (op < 96) {
                core.advance(Duration.ofSeconds(40));
            } else if (op < 98) {
                core.restart();
                connected.clear();
                bare.clear();
                pub = core.connect(CoreHarness.connect5("pub", true, 0));
            }
            core.advance(Duration.ofSeconds(1));
            List<String> counted = core.onCore(desk -> compare(desk.state()));
            assertEquals(counted.get(0), counted.get(1), "seed " + seed + ", step " + step + " (op " + op + ")");
        }
    }

    /** The figures copied now, and the same recounted from every connection and session, as two strings. */
    private static List<String> compare(BrokerState state) {
        CoreMeasures measures = new CoreMeasures(500, 0);
        measures.copyFigures(state, System.nanoTime());
        CoreFigures f = measures.figures();
        String copied = describe(
                f.connections(),
                f.sessionsOnline(),
                f.sessionsOffline(),
                f.queuedMessages(),
                f.queuedBytes(),
                f.largestQueueMessages(),
                f.largestQueueBytes(),
                f.oldestQueuedAgeMillis());
        Map<CoreFigures.ListenerProtocol, Long> connections = new HashMap<>();
        for (dev.cairn.broker.session.Connection c : state.connections) {
            String protocol = c.phase() == dev.cairn.broker.session.ConnectionPhase.CONNECTED
                    ? CoreMeasures.protocolName(c)
                    : "none";
            connections.merge(new CoreFigures.ListenerProtocol(c.origin().listener(), protocol), 1L, Long::sum);
        }
        long online = 0;
        long messages = 0;
        long bytes = 0;
        long largest = 0;
        long largestBytes = 0;
        long oldestAt = -1;
        for (Session s : state.sessions.values()) {
            online += s.isConnected() ? 1 : 0;
            messages += s.outbound().queuedCount();
            bytes += s.outbound().queuedBytes();
            largest = Math.max(largest, s.outbound().queuedCount());
            largestBytes = Math.max(largestBytes, s.outbound().queuedBytes());
            long at = state.persistence.sessionJournal(s.clientId()).oldestQueuedAtMillis();
            if (at >= 0 && (oldestAt < 0 || at < oldestAt)) {
                oldestAt = at;
            }
        }
        long oldestAge = oldestAt < 0 ? -1 : Math.max(0, state.clock.currentTimeMillis() - oldestAt);
        String recounted = describe(
                connections, online, state.sessions.size() - online, messages, bytes, largest, largestBytes, oldestAge);
        return List.of(recounted, copied);
    }

    private static String describe(
            Map<CoreFigures.ListenerProtocol, Long> connections,
            long online,
            long offline,
            long messages,
            long bytes,
            long largest,
            long largestBytes,
            long oldestAge) {
        return "connections " + new java.util.TreeMap<>(toStrings(connections)) + ", sessions " + online + " online "
                + offline + " offline, queued " + messages + " messages " + bytes + " bytes, largest " + largest
                + " messages " + largestBytes + " bytes, oldest " + oldestAge + " ms";
    }

    private static Map<String, Long> toStrings(Map<CoreFigures.ListenerProtocol, Long> connections) {
        Map<String, Long> out = new HashMap<>();
        connections.forEach((k, v) -> out.put(k.listener() + "/" + k.protocol(), v));
        return out;
    }
}
