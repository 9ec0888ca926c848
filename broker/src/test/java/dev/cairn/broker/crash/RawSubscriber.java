package dev.cairn.broker.crash;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connected MQTT 5 subscriber over {@link RawMqttClient} that acknowledges slowly and only
 * partly, so deliveries are in flight when the broker dies: each ack (PUBACK, PUBREC, PUBCOMP) is
 * sent at once, deferred to a later packet, or withheld until the next connection. It keeps the
 * receiver's side of the QoS 2 protocol [MQTT-4.3.3-9]: an id is handed to the "application"
 * (counted) when its PUBLISH first arrives under a packet id not awaiting PUBREL; a re-sent
 * PUBLISH under such a packet id must carry DUP and the same message and is not counted again.
 * After a restart it checks the broker resumes each flow where it stood: a withheld PUBACK comes
 * back as the same PUBLISH with DUP and the same packet id; a QoS 2 message awaiting PUBREL is
 * re-sent or released; a withheld PUBCOMP is answered by a re-sent PUBREL.
 *
 * <p>Threads: one reader thread per connection, which also sends every ack; the counts are
 * concurrent so the test thread can poll them.
 */
final class RawSubscriber implements AutoCloseable {
    static final long SESSION_EXPIRY_SECONDS = 3600;
    private static final Duration IDLE_READ = Duration.ofMillis(200);

    private enum Ack {
        NOW,
        LATER,
        WITHHELD
    }

    private final String clientId;
    private final Random random;
    private final int receiveMaximum;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    /** QoS 2 packet ids received and not yet released by PUBREL, with their message ids. */
    private final Map<Integer, String> awaitingPubRel = new ConcurrentHashMap<>();
    /** QoS 1 packet ids whose PUBACK did not leave, with their message ids. */
    private final Map<Integer, String> unacknowledged = new ConcurrentHashMap<>();
    /** Packet ids released by PUBREL whose PUBCOMP did not leave. */
    private final Set<Integer> pubCompOwed = ConcurrentHashMap.newKeySet();

    private final List<Packet> deferred = new ArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Per id, how each copy arrived (connection, packet id, DUP), for failure messages. */
    private final Map<String, List<String>> arrivals = new ConcurrentHashMap<>();

    private final Map<String, Long> firstArrivalNanos = new ConcurrentHashMap<>();
    private volatile int connection;
    private RawMqttClient client;
    private Thread reader;
    private volatile boolean dead;
    private volatile boolean prompt;

    RawSubscriber(String clientId, long seed, int receiveMaximum) {
        this.clientId = clientId;
        this.random = new Random(seed);
        this.receiveMaximum = receiveMaximum;
    }

    /**
     * Connects with the session (clean start only the first time) and starts reading; with
     * {@code prompt} every ack leaves at once. Returns Session Present.
     */
    boolean connect(ChildBroker broker, boolean cleanStart, boolean prompt) throws IOException {
        this.prompt = prompt;
        connection++;
        deferred.clear(); // Acks not sent on the old connection are owed again on this one.
        client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        Packet.ConnAck ack = client.connect5(
                clientId,
                cleanStart,
                Properties.builder()
                        .sessionExpiryIntervalSeconds(SESSION_EXPIRY_SECONDS)
                        .receiveMaximum(receiveMaximum)
                        .build());
        if (ack.reason() != ReasonCode.SUCCESS) {
            throw new AssertionError(clientId + ": CONNACK " + ack.reason());
        }
        return ack.sessionPresent();
    }

