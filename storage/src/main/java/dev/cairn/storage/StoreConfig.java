package dev.cairn.storage;

import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link Store#open} needs, immutable.
 *
 * @param dataDirectory holds {@code journal/}, {@code index/} and the lock file
 * @param replayBatchRecordsMax records per index write batch during recovery replay (1..1,000,000)
 */
public record StoreConfig(
        Path dataDirectory, SyncPolicy syncPolicy, JournalRollCycle rollCycle, OpenScan openScan,
        int replayBatchRecordsMax) {

    public static final int REPLAY_BATCH_RECORDS_DEFAULT = 4096;

    public StoreConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(openScan, "openScan");
        if (replayBatchRecordsMax < 1 || replayBatchRecordsMax > 1_000_000) {
            throw new IllegalArgumentException("replayBatchRecordsMax must be 1..1000000: " + replayBatchRecordsMax);
        }
    }

    /** fsync durability, hourly cycle files, verify only the unapplied tail. */
    public static StoreConfig defaults(Path dataDirectory) {
        return new StoreConfig(dataDirectory, SyncPolicy.FSYNC, JournalRollCycle.HOURLY, OpenScan.UNAPPLIED_TAIL,
                REPLAY_BATCH_RECORDS_DEFAULT);
    }

    public StoreConfig withSyncPolicy(SyncPolicy policy) {
        return new StoreConfig(dataDirectory, policy, rollCycle, openScan, replayBatchRecordsMax);
    }

    public StoreConfig withRollCycle(JournalRollCycle cycle) {
        return new StoreConfig(dataDirectory, syncPolicy, cycle, openScan, replayBatchRecordsMax);
    }

    public StoreConfig withOpenScan(OpenScan scan) {
        return new StoreConfig(dataDirectory, syncPolicy, rollCycle, scan, replayBatchRecordsMax);
    }

    public Path journalDirectory() {
        return dataDirectory.resolve("journal");
    }

    public Path indexDirectory() {
        return dataDirectory.resolve("index");
    }
}
