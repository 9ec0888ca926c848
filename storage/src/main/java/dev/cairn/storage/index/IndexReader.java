package dev.cairn.storage.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A read-only view of an index directory for the operator tools. It opens RocksDB in read-only
 * mode, which takes no lock and writes nothing, so it is safe while a broker has the index open:
 * it then sees the state as of the broker's last flush (the WAL is off), which is consistent
 * because {@code appliedPosition} is flushed atomically with the data it covers.
 *
 * <p>Threads: any; every method reads a fresh iterator.
 */
public final class IndexReader implements AutoCloseable {
    static {
        RocksLibrary.load();
    }

    /** Visits queue entries in key order (by client, then position, then copy). */
    @FunctionalInterface
    public interface QueueVisitor {
        void visit(String clientId, QueueEntry entry);
    }

    private final Path directory;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final Map<Cf, ColumnFamilyHandle> byCf = new EnumMap<>(Cf.class);

    private IndexReader(Path directory) throws RocksDBException {
        this.directory = directory;
        this.dbOptions = new DBOptions();
        this.cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Cf cf : Cf.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes(), cfOptions));
        }
        this.db = RocksDB.openReadOnly(dbOptions, directory.toString(), descriptors, handles);
        for (Cf cf : Cf.values()) {
            byCf.put(cf, handles.get(cf.ordinal() + 1));
        }
    }

    /**
     * Opens the index in {@code directory} read-only.
     *
     * @throws IllegalArgumentException if there is no index there
     * @throws IndexException if RocksDB cannot open it (the message says why)
     */
    public static IndexReader openReadOnly(Path directory) {
        if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
            throw new IllegalArgumentException("no index in " + directory);
        }
        try {
            return new IndexReader(directory);
        } catch (RocksDBException e) {
            throw new IndexException(
                    directory, "cannot open the index in " + directory + " read-only: " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** {@code meta/appliedPosition}, or {@code -1} if nothing was applied. */
    public long appliedPosition() {
        byte[] applied = get(Cf.META, Keys.APPLIED_POSITION);
        return applied == null ? -1 : Values.i64(applied);
    }

    /** {@code meta/indexFormat}, or {@code -1} if absent. */
    public int indexFormat() {
        byte[] format = get(Cf.META, Keys.INDEX_FORMAT);
        return format == null || format.length != 1 ? -1 : format[0] & 0xFF;
    }

    /** The format this code reads; an index with another one is rebuilt by the broker. */
    public static int supportedIndexFormat() {
        return Values.INDEX_FORMAT;
    }

    /**
     * Whether an index of {@code format} has the current layout: the current format, or format 3
     * or 4, whose keys and values read the same (format 3 only could not yet hold two copies of one
     * message in one queue, and neither kept a session's owner, which then reads as not known; the
     * broker renumbers them on open).
     */
    public static boolean readsAsCurrent(int format) {
        return format == Values.INDEX_FORMAT
                || format == Values.INDEX_FORMAT_WITHOUT_OWNERS
                || format == Values.INDEX_FORMAT_WITHOUT_COPIES;
    }

    /** Every session, by client id. */
    public List<SessionState> sessions() {
        List<SessionState> sessions = new ArrayList<>();
        scan(Cf.SESSIONS, (key, value) -> sessions.add(Values.session(utf8(key), value)));
        return sessions;
    }

    /**
     * Every queue entry of every client (also of clients that have no session entry). In an index
     * older than format 3 (which the broker upgrades on its next start) the entries' sizes are -1.
     */
    public void forEachQueueEntry(QueueVisitor visitor) {
        int stored = indexFormat();
        int format = stored < 0 || stored > Values.INDEX_FORMAT ? Values.INDEX_FORMAT : stored;
        scan(Cf.QUEUES, (key, value) -> {
            int separator = Keys.clientSeparatorIndex(key);
            String clientId = new String(key, 0, separator, StandardCharsets.UTF_8);
            visitor.visit(
                    clientId,
                    Values.queueEntry(
                            Keys.queuePosition(key, separator + 1), Keys.queueCopy(key, separator + 1), value, format));
        });
    }

    /** The stored queue depth of every client that has one (bytes -1 in an index older than format 3). */
    public Map<String, QueueDepth> queueDepths() {
        Map<String, QueueDepth> depths = new TreeMap<>();
        scan(Cf.QUEUE_DEPTHS, (key, value) -> depths.put(utf8(key), Values.queueDepth(value)));
        return depths;
    }

    /** Subscriptions by client id. */
    public Map<String, List<Subscription>> subscriptions() {
        Map<String, List<Subscription>> byClient = new TreeMap<>();
        scan(Cf.SUBSCRIPTIONS, (key, value) -> {
            int separator = Keys.clientSeparatorIndex(key);
            String clientId = new String(key, 0, separator, StandardCharsets.UTF_8);
            String filter = new String(key, separator + 1, key.length - separator - 1, StandardCharsets.UTF_8);
            byClient.computeIfAbsent(clientId, c -> new ArrayList<>()).add(Values.subscription(filter, value));
        });
        return byClient;
    }

    /** Inbound QoS 2 packet ids awaiting PUBREL, with the position they refer to, by client id. */
    public Map<String, Map<Integer, Long>> inboundQos2() {
        Map<String, Map<Integer, Long>> byClient = new TreeMap<>();
        scan(Cf.INBOUND_QOS2, (key, value) -> {
            int separator = Keys.clientSeparatorIndex(key);
            String clientId = new String(key, 0, separator, StandardCharsets.UTF_8);
            int packetId = ((key[separator + 1] & 0xFF) << 8) | (key[separator + 2] & 0xFF);
            byClient.computeIfAbsent(clientId, c -> new LinkedHashMap<>()).put(packetId, Values.i64(value));
        });
        return byClient;
    }

    /** Scheduled wills: client id to the epoch millis they fire at. */
    public Map<String, Long> scheduledWills() {
        Map<String, Long> wills = new TreeMap<>();
        scan(Cf.WILLS, (key, value) -> wills.put(utf8(key), Values.i64(value)));
        return wills;
    }

    /** Every retained message, by topic. */
    public List<RetainedMessage> retained() {
        List<RetainedMessage> retained = new ArrayList<>();
        scan(Cf.RETAINED, (key, value) -> retained.add(Values.retained(utf8(key), value)));
        return retained;
    }

    private interface KeyValueVisitor {
        void visit(byte[] key, byte[] value);
    }

    private void scan(Cf cf, KeyValueVisitor visitor) {
        try (ReadOptions options = new ReadOptions();
                RocksIterator it = db.newIterator(byCf.get(cf), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                visitor.visit(it.key(), it.value());
            }
        }
    }

    private byte[] get(Cf cf, byte[] key) {
        try {
            return db.get(byCf.get(cf), key);
        } catch (RocksDBException e) {
            throw new IndexException(directory, "index read failed in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        cfOptions.close();
        dbOptions.close();
    }
}
