package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers against a broker with default settings: absurd length claims, a slow-loris
 * CONNECT, and a burst of garbage connections. Each test ends by proving the broker still
 * serves a well-behaved client.
 */
class WireRobustnessIT {
    /** The largest remaining length a 4-byte variable byte integer can carry: 268,435,455 bytes. */
    private static final String REMAINING_LENGTH_256_MB = "FF FF FF 7F";
    /** Closing must not wait for any part of the claimed body; this only bounds a failing test. */
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(2);

    private static final String CONNECT_311 = packet("10", utf8("MQTT"), "04 02 00 3C", utf8("robust"));
    private static final String CONNECT_5 = packet("10", utf8("MQTT"), "05 02 00 3C", properties(), utf8("robust5"));
    private static final long GARBAGE_SEED = 0x5EED_CA1A_0001L;
    private static final int GARBAGE_CONNECTIONS = 1000;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    /**
     * A CONNECT claiming 256 MB is refused from its fixed header alone: the close arrives while
     * not one byte of the body has been sent, so the broker neither waited for nor buffered it.
     * The heap check is loose on purpose (GC noise); the ordering is the real proof.
     */
    @Test
    void connectClaiming256MegabytesIsRefusedBeforeAnyBodyIsSent() throws IOException {
        long usedBefore = usedHeapBytes();
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            client.sendHex("10 " + REMAINING_LENGTH_256_MB);
            assertEquals(0, client.awaitClose(REFUSAL_TIMEOUT).size(), "3.1.1: closed without an answer");
        }
        assertTrue(usedHeapBytes() - usedBefore < 64L * 1024 * 1024, "heap grew by the claimed body");
        assertRoundTripWorks();
    }

    @Test
    void publishClaiming256MegabytesIsRefusedWithDisconnect0x95BeforeAnyBodyIsSent() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            WireHarness.connect(client, CONNECT_5);
            client.sendHex("30 " + REMAINING_LENGTH_256_MB);
            assertEquals(
                    "E0 01 95", Frames.hex(client.awaitClose(REFUSAL_TIMEOUT).toByteArray()));
        }
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            WireHarness.connect(client, CONNECT_311);
            client.sendHex("30 " + REMAINING_LENGTH_256_MB);
            assertEquals(0, client.awaitClose(REFUSAL_TIMEOUT).size(), "3.1.1: closed without an answer");
        }
        assertRoundTripWorks();
    }

    /**
     * Goal: a client trickling its CONNECT one byte per 100 ms holds no resource other clients
     * need. Method: while the slow client is mid-packet, another completes 100 QoS 1 round trips;
     * the slow client must still be mid-packet afterwards, and its CONNECT must then complete.
     */
    @Test
    void slowLorisConnectDoesNotStallOtherClients() throws Exception {
        // Arrange: a CONNECT long enough that trickling it takes several seconds.
        byte[] slowConnect =
                Frames.bytes(packet("10", utf8("MQTT"), "04 02 00 3C", utf8("slow-loris-" + "z".repeat(40))));
        AtomicInteger sentBytes = new AtomicInteger();
        try (RawMqttClient slow = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            slow.sendBytes(Arrays.copyOfRange(slowConnect, 0, 1));
            sentBytes.set(1);
            Thread trickler = new Thread(() -> trickle(slow, slowConnect, sentBytes), "slow-loris");
            trickler.start();

            // Act: 100 QoS 1 round trips on another connection.
            try (RawMqttClient fast = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
                WireHarness.connect(fast, CONNECT_311);
                subscribe(fast, "rt/#");
                for (int i = 1; i <= 100; i++) {
                    publishQos1AndReceive(fast, "rt/" + i, i);
                }
            }

            // Assert: the slow client was mid-packet the whole time, and its CONNECT still completes.
            int sentWhenDone = sentBytes.get();
            trickler.interrupt();
            trickler.join();
            assertTrue(sentWhenDone < slowConnect.length, "the round trips waited for the slow CONNECT to finish");
            slow.sendBytes(Arrays.copyOfRange(slowConnect, sentBytes.get(), slowConnect.length));
            WireHarness.assertAnswer(slow, "20 02 00 00");
        }
    }

    /** Sends one byte per 100 ms (the slow-loris pace is the test's input) until interrupted. */
    private static void trickle(RawMqttClient slow, byte[] bytes, AtomicInteger sent) {
        try {
            while (sent.get() < bytes.length - 1) {
                Thread.sleep(100);
                slow.sendBytes(Arrays.copyOfRange(bytes, sent.get(), sent.get() + 1));
                sent.incrementAndGet();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new IllegalStateException("slow client lost its connection", e);
        }
    }

    /**
     * Goal: no byte sequence kills the broker. Method: 1,000 connections from 16 threads each
     * send seeded random bytes (a quarter pure noise, a quarter with a plausible packet type, a
     * quarter each after a valid 3.1.1 or 5.0 CONNECT, to reach the post-CONNECT decoders and
     * the core), then hang up. Afterwards a normal client round-trips a message.
     */
    @Test
    void burstOfGarbageConnectionsNeverKillsTheBroker() throws Exception {
        Random random = new Random(GARBAGE_SEED);
        List<byte[]> inputs = new ArrayList<>(GARBAGE_CONNECTIONS);
        for (int i = 0; i < GARBAGE_CONNECTIONS; i++) {
            inputs.add(garbage(random, i % 4));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (byte[] input : inputs) {
                done.add(pool.submit(() -> sendAndHangUp(input)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertRoundTripWorks();
    }

    private static byte[] garbage(Random random, int kind) {
        byte[] noise = new byte[1 + random.nextInt(64)];
        random.nextBytes(noise);
        switch (kind) {
            case 0:
                return noise;
            case 1:
                noise[0] = (byte) ((1 + random.nextInt(15)) << 4 | random.nextInt(16));
                return noise;
            case 2:
                return concat(Frames.bytes(CONNECT_311), noise);
            case 3:
                return concat(Frames.bytes(CONNECT_5), noise);
            default:
                throw new IllegalArgumentException("unknown garbage kind " + kind);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void sendAndHangUp(byte[] input) {
        try (Socket socket = new Socket(broker.host(), broker.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(input);
            out.flush();
        } catch (IOException brokerClosedFirst) {
            // Expected for input the broker refuses before it is all written.
        }
    }

    /** A well-behaved client subscribes, publishes QoS 1 to itself and gets it back. */
    private static void assertRoundTripWorks() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            WireHarness.connect(client, packet("10", utf8("MQTT"), "04 02 00 3C", utf8("after-check")));
            subscribe(client, "check/#");
            publishQos1AndReceive(client, "check/1", 1);
        }
    }

    private static void subscribe(RawMqttClient client, String filter) throws IOException {
        client.send(new Packet.Subscribe(
                1,
                List.of(new Packet.Subscription(
                        filter, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY));
        Packet.SubAck ack = client.receive(Packet.SubAck.class);
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), ack.reasons());
    }

    /** PUBLISH QoS 1, then expect both its PUBACK and the delivery (in either order), and ack that. */
    private static void publishQos1AndReceive(RawMqttClient client, String topic, int packetId) throws IOException {
        byte[] payload = ("m" + packetId).getBytes(StandardCharsets.UTF_8);
        client.send(new Packet.Publish(topic, QoS.AT_LEAST_ONCE, false, false, packetId, Properties.EMPTY, payload));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Packet p = client.receive();
            if (p instanceof Packet.PubAck) {
                assertEquals(packetId, ((Packet.PubAck) p).packetId());
                seen.add("PUBACK");
            } else if (p instanceof Packet.Publish) {
                Packet.Publish delivered = (Packet.Publish) p;
                assertEquals(topic, delivered.topic());
                assertArrayEquals(payload, delivered.payload());
                client.send(new Packet.PubAck(delivered.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                seen.add("PUBLISH");
            } else {
                throw new AssertionError("unexpected " + p);
            }
        }
        assertEquals(Set.of("PUBACK", "PUBLISH"), seen);
    }

    private static long usedHeapBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
