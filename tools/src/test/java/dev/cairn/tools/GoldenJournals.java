package dev.cairn.tools;

import dev.cairn.storage.StoreConfig;
import dev.cairn.storage.TempStore;
import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Received;
import dev.cairn.storage.record.InboundQos2Released;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.SessionClosed;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.Will;
import dev.cairn.storage.record.WillScheduled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The golden journals of {@code src/test/resources/golden/}: a fixed workload written by the real
 * storage (format version 1, and one set per later version), zipped because Chronicle's cycle files are pre-grown to tens of MB
 * of mostly zeros, plus two damaged copies made with the storage fixtures: {@code torn-tail} (the
 * last record zeroed after its header, as a power cut leaves it) and {@code flipped-byte} (one
 * byte flipped inside a message in the middle). Regenerate with
 * {@code -Dcairn.golden.regenerate=true} on {@code GoldenJournalsTest}; the check there keeps the
 * files and {@link #workload()} in agreement.
 */
public final class GoldenJournals {
    public static final String CLEAN = "v1-clean";
    public static final String TORN_TAIL = "v1-torn-tail";
    public static final String FLIPPED_BYTE = "v1-flipped-byte";
    /** The workload record whose byte is flipped in {@link #FLIPPED_BYTE}: a message mid-journal. */
    public static final int FLIPPED_RECORD = 4;

    private GoldenJournals() {}

    /**
     * Two sessions ("sensor" publishes, "dashboard" subscribes and goes offline), five QoS 1
     * messages for the dashboard (two delivered and acknowledged), one MQTT 5 message with
     * properties, one retained message, an inbound QoS 2 exchange and a will. Times are fixed. The
     * sessions' owners ("viewer" and anonymous, on the default listener) are written from format
     * version 4 on; older versions' journals do not hold them.
     */
    public static List<JournalRecord> workload() {
        long t = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
        Recipient dashboard = new Recipient("dashboard", 1, false, new int[0]);
        List<JournalRecord> records = new ArrayList<>();
        records.add(new SessionOpened("dashboard", false, 3600, 5, t, null, new SessionOwner("viewer", "default")));
        records.add(new Subscribed("dashboard", "plant/#", 1, 0));
        records.add(new SessionOpened(
                "sensor",
                true,
                0,
                4,
                t + 1_000,
                new Will("plant/sensor/status", 1, true, new byte[0], bytes("offline"), 0),
                new SessionOwner(null, "default")));
        for (int i = 0; i < 3; i++) {
            records.add(message("plant/line1/temperature", i, t + 2_000 + i * 1_000, false, new byte[0], dashboard));
        }
        records.add(new DeliverySent("dashboard", 0, 1)); // Position patched in by write(): see positionOf.
        records.add(new DeliveryAcknowledged("dashboard", 0));
        records.add(message("plant/line1/state", 9, t + 6_000, true, new byte[0], dashboard));
        records.add(message("plant/line2/temperature", 10, t + 7_000, false, properties(), dashboard));
        records.add(new InboundQos2Received("sensor", 7, 0));
        records.add(new InboundQos2Released("sensor", 7));
        records.add(new SessionClosed("dashboard", 3600, t + 8_000));
        records.add(message("plant/line1/temperature", 11, t + 9_000, false, new byte[0], dashboard));
        records.add(new WillScheduled("sensor", t + 70_000));
        records.add(message("plant/line1/temperature", 12, t + 10_000, false, new byte[0], dashboard));
        return records;
    }

    private static MessageStored message(
            String topic, int n, long at, boolean retain, byte[] properties, Recipient recipient) {
        return new MessageStored(
                "sensor", topic, 1, retain, properties, bytes("reading " + n), at, -1, List.of(recipient));
    }

    /**
     * An MQTT 5 PUBLISH property block: payload format 1, content type, response topic, correlation
     * data and two user properties, encoded by hand as the wire does.
     */
    public static byte[] properties() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x01);
        body.write(0x01);
        writeString(body, 0x03, "text/plain");
        writeString(body, 0x08, "plant/replies");
        writeString(body, 0x09, "corr-42");
        writeString(body, 0x26, "site");
        writeRaw(body, "north");
        writeString(body, 0x26, "unit");
        writeRaw(body, "celsius");
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(body.size()); // < 128, so a one-byte variable byte integer.
        block.writeBytes(body.toByteArray());
        return block.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, int id, String value) {
        out.write(id);
        writeRaw(out, value);
    }

    private static void writeRaw(ByteArrayOutputStream out, String value) {
        byte[] bytes = bytes(value);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the workload through a real store in {@code dataDir} (index applied, as a broker
     * leaves it after a clean stop) and returns the records with their positions. Delivery and
     * QoS 2 records refer to the position of the message before them. The store's wall clock
     * stands still ({@link TempStore}), so the journal is always one cycle file, and the journals of
     * two calls have their positions in the same cycle.
     */
    public static List<PositionedRecord> write(Path dataDir) {
        try (TempStore store = TempStore.open(StoreConfig.defaults(dataDir))) {
            List<PositionedRecord> written = new ArrayList<>();
            long lastMessage = -1;
            long firstMessage = -1;
            for (JournalRecord record : workload()) {
                JournalRecord patched = record;
                if (record instanceof DeliverySent d) {
                    patched = new DeliverySent(d.clientId(), firstMessage, d.packetId());
                } else if (record instanceof DeliveryAcknowledged a) {
                    patched = new DeliveryAcknowledged(a.clientId(), firstMessage);
                } else if (record instanceof InboundQos2Received q) {
                    patched = new InboundQos2Received(q.clientId(), q.packetId(), lastMessage);
                }
                List<PositionedRecord> one = store.commit(List.of(patched));
                written.addAll(one);
                if (patched instanceof MessageStored) {
                    lastMessage = one.get(0).position();
                    firstMessage = firstMessage == -1 ? lastMessage : firstMessage;
                }
            }
            return written;
        }
    }

    /** The clean golden journal written by format version {@code version}. */
    public static String clean(int version) {
        return "v" + version + "-clean";
    }

    /**
     * Writes the three golden zips of the current format version into {@code goldenDir}
     * ({@code vN-clean}, {@code vN-torn-tail}, {@code vN-flipped-byte}); older versions' files
     * are never rewritten.
     */
    public static void generate(Path goldenDir, Path scratch) throws IOException {
        Files.createDirectories(goldenDir);
        String prefix = "v" + RecordCodec.CURRENT_VERSION;
        Path clean = scratch.resolve("clean");
        List<PositionedRecord> written = write(clean);
        zipJournal(clean.resolve("journal"), goldenDir.resolve(prefix + "-clean.zip"));

        Path torn = scratch.resolve("torn");
        write(torn);
        byte[] last = RecordCodec.encode(written.get(written.size() - 1).record());
        JournalCorruptor.tear(torn.resolve("journal"), last, RecordCodec.HEADER_BYTES);
        zipJournal(torn.resolve("journal"), goldenDir.resolve(prefix + "-torn-tail.zip"));

        Path flipped = scratch.resolve("flipped");
        write(flipped);
        JournalCorruptor.flipByte(
                flipped.resolve("journal"),
                RecordCodec.encode(written.get(FLIPPED_RECORD).record()),
                20);
        zipJournal(flipped.resolve("journal"), goldenDir.resolve(prefix + "-flipped-byte.zip"));
    }

    private static void zipJournal(Path journal, Path zip) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file);
                Stream<Path> files = Files.list(journal)) {
            out.setLevel(9);
            for (Path f : files.sorted().toList()) {
                out.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /**
     * Unpacks golden journal {@code name} as {@code dataDir/journal} (there is no index: the
     * tools and the broker rebuild it) and returns the data directory.
     */
    public static Path unpack(String name, Path dataDir) throws IOException {
        Path journal = Files.createDirectories(dataDir.resolve("journal"));
        try (InputStream resource = GoldenJournals.class.getResourceAsStream("/golden/" + name + ".zip")) {
            if (resource == null) {
                throw new IllegalStateException("no golden journal " + name);
            }
            try (ZipInputStream in = new ZipInputStream(resource)) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    writeSparse(in, journal.resolve(e.getName()));
                }
            }
        }
        return dataDir;
    }

    /**
     * Copies the stream to a file, seeking over all-zero blocks instead of writing them: the cycle
     * files are mostly zeros, and a sparse copy keeps each unpack to a few hundred KB of disk.
     */
    private static void writeSparse(InputStream in, Path file) throws IOException {
        byte[] block = new byte[4096];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = 0;
            for (int n = in.readNBytes(block, 0, block.length); n > 0; n = in.readNBytes(block, 0, block.length)) {
                if (!allZero(block, n)) {
                    out.write(ByteBuffer.wrap(block, 0, n), size);
                }
                size += n;
            }
            out.truncate(size);
            if (out.size() < size) {
                out.write(ByteBuffer.wrap(new byte[1]), size - 1); // Extend to the full length.
            }
        }
    }

    private static boolean allZero(byte[] block, int length) {
        for (int i = 0; i < length; i++) {
            if (block[i] != 0) {
                return false;
            }
        }
        return true;
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
