package dev.cairn.storage;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.testing.TestWallClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A {@link Store} in a test's temporary directory, with helpers to write records through the
 * journal, sync, and apply them to the index the way the broker's core loop does. Confined to
 * the test thread. Its journal rolls cycle files by a wall clock that stands still unless the test
 * moves it ({@link TestWallClock}), so what a test writes lands in one cycle file however long it
 * runs.
 */
public final class TempStore implements AutoCloseable {
    private final StoreConfig config;
    private final LongSupplier clock;
    private Store store;

    private TempStore(StoreConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.store = Store.open(config, clock);
    }

    /** A store on a {@link TestWallClock#beforeABoundary()} of its own. */
    public static TempStore open(StoreConfig config) {
        return open(config, TestWallClock.beforeABoundary());
    }

    /** A store whose journal rolls its cycle files by {@code clock}. */
    public static TempStore open(StoreConfig config, LongSupplier clock) {
        return new TempStore(config, clock);
    }

    public static TempStore open(Path dataDirectory) {
        return open(StoreConfig.defaults(dataDirectory));
    }

    public Store store() {
        return store;
    }

    public StoreConfig config() {
        return config;
    }

    /** Appends the records, syncs, and returns their positions. The index is not touched. */
    public List<PositionedRecord> appendAndSync(List<? extends JournalRecord> records) {
        List<PositionedRecord> positioned = new ArrayList<>();
        for (JournalRecord record : records) {
            positioned.add(new PositionedRecord(store.journal().append(record), record));
        }
        store.journal().sync();
        return positioned;
    }

    /** Appends, syncs, then applies to the index: one turn of the core loop. */
    public List<PositionedRecord> commit(List<? extends JournalRecord> records) {
        List<PositionedRecord> positioned = appendAndSync(records);
        store.index().apply(positioned);
        return positioned;
    }

    /** Closes and opens the store again, running recovery. */
    public Store reopen() {
        store.close();
        store = Store.open(config, clock);
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
