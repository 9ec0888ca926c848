package dev.cairn.broker.crash;

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
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: under {@code durability = fsync} no acknowledgement depends on data that was not yet
 * synced, so a power cut loses nothing acknowledged. Method (the power-loss model): a publisher
 * pipelines QoS 1 messages to a persistent session that is offline. A power cut at any moment
 * loses exactly the journal records after the broker's synced position at that moment. While
 * the acks come in, a sampler repeatedly records (number of PUBACKs received, then the synced
 * position): afterwards, reading the journal, every acknowledged message of every sample must
 * sit at or below that sample's position. Then one sample is chosen at random and the cut is
 * made real: after the broker stops, every journal document after its position is zeroed (pages
 * that never reached the disk) and the index deleted (RocksDB runs without a WAL); the restarted
 * broker must discard the damaged tail, rebuild the index and still deliver every message
 * acknowledged before the cut.
 */
class PowerLossModelIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int MESSAGES = 3_000;

    @TempDir
    Path data;

    @Test
    void everyMessageAcknowledgedBeforeAPowerCutSurvivesIt() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> settings = Map.of("durability", "fsync", "data_dir", data.toString());
        List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>()); // {acks, synced}
        long lastPosition;
        try (TestBroker broker = TestBroker.start(settings)) {
            registerOfflineSubscriber(broker);
            AtomicInteger acked = new AtomicInteger();
            try (RawMqttClient pub = connect(broker, "power-pub", true)) {
                Thread reader = readAcks(pub, acked);
                Thread sampler = new Thread(
                        () -> {
                            long deadline = System.nanoTime() + TIMEOUT.toNanos();
                            while (acked.get() < MESSAGES && System.nanoTime() < deadline) {
                                // First what the client has seen acknowledged, then what is durable.
                                int seen = acked.get();
                                samples.add(new long[] {seen, broker.syncedJournalPosition()});
                            }
                        },
                        "power-loss-sampler");
                sampler.start();
                for (int i = 1; i <= MESSAGES; i++) {
                    pub.send(new Packet.Publish(
                            "pl/m",
                            QoS.AT_LEAST_ONCE,
                            false,
                            false,
                            i,
                            Properties.EMPTY,
                            ("id-" + i).getBytes(StandardCharsets.UTF_8)));
                    if (i % 10 == 0) {
                        int sent = i;
                        // A window of 50 unacknowledged publishes spreads the acks over many turns.
                        Conditions.await(() -> acked.get() >= sent - 50, TIMEOUT, "the window to open");
                    }
                }
                sampler.join(TIMEOUT.toMillis());
                assertEquals(MESSAGES, acked.get(), "every message acknowledged within " + TIMEOUT);
                reader.join(TIMEOUT.toMillis());
            }
            broker.stopKeepingData();
        }
        Map<Integer, Long> positionOfId = new HashMap<>();
        try (JournalReader reader = JournalReader.open(data.resolve("journal"));
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            lastPosition = reader.lastPosition();
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                JournalRecord r = RecordCodec.decode(d.bytes());
                if (r instanceof MessageStored && ((MessageStored) r).topic().equals("pl/m")) {
                    String id = new String(((MessageStored) r).payload(), StandardCharsets.UTF_8);
                    positionOfId.put(Integer.parseInt(id.substring(3)), d.position());
                }
            }
        }
        // Acks arrive in publish order on one connection, so "n acks seen" means ids 1..n.
        int checked = 0;
        for (long[] sample : samples) {
            if (sample[0] > 0) {
                long position = positionOfId.get((int) sample[0]);
                assertTrue(
                        position <= sample[1],
                        "message id-" + sample[0] + " was acknowledged while its record" + " at " + position
                                + " was beyond the synced position " + sample[1] + " (seed " + seed + ")");
                checked++;
            }
        }
        assertTrue(checked > 0, "samples taken while acks arrived: " + samples.size());
        long[] chosen = samples.get(samples.size() / 4 + random.nextInt(samples.size() / 2));
        long cut = chosen[1];
        Set<String> ackedAtCut = new HashSet<>();
        for (int id = 1; id <= chosen[0]; id++) {
            ackedAtCut.add("id-" + id);
        }
        String context = " (seed " + seed + ", " + samples.size() + " samples, cut at " + cut + ", journal ends at "
                + lastPosition + ", " + ackedAtCut.size() + " acknowledged before the cut)";
        assertTrue(cut < lastPosition, "the power cut must lose something" + context);
        int zeroed = losePagesAfter(cut);
        assertTrue(zeroed > 0, "documents zeroed" + context);
        deleteTree(data.resolve("index"));

        try (TestBroker restarted = TestBroker.start(settings);
                RawMqttClient sink = connect(restarted, "power-sink", false)) {
            Set<String> received = new HashSet<>();
            while (!received.containsAll(ackedAtCut)) {
                Packet.Publish p;
                try {
                    p = sink.receive(Packet.Publish.class);
                } catch (IOException e) {
                    Set<String> missing = new HashSet<>(ackedAtCut);
                    missing.removeAll(received);
                    throw new AssertionError(
                            "lost " + missing.size() + " acknowledged messages, e.g. "
                                    + missing.stream().limit(5).toList() + context,
                            e);
                }
                received.add(new String(p.payload(), StandardCharsets.UTF_8));
                sink.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            }
            assertTrue(received.containsAll(ackedAtCut), context);
        }
    }

    private static void registerOfflineSubscriber(TestBroker broker) throws IOException {
        try (RawMqttClient sink = connect(broker, "power-sink", false)) {
            sink.send(new Packet.Subscribe(
                    1,
                    List.of(new Packet.Subscription(
                            "pl/#", QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    Properties.EMPTY));
            assertEquals(
                    List.of(ReasonCode.GRANTED_QOS_1),
                    sink.receive(Packet.SubAck.class).reasons());
            sink.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
            sink.awaitClose(TIMEOUT);
        }
    }

    private static RawMqttClient connect(TestBroker broker, String clientId, boolean cleanSession) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
        client.send(new Packet.Connect(
                ProtocolVersion.MQTT_3_1_1, clientId, cleanSession, 60, null, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
        return client;
    }

    /** Reads PUBACKs on its own thread until the socket closes or every message is acknowledged. */
    private static Thread readAcks(RawMqttClient pub, AtomicInteger acked) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (acked.get() < MESSAGES) {
                            int id = pub.receive(Packet.PubAck.class).packetId();
                            if (id != acked.get() + 1) {
                                throw new AssertionError("PUBACK " + id + " out of order after " + acked.get());
                            }
                            acked.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "power-loss-acks");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Zeroes every journal document after {@code cut}, newest first: the bytes of pages that a
     * power cut kept from reaching the disk. Each document's frame is found by its exact bytes,
     * searching backwards from where the previous (newer) one was, so an identical older frame is
     * never touched.
     */
    private int losePagesAfter(long cut) throws IOException {
        List<byte[]> lost = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(data.resolve("journal"));
                JournalReader.Cursor cursor = reader.cursor(cut + 1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                if (d.position() > cut) {
                    lost.add(d.bytes());
                }
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(data.resolve("journal"))) {
            files = list.filter(p -> p.toString().endsWith(".cq4"))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
        int zeroed = 0;
        int next = lost.size() - 1;
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            int limit = content.length;
            while (next >= 0) {
                int at = lastIndexOf(content, lost.get(next), limit);
                if (at < 0) {
                    break; // The rest live in an older cycle file.
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[lost.get(next).length]), at);
                }
                limit = at;
                next--;
                zeroed++;
            }
        }
        assertEquals(-1, next, "every lost document was found in the cycle files");
        return zeroed;
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle, int limit) {
        for (int i = limit - needle.length; i >= 0; i--) {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
