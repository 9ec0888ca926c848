package dev.cairn.storage;

import dev.cairn.storage.index.RocksIndexStore;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link Store#open} needs, immutable.
 *
 * @param dataDirectory holds {@code journal/}, {@code index/} and the lock file
 * @param replayBatchRecordsMax records per index write batch during recovery replay (1..1,000,000)
 * @param indexMemtableBytesMax bytes the index's memtables may hold in all before they are flushed
 *                              (at least {@link RocksIndexStore#MEMTABLE_BYTES_MIN})
 */
public record StoreConfig(
        Path dataDirectory,
        SyncPolicy syncPolicy,
        JournalRollCycle rollCycle,
        OpenScan openScan,
        int replayBatchRecordsMax,
        long indexMemtableBytesMax) {

    public static final int REPLAY_BATCH_RECORDS_DEFAULT = 4096;
    public static final long INDEX_MEMTABLE_BYTES_DEFAULT = RocksIndexStore.MEMTABLE_BYTES_DEFAULT;

    public StoreConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(openScan, "openScan");
        if (replayBatchRecordsMax < 1 || replayBatchRecordsMax > 1_000_000) {
            throw new IllegalArgumentException("replayBatchRecordsMax must be 1..1000000: " + replayBatchRecordsMax);
        }
        if (indexMemtableBytesMax < RocksIndexStore.MEMTABLE_BYTES_MIN) {
            throw new IllegalArgumentException("indexMemtableBytesMax must be at least "
                    + RocksIndexStore.MEMTABLE_BYTES_MIN + ": " + indexMemtableBytesMax);
        }
    }

    /** fsync durability, hourly cycle files, verify only the unapplied tail. */
    public static StoreConfig defaults(Path dataDirectory) {
        return new StoreConfig(
                dataDirectory,
                SyncPolicy.FSYNC,
                JournalRollCycle.HOURLY,
                OpenScan.UNAPPLIED_TAIL,
                REPLAY_BATCH_RECORDS_DEFAULT,
                INDEX_MEMTABLE_BYTES_DEFAULT);
    }

    public StoreConfig withSyncPolicy(SyncPolicy policy) {
        return new StoreConfig(
                dataDirectory, policy, rollCycle, openScan, replayBatchRecordsMax, indexMemtableBytesMax);
    }

    public StoreConfig withRollCycle(JournalRollCycle cycle) {
        return new StoreConfig(
                dataDirectory, syncPolicy, cycle, openScan, replayBatchRecordsMax, indexMemtableBytesMax);
    }

    public StoreConfig withIndexMemtableBytesMax(long bytes) {
        return new StoreConfig(dataDirectory, syncPolicy, rollCycle, openScan, replayBatchRecordsMax, bytes);
    }

    public StoreConfig withOpenScan(OpenScan scan) {
        return new StoreConfig(
                dataDirectory, syncPolicy, rollCycle, scan, replayBatchRecordsMax, indexMemtableBytesMax);
    }

    public Path journalDirectory() {
        return dataDirectory.resolve("journal");
    }

    public Path indexDirectory() {
        return dataDirectory.resolve("index");
    }
}