    /** Subscribes (before reading starts) and checks the grant. */
    void subscribe(int packetId, String filter, QoS qos) throws IOException {
        client.send(new Packet.Subscribe(
                packetId,
                List.of(new Packet.Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY));
        Packet.SubAck ack = client.receive(Packet.SubAck.class);
        if (!ack.reasons().equals(List.of(ReasonCode.granted(qos)))) {
            throw new AssertionError(clientId + ": SUBACK for " + filter + ": " + ack.reasons());
        }
    }

    void startReading() {
        dead = false;
        RawMqttClient c = client;
        reader = new Thread(() -> readLoop(c), clientId + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop(RawMqttClient c) {
        try {
            while (true) {
                Packet p;
                try {
                    p = c.receive(IDLE_READ);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                onPacket(c, p);
                sendSomeDeferred(c);
            }
        } catch (IOException e) {
            dead = true;
        }
    }

    private void onPacket(RawMqttClient c, Packet p) throws IOException {
        switch (p.type()) {
            case PUBLISH:
                onPublish(c, (Packet.Publish) p);
                break;
            case PUBREL: {
                int packetId = ((Packet.PubRel) p).packetId();
                awaitingPubRel.remove(packetId); // Release: the id is free again [MQTT-4.3.3-11].
                pubCompOwed.add(packetId);
                ack(c, new Packet.PubComp(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
                break;
            }
            case DISCONNECT:
                break; // The broker is shutting down; the connection closes next.
            default:
                violations.add("unexpected " + p);
        }
    }

    private void onPublish(RawMqttClient c, Packet.Publish p) throws IOException {
        String id = new String(p.payload(), StandardCharsets.UTF_8);
        int packetId = p.packetId();
        firstArrivalNanos.putIfAbsent(id, System.nanoTime());
        arrivals.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                .add("connection " + connection + " packet id " + packetId + (p.dup() ? " DUP" : ""));
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            String withheld = unacknowledged.get(packetId);
            if (withheld != null && (!withheld.equals(id) || !p.dup())) {
                violations.add("packet id " + packetId + " awaiting our PUBACK for " + withheld + " came back as " + id
                        + " with DUP " + p.dup());
            }
            count(id);
            unacknowledged.put(packetId, id);
            ack(c, new Packet.PubAck(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
        } else if (p.qos() == QoS.EXACTLY_ONCE) {
            String before = awaitingPubRel.get(packetId);
            if (before == null) {
                count(id);
                awaitingPubRel.put(packetId, id);
            } else if (!before.equals(id) || !p.dup()) {
                violations.add("packet id " + packetId + " awaiting PUBREL for " + before + " came back as " + id
                        + " with DUP " + p.dup());
            }
            ack(c, new Packet.PubRec(packetId, ReasonCode.SUCCESS, Properties.EMPTY));
        } else {
            violations.add("QoS 0 delivery of " + id);
        }
    }

    private void count(String id) {
        counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    private void ack(RawMqttClient c, Packet ack) throws IOException {
        Ack when = prompt ? Ack.NOW : choose();
        if (when == Ack.NOW) {
            send(c, ack);
        } else if (when == Ack.LATER) {
            deferred.add(ack);
        } // WITHHELD: owed until the next connection.
    }

    private Ack choose() {
        double r = random.nextDouble();
        return r < 0.6 ? Ack.NOW : r < 0.95 ? Ack.LATER : Ack.WITHHELD;
    }

    private void sendSomeDeferred(RawMqttClient c) throws IOException {
        while (!deferred.isEmpty() && random.nextDouble() < 0.4) {
            send(c, deferred.remove(0));
        }
    }

    private void send(RawMqttClient c, Packet ack) throws IOException {
        c.send(ack);
        if (ack instanceof Packet.PubAck) {
            unacknowledged.remove(((Packet.PubAck) ack).packetId());
        } else if (ack instanceof Packet.PubComp) {
            pubCompOwed.remove(((Packet.PubComp) ack).packetId());
        }
    }

    int countOf(String id) {
        AtomicInteger c = counts.get(id);
        return c == null ? 0 : c.get();
    }

    Map<String, AtomicInteger> counts() {
        return counts;
    }

    /** Flows the broker still owes us something for (all must be resumed after a restart). */
    String openFlows() {
        return "awaiting PUBREL " + awaitingPubRel + ", PUBACK not sent " + unacknowledged + ", PUBCOMP not sent "
                + pubCompOwed;
    }

    boolean hasOpenFlows() {
        return !awaitingPubRel.isEmpty() || !unacknowledged.isEmpty() || !pubCompOwed.isEmpty();
    }

    int inflightSeen() {
        return awaitingPubRel.size() + unacknowledged.size() + pubCompOwed.size();
    }

    /** {@link System#nanoTime()} when {@code id} first arrived, or null. */
    Long firstArrivalNanos(String id) {
        return firstArrivalNanos.get(id);
    }

    /** How the copies of {@code id} arrived. */
    List<String> arrivals(String id) {
        return arrivals.getOrDefault(id, List.of());
    }

    boolean isDead() {
        return dead;
    }

    List<String> violations() {
        return violations;
    }

    void awaitDead(Duration timeout) throws InterruptedException, IOException {
        reader.join(timeout.toMillis());
        if (reader.isAlive()) {
            throw new AssertionError(clientId + " reader still running " + timeout + " after the broker died");
        }
        client.close();
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }
}
