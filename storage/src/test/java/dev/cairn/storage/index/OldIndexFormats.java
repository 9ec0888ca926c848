package dev.cairn.storage.index;

import dev.cairn.storage.record.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Rewrites a closed index the way an older Cairn wrote it, for the upgrade tests. Format 2 kept
 * no message sizes: a queue entry's value lacked {@code messageBytes u32} and a queue depth was one
 * i64 (the message count). Format 1 in addition had no {@code payload_refs}. Format 3 had format
 * 4's layout but could not hold two copies of one message in one queue: only its number differs.
 * Formats 4 and older kept no session owner: a session value ended after its will.
 */
public final class OldIndexFormats {
    private static final byte[] FORMAT_KEY = "indexFormat".getBytes(StandardCharsets.UTF_8);

    private OldIndexFormats() {}

    public static void rewriteAs(Path indexDirectory, int format) throws Exception {
        if (format < 1 || format > 4) {
            throw new IllegalArgumentException("no such older format: " + format);
        }
        withIndex(indexDirectory, (db, handles) -> {
            ColumnFamilyHandle queues = handles.get(Cf.QUEUES.ordinal() + 1);
            ColumnFamilyHandle depths = handles.get(Cf.QUEUE_DEPTHS.ordinal() + 1);
            ColumnFamilyHandle sessions = handles.get(Cf.SESSIONS.ordinal() + 1);
            for (byte[][] kv : all(db, sessions)) {
                SessionState s = Values.session(new String(kv[0], StandardCharsets.UTF_8), kv[1]);
                byte[] withoutOwner = Values.session(new SessionState(
                        s.clientId(),
                        s.protocolLevel(),
                        s.sessionExpirySeconds(),
                        s.presence(),
                        s.changedAtMillis(),
                        s.will()));
                // Drops the trailing "owner known" flag (false): the value ends after its will.
                db.put(sessions, kv[0], java.util.Arrays.copyOf(withoutOwner, withoutOwner.length - 1));
            }
            for (byte[][] kv : format >= 3 ? List.<byte[][]>of() : all(db, queues)) {
                QueueEntry e = Values.queueEntry(Keys.readLong(kv[0], kv[0].length - 8), 0, kv[1]);
                BinaryWriter w = new BinaryWriter(24)
                        .u8(e.qos())
                        .u8(e.state().code())
                        .u16(e.packetId())
                        .bool(e.retainAsPublished())
                        .subscriptionIds(e.subscriptionIds());
                if (e.payloadPosition() != e.position()) {
                    w.i64(e.payloadPosition());
                }
                db.put(queues, kv[0], w.toByteArray());
            }
            for (byte[][] kv : format >= 3 ? List.<byte[][]>of() : all(db, depths)) {
                db.put(depths, kv[0], Values.i64(Values.queueDepth(kv[1]).messages()));
            }
            if (format == 1) {
                ColumnFamilyHandle refs = handles.get(Cf.PAYLOAD_REFS.ordinal() + 1);
                for (byte[][] kv : all(db, refs)) {
                    db.delete(refs, kv[0]);
                }
            }
            db.put(handles.get(Cf.META.ordinal() + 1), FORMAT_KEY, new byte[] {(byte) format});
        });
    }

    /** Stores {@code value} as a closed index's format value, as a damaged index might hold it. */
    public static void writeFormatValue(Path indexDirectory, byte[] value) throws Exception {
        withIndex(indexDirectory, (db, handles) -> db.put(handles.get(Cf.META.ordinal() + 1), FORMAT_KEY, value));
    }

    private interface IndexWork {
        void run(RocksDB db, List<ColumnFamilyHandle> handles) throws Exception;
    }

    private static void withIndex(Path indexDirectory, IndexWork work) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (Cf cf : Cf.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes()));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, indexDirectory.toString(), descriptors, handles)) {
            work.run(db, handles);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static List<byte[][]> all(RocksDB db, ColumnFamilyHandle cf) {
        List<byte[][]> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(new byte[][] {it.key(), it.value()});
            }
        }
        return out;
    }
}
