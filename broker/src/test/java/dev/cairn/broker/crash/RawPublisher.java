package dev.cairn.broker.crash;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A pipelining MQTT 5 publisher over {@link RawMqttClient}, so the test sees the exact packets:
 * it publishes QoS 1 and QoS 2 messages whose payload is a unique id, as fast as a window of
 * unacknowledged messages allows, and keeps the ledger the crash tests check against: every id it
 * put on the wire ({@link #published()}) and every id the broker acknowledged with PUBACK or
 * PUBREC ({@link #acknowledged()}). It may hold back PUBREL after a PUBREC, so inbound QoS 2
 * state is pending in the broker when it is killed. After a restart, {@link #resume} reconnects
 * with the session and finishes every flow as a conforming client must [MQTT-4.4.0-1]: PUBLISH
 * again with DUP for what got no ack, PUBREL again for what got PUBREC.
 *
 * <p>Threads: one writer and one reader thread per connection; the ledger is concurrent.
 */
final class RawPublisher implements AutoCloseable {
    static final long SESSION_EXPIRY_SECONDS = 3600;
    private static final int WINDOW = 64;
    private static final int PUBREL_HELD_MAX = 8;
    private static final Duration IDLE_READ = Duration.ofMillis(200);

    private enum Stage {
        PUBLISHED,
        PUBREC_RECEIVED,
        PUBREL_SENT
    }

    /** One message the broker has not finished with, by packet id. */
    private static final class Outstanding {
        final long sequence;
        final String id;
        final String topic;
        final QoS qos;
        volatile Stage stage = Stage.PUBLISHED;

        Outstanding(long sequence, String id, String topic, QoS qos) {
            this.sequence = sequence;
            this.id = id;
            this.topic = topic;
            this.qos = qos;
        }
    }

    private final String clientId;
    private final String q1Topic;
    private final String q2Topic;
    private final Random random;
    private final double pubRelHoldProbability;
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, QoS> qosById = new ConcurrentHashMap<>();
    private final Map<Integer, Outstanding> outstanding = new ConcurrentHashMap<>();
    /** Packet ids whose PUBREL we held back until the broker died: it must still know them. */
    private final Set<Integer> heldAtCrash = ConcurrentHashMap.newKeySet();

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> resentPublish = ConcurrentHashMap.newKeySet();
    private final Object writeLock = new Object();
    private final Semaphore window = new Semaphore(WINDOW);
    private RawMqttClient client;
    private Thread writer;
    private Thread reader;
    private volatile boolean dead;
    private volatile boolean resumed;
    private volatile int pubRelHeld;
    private int nextPacketId = 1;

    /**
     * @param pubRelHoldProbability chance that a PUBREC is left without PUBREL (at most a few at once)
     */
    RawPublisher(String clientId, String q1Topic, String q2Topic, long seed, double pubRelHoldProbability) {
        this.clientId = clientId;
        this.q1Topic = q1Topic;
        this.q2Topic = q2Topic;
        this.random = new Random(seed);
        this.pubRelHoldProbability = pubRelHoldProbability;
    }

    /** Connects with a new session (clean start, long expiry). */
    RawPublisher connect(ChildBroker broker) throws IOException {
        Packet.ConnAck ack = open(broker, true);
        if (ack.sessionPresent()) {
            throw new AssertionError(clientId + ": session present on a clean start");
        }
        return this;
    }

    private Packet.ConnAck open(ChildBroker broker, boolean cleanStart) throws IOException {
        client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        Packet.ConnAck ack = client.connect5(
                clientId,
                cleanStart,
                Properties.builder()
                        .sessionExpiryIntervalSeconds(SESSION_EXPIRY_SECONDS)
                        .build());
        if (ack.reason() != ReasonCode.SUCCESS) {
            throw new AssertionError(clientId + ": CONNACK " + ack.reason());
        }
        dead = false;
        reader = new Thread(this::readLoop, clientId + "-reader");
        reader.setDaemon(true);
        reader.start();
        return ack;
    }

    /** Starts publishing {@code countMax} messages (a random mix of QoS 1 and 2) on a writer thread. */
    void startPublishing(String idPrefix, int countMax) {
        writer = new Thread(() -> writeLoop(idPrefix, countMax), clientId + "-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void writeLoop(String idPrefix, int countMax) {
        try {
            for (long sequence = 0; sequence < countMax && !dead; sequence++) {
                while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    if (dead) {
                        return;
                    }
                }
                QoS qos = random.nextBoolean() ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE;
                String id = idPrefix + "-" + sequence;
                String topic = qos == QoS.AT_LEAST_ONCE ? q1Topic : q2Topic;
                int packetId = allocatePacketId();
                outstanding.put(packetId, new Outstanding(sequence, id, topic, qos));
                qosById.put(id, qos);
                published.add(id);
                send(new Packet.Publish(topic, qos, false, false, packetId, Properties.EMPTY, utf8(id)));
            }
        } catch (IOException | InterruptedException e) {
            dead = true;
        }
    }

    private int allocatePacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (!outstanding.containsKey(id)) {
                return id;
            }
        }
    }

    private void readLoop() {
        RawMqttClient c = client;
        try {
            while (true) {
                Packet p;
                try {
                    p = c.receive(IDLE_READ);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                onPacket(p);
            }
        } catch (IOException e) {
            dead = true; // The broker is gone (killed) or closed the connection.
        }
    }

    private void onPacket(Packet p) throws IOException {
        switch (p.type()) {
            case PUBACK: {
                Packet.PubAck ack = (Packet.PubAck) p;
                Outstanding o = outstanding.remove(ack.packetId());
                if (o == null || o.qos != QoS.AT_LEAST_ONCE) {
                    violations.add("PUBACK for packet id " + ack.packetId() + " that awaits none: " + o);
                    return;
                }
                acknowledge(o, ack.reason());
                window.release();
                break;
            }
            case PUBREC: {
                Packet.PubRec rec = (Packet.PubRec) p;
                Outstanding o = outstanding.get(rec.packetId());
                if (o == null || o.qos != QoS.EXACTLY_ONCE) {
                    violations.add("PUBREC for packet id " + rec.packetId() + " that awaits none");
                    return;
                }
                acknowledge(o, rec.reason());
                if (o.stage == Stage.PUBLISHED) {
                    o.stage = Stage.PUBREC_RECEIVED;
                }
                boolean fence = o.sequence == Long.MAX_VALUE;
                if (!resumed && !fence && pubRelHeld < PUBREL_HELD_MAX && random.nextDouble() < pubRelHoldProbability) {
                    pubRelHeld++; // Leave the broker holding this inbound packet id.
                    return;
                }
                o.stage = Stage.PUBREL_SENT;
                send(new Packet.PubRel(rec.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                break;
            }
            case PUBCOMP: {
                Packet.PubComp comp = (Packet.PubComp) p;
                if (heldAtCrash.remove(comp.packetId()) && comp.reason() != ReasonCode.SUCCESS) {
                    violations.add("PUBCOMP " + comp.reason() + " for packet id " + comp.packetId() + " ("
                            + idOf(comp.packetId()) + "): the broker forgot an inbound QoS 2 message awaiting PUBREL");
                }
                if (outstanding.remove(comp.packetId()) != null) {
                    window.release();
                }
                break;
            }
            case DISCONNECT:
                break; // The broker is shutting down; the connection closes next.
            default:
                violations.add("unexpected " + p);
        }
    }

    private String idOf(int packetId) {
        Outstanding o = outstanding.get(packetId);
        return o == null ? "?" : o.id;
    }

    private void acknowledge(Outstanding o, ReasonCode reason) {
        if (reason.isError()) {
            violations.add(o.id + " refused with " + reason);
            return;
        }
        acknowledged.add(o.id);
    }

    private void send(Packet p) throws IOException {
        synchronized (writeLock) {
            client.send(p);
        }
    }

    /** Waits until at least {@code count} ids were acknowledged, or the connection died. */
    void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
        Conditions.await(
                () -> acknowledged.size() >= count || dead,
                timeout,
                clientId + " to see " + count + " acks",
                () -> acknowledged.size() + " acknowledged");
        if (dead && acknowledged.size() < count) {
            throw new AssertionError(
                    clientId + " lost its connection after " + acknowledged.size() + " acks: " + violations);
        }
    }

    /** Waits until the writer and reader threads have noticed the broker is gone. */
    void awaitDead(Duration timeout) throws InterruptedException, IOException {
        writer.join(timeout.toMillis());
        reader.join(timeout.toMillis());
        if (writer.isAlive() || reader.isAlive()) {
            throw new AssertionError(clientId + " threads still running " + timeout + " after the broker died");
        }
        client.close();
    }

    /** Waits until every message of the run is acknowledged and finished (used without a crash). */
    void awaitAllFinished(int count, Duration timeout) throws InterruptedException {
        Conditions.await(
                () -> (published.size() == count && outstanding.size() == pubRelHeld) || dead,
                timeout,
                clientId + " to finish " + count + " messages",
                () -> published.size() + " published, " + outstanding.size() + " outstanding");
    }

    /**
     * After the broker restarted: reconnects with the session (it must be present), re-sends
     * PUBLISH with DUP for every message without an ack and PUBREL for every PUBREC, in the
     * original order, and waits until the broker has finished all of them.
     */
    void resume(ChildBroker broker, Duration timeout) throws IOException, InterruptedException {
        resumed = true;
        for (Map.Entry<Integer, Outstanding> e : outstanding.entrySet()) {
            if (e.getValue().stage == Stage.PUBREC_RECEIVED) {
                heldAtCrash.add(e.getKey());
            }
        }
        window.drainPermits();
        Packet.ConnAck ack = open(broker, false);
        if (!ack.sessionPresent()) {
            throw new AssertionError(clientId + ": session not present after restart");
        }
        List<Map.Entry<Integer, Outstanding>> inOrder = new ArrayList<>(outstanding.entrySet());
        inOrder.sort(Comparator.comparingLong(e -> e.getValue().sequence));
        for (Map.Entry<Integer, Outstanding> e : inOrder) {
            Outstanding o = e.getValue();
            if (o.stage == Stage.PUBLISHED) {
                resentPublish.add(o.id);
                send(new Packet.Publish(o.topic, o.qos, false, true, e.getKey(), Properties.EMPTY, utf8(o.id)));
            } else {
                o.stage = Stage.PUBREL_SENT;
                send(new Packet.PubRel(e.getKey(), ReasonCode.SUCCESS, Properties.EMPTY));
            }
        }
        Conditions.await(
                () -> outstanding.isEmpty() || dead,
                timeout,
                clientId + " to finish its flows after restart",
                () -> outstanding.size() + " outstanding");
        if (dead) {
            throw new AssertionError(clientId + " lost its connection while resuming: " + violations);
        }
    }

    /** Publishes one QoS 1 message and waits for its PUBACK (a fence after the run). */
    void publishAndAwait(String topic, QoS qos, String id, Duration timeout) throws IOException, InterruptedException {
        int packetId = allocatePacketId();
        outstanding.put(packetId, new Outstanding(Long.MAX_VALUE, id, topic, qos));
        qosById.put(id, qos);
        published.add(id);
        send(new Packet.Publish(topic, qos, false, false, packetId, Properties.EMPTY, utf8(id)));
        Conditions.await(() -> !outstanding.containsKey(packetId) || dead, timeout, clientId + " to finish " + id);
    }

    /** Whether the id's PUBLISH was sent again (DUP) after the restart. */
    boolean wasResent(String id) {
        return resentPublish.contains(id);
    }

    Set<String> published() {
        return published;
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    List<String> violations() {
        return violations;
    }

    /** The QoS an id was published with, or null if this publisher never sent it. */
    QoS qosOf(String id) {
        return qosById.get(id);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        dead = true;
        if (client != null) {
            client.close();
        }
    }
}
