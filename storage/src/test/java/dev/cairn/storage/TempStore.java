package dev.cairn.storage;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.PositionedRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Store} in a test's temporary directory, with helpers to write records through the
 * journal, sync, and apply them to the index the way the broker's core loop does. Confined to
 * the test thread.
 */
public final class TempStore implements AutoCloseable {
    private final StoreConfig config;
    private Store store;

    private TempStore(StoreConfig config) {
        this.config = config;
        this.store = Store.open(config);
    }

    public static TempStore open(StoreConfig config) {
        return new TempStore(config);
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
        store = Store.open(config);
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
