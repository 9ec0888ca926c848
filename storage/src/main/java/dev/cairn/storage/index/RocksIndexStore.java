package dev.cairn.storage.index;

import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.thread.ThreadOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The index over RocksDB: one column family per {@link Cf}. The only class in Cairn that imports
 * {@code org.rocksdb}.
 *
 * <p>Durability: writes skip RocksDB's WAL (the journal is the WAL) and {@code atomic_flush} is
 * on, so column families reach disk together and {@code meta/appliedPosition} never runs ahead of
 * the data it covers. After a crash the index is whatever was last flushed, and recovery replays
 * the journal from its applied position.
 *
 * <p>Memory: the write buffers (memtables) of all column families together are bounded by the
 * {@code memtableBytesMax} given at open (a RocksDB {@code WriteBufferManager}); reaching it
 * flushes them to SST files, atomically as every flush. Without it each of the nine column families
 * could hold two 64 MiB memtables.
 *
 * <p>Threads: {@link #apply} and {@link #close} on the owner thread, the first that applies
 * (asserted; hand over with {@link #releaseOwnership()}). Queries on any thread.
 */
public final class RocksIndexStore implements IndexStore {
    static {
        RocksLibrary.load();
    }

    /** The default bound on all memtables together (StoreConfig.INDEX_MEMTABLE_BYTES_DEFAULT). */
    public static final long MEMTABLE_BYTES_DEFAULT = 64L << 20;
    /** The smallest bound accepted: below it RocksDB would flush on nearly every write batch. */
    public static final long MEMTABLE_BYTES_MIN = 4L << 20;

    private static final long WRITE_BUFFER_BYTES_MAX = 64L << 20;

    /** Message sizes an upgrade keeps at hand, so entries of many sessions sharing one message read it once. */
    private static final int UPGRADE_SIZE_CACHE_MAX = 65_536;

    private final Path directory;
    private final LRUCache memtableAccounting;
    private final WriteBufferManager writeBufferManager;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Cf, ColumnFamilyHandle> byCf = new EnumMap<>(Cf.class);
    private volatile long appliedPosition;
    /** The format of what is on disk; below {@link Values#INDEX_FORMAT} until {@link #upgrade} ran. */
    private int format;

    private final ThreadOwner owner = new ThreadOwner("index");

    private RocksIndexStore(Path directory, long memtableBytesMax) throws RocksDBException {
        this.directory = directory;
        // The manager charges memtable memory to a cache; this one holds nothing else, so its
        // capacity is the bound.
        this.memtableAccounting = new LRUCache(memtableBytesMax);
        this.writeBufferManager = new WriteBufferManager(memtableBytesMax, memtableAccounting);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setAtomicFlush(true)
                .setWriteBufferManager(writeBufferManager);
        this.cfOptions =
                new ColumnFamilyOptions().setWriteBufferSize(Math.min(WRITE_BUFFER_BYTES_MAX, memtableBytesMax / 2));
        this.writeOptions = new WriteOptions().setDisableWAL(true).setSync(false);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Cf cf : Cf.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes(), cfOptions));
        }
        this.handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        for (Cf cf : Cf.values()) {
            byCf.put(cf, handles.get(cf.ordinal() + 1));
        }
    }

    /**
     * Opens or creates the index in {@code directory}.
     *
     * @throws IndexException if the index cannot be opened; {@link IndexFormatException} if it was
     *     written in a format this code does not know, {@link IndexCorruptException} if its format
     *     value is missing or malformed
     */
    public static RocksIndexStore open(Path directory) {
        return open(directory, MEMTABLE_BYTES_DEFAULT);
    }

    /**
     * Opens or creates the index in {@code directory} with its memtables bounded by
     * {@code memtableBytesMax} bytes in all (at least {@link #MEMTABLE_BYTES_MIN}).
     *
     * @throws IndexException if the index cannot be opened; {@link IndexFormatException} if it was
     *     written in a format this code does not know, {@link IndexCorruptException} if its format
     *     value is missing or malformed
     */
    public static RocksIndexStore open(Path directory, long memtableBytesMax) {
        if (memtableBytesMax < MEMTABLE_BYTES_MIN) {
            throw new IllegalArgumentException("the index's memtable bound must be at least " + MEMTABLE_BYTES_MIN
                    + " bytes: " + memtableBytesMax);
        }
        try {
            Files.createDirectories(directory);
            RocksIndexStore store = new RocksIndexStore(directory, memtableBytesMax);
            try {
                store.checkFormat();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (RocksDBException e) {
            throw new IndexException(directory, "cannot open the index in " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index directory " + directory, e);
        }
    }

    private void checkFormat() throws RocksDBException {
        byte[] format = db.get(byCf.get(Cf.META), Keys.INDEX_FORMAT);
        byte[] applied = db.get(byCf.get(Cf.META), Keys.APPLIED_POSITION);
        if (format == null) {
            if (applied != null) {
                throw new IndexCorruptException(directory, "it has an applied position but no format value");
            }
            db.put(byCf.get(Cf.META), writeOptions, Keys.INDEX_FORMAT, new byte[] {(byte) Values.INDEX_FORMAT});
            this.format = Values.INDEX_FORMAT;
        } else if (format.length != 1) {
            throw new IndexCorruptException(
                    directory,
                    format.length == 0
                            ? "its format value is empty"
                            : "its format value has " + format.length + " bytes, not 1");
        } else if (format[0] < Values.INDEX_FORMAT_WITHOUT_PAYLOAD_REFS || format[0] > Values.INDEX_FORMAT) {
            throw new IndexFormatException(
                    directory,
                    "the index in " + directory + " has format " + (format[0] & 0xFF)
                            + ", this Cairn reads " + Values.INDEX_FORMAT + " and older; restore the index that belongs"
                            + " to this Cairn version");
        } else {
            this.format = format[0];
            if (this.format == Values.INDEX_FORMAT_WITHOUT_PAYLOAD_REFS) {
                addPayloadRefs();
                this.format = Values.INDEX_FORMAT_WITHOUT_SIZES;
            } else if (this.format == Values.INDEX_FORMAT_WITHOUT_COPIES
                    || this.format == Values.INDEX_FORMAT_WITHOUT_OWNERS) {
                // Its keys and values are format 5's (a session value without an owner reads as one
                // not known); storing the number keeps an older Cairn, which would misread a further
                // copy's key or a session's owner, from opening the index once it may hold them.
                db.put(byCf.get(Cf.META), writeOptions, Keys.INDEX_FORMAT, new byte[] {(byte) Values.INDEX_FORMAT});
                this.format = Values.INDEX_FORMAT;
            }
        }
        appliedPosition = applied == null ? -1 : Values.i64(applied);
    }

    /** Whether the index was written by an older format and needs {@link #upgrade} before use. */
    public boolean needsUpgrade() {
        return format != Values.INDEX_FORMAT;
    }

    /**
     * Upgrades an index of format 2 (or 1, already given its payload references on open) to the
     * current format in one atomic write: every queue entry gains the size of its message, read
     * through {@code sizes} from the journal, and every session's queue depth is recounted as
     * messages and bytes. In place rather than a rebuild, because retention may have deleted the
     * journal records the rest of the index was built from; the messages queue entries read are
     * exactly what retention keeps. Call before the first {@link #apply}, on the opening thread.
     */
    public void upgrade(MessageSizes sizes) {
        if (!needsUpgrade()) {
            return;
        }
        Map<Long, Long> recentSizes = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > UPGRADE_SIZE_CACHE_MAX;
            }
        };
        Map<String, QueueDepth> depths = new LinkedHashMap<>();
        try (WriteBatch batch = new WriteBatch()) {
            List<RocksDBException> failed = new ArrayList<>();
            scan(Cf.QUEUES, null, null, (key, value) -> {
                int separator = Keys.clientSeparatorIndex(key);
                String clientId = new String(key, 0, separator, StandardCharsets.UTF_8);
                QueueEntry old = Values.queueEntry(
                        Keys.queuePosition(key, separator + 1), Keys.queueCopy(key, separator + 1), value, format);
                long bytes = recentSizes.computeIfAbsent(old.payloadPosition(), sizes::queuedBytesAt);
                depths.merge(clientId, new QueueDepth(1, bytes), (a, b) -> a.plus(b.messages(), b.bytes()));
                try {
                    batch.put(byCf.get(Cf.QUEUES), key, Values.queueEntry(old.withMessageBytes(bytes)));
                } catch (RocksDBException e) {
                    failed.add(e);
                    return false;
                }
                return true;
            });
            if (!failed.isEmpty()) {
                throw failed.get(0);
            }
            List<byte[]> oldDepths = new ArrayList<>();
            scan(Cf.QUEUE_DEPTHS, null, null, (key, value) -> oldDepths.add(key));
            for (byte[] key : oldDepths) {
                batch.delete(byCf.get(Cf.QUEUE_DEPTHS), key);
            }
            for (Map.Entry<String, QueueDepth> e : depths.entrySet()) {
                batch.put(byCf.get(Cf.QUEUE_DEPTHS), Keys.client(e.getKey()), Values.queueDepth(e.getValue()));
            }
            batch.put(byCf.get(Cf.META), Keys.INDEX_FORMAT, new byte[] {(byte) Values.INDEX_FORMAT});
            db.write(writeOptions, batch);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            }
        } catch (RocksDBException e) {
            throw new IndexException(
                    directory, "upgrading the index in " + directory + " failed: " + e.getMessage(), e);
        }
        format = Values.INDEX_FORMAT;
    }

    /** Upgrade from format 1: every queue entry of that format reads its message at its own position. */
    private void addPayloadRefs() throws RocksDBException {
        List<byte[][]> refs = new ArrayList<>();
        scan(Cf.QUEUES, null, null, (key, value) -> {
            int separator = Keys.clientSeparatorIndex(key);
            String clientId = new String(key, 0, separator, StandardCharsets.UTF_8);
            long position = Keys.queuePosition(key, separator + 1);
            refs.add(new byte[][] {Keys.payloadRef(position, clientId, 0), Values.i64(position)});
            return true;
        });
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[][] ref : refs) {
                batch.put(byCf.get(Cf.PAYLOAD_REFS), ref[0], ref[1]);
            }
            batch.put(byCf.get(Cf.META), Keys.INDEX_FORMAT, new byte[] {(byte) Values.INDEX_FORMAT_WITHOUT_SIZES});
            db.write(writeOptions, batch);
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        }
    }

    @Override
    public long oldestQueuedPosition() {
        assert owner.check();
        List<byte[]> stale = new ArrayList<>();
        long[] oldest = {-1};
        scan(Cf.PAYLOAD_REFS, null, null, (key, value) -> {
            long payloadPosition = Keys.readLong(key, 0);
            if (stale.size() >= STALE_REFS_PRUNED_MAX || isLive(key, value)) {
                oldest[0] = payloadPosition;
                return false;
            }
            stale.add(key);
            return true;
        });
        if (!stale.isEmpty()) {
            // Not part of an applied batch, and needs none: a stale reference stays stale, and a
            // lost deletion (the WAL is off) only means pruning it again.
            try (WriteBatch batch = new WriteBatch()) {
                for (byte[] key : stale) {
                    batch.delete(byCf.get(Cf.PAYLOAD_REFS), key);
                }
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw new IndexException(directory, "index write failed in " + directory + ": " + e.getMessage(), e);
            }
        }
        return oldest[0];
    }

    @Override
    public List<PayloadRef> payloadRefsBefore(long positionExclusive, int maxRefs) {
        List<PayloadRef> refs = new ArrayList<>();
        if (maxRefs <= 0 || positionExclusive <= 0) {
            return refs;
        }
        byte[] end = new byte[8];
        for (int i = 0; i < 8; i++) {
            end[i] = (byte) (positionExclusive >>> (56 - 8 * i));
        }
        scan(Cf.PAYLOAD_REFS, null, end, (key, value) -> {
            if (isLive(key, value)) {
                refs.add(new PayloadRef(
                        Keys.readLong(key, 0),
                        Keys.payloadRefClient(key),
                        Values.i64(value),
                        Keys.payloadRefCopy(key)));
            }
            return refs.size() < maxRefs;
        });
        return refs;
    }

    /** Whether a payload reference belongs to a queue entry that exists and still reads there. */
    private boolean isLive(byte[] refKey, byte[] refValue) {
        long queuePosition = Values.i64(refValue);
        int copy = Keys.payloadRefCopy(refKey);
        byte[] entry = get(Cf.QUEUES, Keys.queueEntry(Keys.payloadRefClient(refKey), queuePosition, copy));
        return entry != null
                && Values.queueEntry(queuePosition, copy, entry).payloadPosition() == Keys.readLong(refKey, 0);
    }

    @Override
    public long appliedPosition() {
        return appliedPosition;
    }

    @Override
    public void apply(List<PositionedRecord> records) {
        assert owner.check();
        if (needsUpgrade()) {
            throw new IndexFormatException(
                    directory,
                    "the index in " + directory + " has format " + format
                            + " and must be upgraded before records are applied");
        }
        long last = appliedPosition;
        BatchApplier applier = new BatchApplier(this::get);
        for (PositionedRecord positioned : records) {
            if (positioned.position() <= last) {
                continue;
            }
            applier.apply(positioned.position(), positioned.record());
            last = positioned.position();
        }
        if (last == appliedPosition) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (Mutation m : applier.mutations()) {
                add(batch, m);
            }
            batch.put(byCf.get(Cf.META), Keys.APPLIED_POSITION, Values.i64(last));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IndexException(directory, "index write failed in " + directory + ": " + e.getMessage(), e);
        }
        appliedPosition = last;
    }

    private void add(WriteBatch batch, Mutation m) throws RocksDBException {
        ColumnFamilyHandle handle = byCf.get(m.cf());
        switch (m.kind()) {
            case PUT:
                batch.put(handle, m.key(), m.value());
                break;
            case DELETE:
                batch.delete(handle, m.key());
                break;
            case DELETE_RANGE:
                batch.deleteRange(handle, m.key(), m.end());
                break;
            default:
                throw new IllegalArgumentException("unknown mutation " + m.kind());
        }
    }

    private byte[] get(Cf cf, byte[] key) {
        try {
            return db.get(byCf.get(cf), key);
        } catch (RocksDBException e) {
            throw new IndexException(directory, "index read failed in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RecoveredState loadState() {
        long applied = appliedPosition;
        List<RecoveredSession> sessions = new ArrayList<>();
        scan(Cf.SESSIONS, null, null, (key, value) -> {
            String clientId = new String(key, StandardCharsets.UTF_8);
            sessions.add(recoverSession(Values.session(clientId, value)));
            return true;
        });
        List<RetainedMessage> retained = new ArrayList<>();
        scan(Cf.RETAINED, null, null, (key, value) -> {
            retained.add(Values.retained(new String(key, StandardCharsets.UTF_8), value));
            return true;
        });
        return new RecoveredState(applied, sessions, retained);
    }

    private RecoveredSession recoverSession(SessionState state) {
        String clientId = state.clientId();
        int prefixBytes = Keys.clientStart(clientId).length;
        List<Subscription> subscriptions = new ArrayList<>();
        scanClient(
                Cf.SUBSCRIPTIONS,
                clientId,
                (key, value) -> subscriptions.add(
                        Values.subscription(new String(Keys.suffix(key, prefixBytes), StandardCharsets.UTF_8), value)));
        Map<Integer, Long> inbound = new LinkedHashMap<>();
        scanClient(
                Cf.INBOUND_QOS2,
                clientId,
                (key, value) -> inbound.put(
                        ((key[prefixBytes] & 0xFF) << 8) | (key[prefixBytes + 1] & 0xFF), Values.i64(value)));
        byte[] will = get(Cf.WILLS, Keys.client(clientId));
        return new RecoveredSession(
                state, subscriptions, inbound, will == null ? -1 : Values.i64(will), queueDepth(clientId));
    }

    @Override
    public List<QueueEntry> queueScan(String clientId, long afterPosition, int afterCopy, int maxEntries) {
        List<QueueEntry> entries = new ArrayList<>(Math.min(maxEntries, 1024));
        if (maxEntries <= 0) {
            return entries;
        }
        int prefixBytes = Keys.clientStart(clientId).length;
        byte[] start;
        if (afterPosition < 0) {
            start = Keys.queueEntry(clientId, 0, 0);
        } else if (afterCopy == Integer.MAX_VALUE) {
            start = Keys.queueEntry(clientId, afterPosition + 1, 0);
        } else {
            start = Keys.queueEntry(clientId, afterPosition, Math.max(0, afterCopy + 1));
        }
        scan(Cf.QUEUES, start, Keys.clientEnd(clientId), (key, value) -> {
            entries.add(
                    Values.queueEntry(Keys.queuePosition(key, prefixBytes), Keys.queueCopy(key, prefixBytes), value));
            return entries.size() < maxEntries;
        });
        return entries;
    }

    @Override
    public QueueDepth queueDepth(String clientId) {
        byte[] depth = get(Cf.QUEUE_DEPTHS, Keys.client(clientId));
        return depth == null ? QueueDepth.EMPTY : Values.queueDepth(depth);
    }

    /** Visits keys in {@code [start, end)} ({@code null} for unbounded) until the visitor says stop. */
    interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    private void scanClient(Cf cf, String clientId, BiConsumer<byte[], byte[]> consumer) {
        scan(cf, Keys.clientStart(clientId), Keys.clientEnd(clientId), (key, value) -> {
            consumer.accept(key, value);
            return true;
        });
    }

    private void scan(Cf cf, byte[] start, byte[] end, Visitor visitor) {
        try (Slice upper = end == null ? null : new Slice(end);
                ReadOptions options = new ReadOptions();
                RocksIterator it =
                        db.newIterator(byCf.get(cf), upper == null ? options : options.setIterateUpperBound(upper))) {
            if (start == null) {
                it.seekToFirst();
            } else {
                it.seek(start);
            }
            for (; it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
        }
    }

    /** Hands apply ownership on: the next thread that applies becomes the owner. */
    public void releaseOwnership() {
        owner.release();
    }

    @Override
    public void flush() {
        assert owner.check();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        } catch (RocksDBException e) {
            throw new IndexException(directory, "index flush failed in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the memtables (the WAL is off, so unflushed data would be replayed from the journal). */
    @Override
    public void close() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        } catch (RocksDBException e) {
            throw new IndexException(directory, "index flush failed in " + directory + ": " + e.getMessage(), e);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            writeOptions.close();
            cfOptions.close();
            dbOptions.close();
            writeBufferManager.close();
            memtableAccounting.close();
        }
    }

    /** Bytes the memtables of all column families hold now (RocksDB's own count); any thread. */
    public long memtableBytes() {
        try {
            return db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            throw new IndexException(
                    directory, "cannot read the index's memtable size in " + directory + ": " + e.getMessage(), e);
        }
    }
}
