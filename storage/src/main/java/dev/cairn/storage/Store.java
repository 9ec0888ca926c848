package dev.cairn.storage;

import dev.cairn.storage.index.IndexException;
import dev.cairn.storage.index.IndexStore;
import dev.cairn.storage.index.RecoveredState;
import dev.cairn.storage.index.RocksIndexStore;
import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalTail;
import java.util.function.LongSupplier;

/**
 * A recovered store: the journal, the index caught up with it, and the state to resume from.
 *
 * <p>Threads: {@link #open} on any thread; after it returns, the first thread that appends to the
 * journal or applies to the index owns them (the broker's core loop), and closes the store.
 */
public final class Store implements AutoCloseable {
    private final DataDirectoryLock lock;
    private final ChronicleJournal journal;
    private final RocksIndexStore index;
    private final RecoveredState recoveredState;
    private final JournalTail.Report tailReport;

    private Store(DataDirectoryLock lock, ChronicleJournal journal, RocksIndexStore index, Recovery.Result result) {
        this.lock = lock;
        this.journal = journal;
        this.index = index;
        this.recoveredState = result.state();
        this.tailReport = result.tailReport();
    }

    /**
     * Locks the data directory, opens index and journal, classifies the journal's tail (a torn tail
     * is discarded, corruption refuses to open), replays the journal into the index and loads the
     * recovered state. A missing index is rebuilt from the whole journal.
     *
     * @throws StoreOpenException if the directory is in use, the journal is corrupt, the index is
     *     ahead of the journal, or the index cannot be opened, is corrupt or of an unknown format
     *     (the cause is then its {@link IndexException}); the message says what to do
     */
    public static Store open(StoreConfig config) {
        return open(config, System::currentTimeMillis);
    }

    /**
     * As {@link #open(StoreConfig)}, with the wall clock the journal rolls its cycle files by: the
     * time seam for tests of retention.
     */
    public static Store open(StoreConfig config, LongSupplier epochMillis) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
        RocksIndexStore index = null;
        ChronicleJournal journal = null;
        try {
            index = openIndex(config);
            journal = ChronicleJournal.open(
                    config.journalDirectory(), config.syncPolicy(), config.rollCycle(), epochMillis);
            Recovery.Result result = new Recovery(config, journal, index).run();
            journal.releaseOwnership();
            index.releaseOwnership();
            return new Store(lock, journal, index, result);
        } catch (RuntimeException | Error e) {
            closeAll(journal, index, lock, e);
            throw e;
        }
    }

    /** A damaged index, or one of an unknown format, refuses the start with the index's own message. */
    private static RocksIndexStore openIndex(StoreConfig config) {
        try {
            return RocksIndexStore.open(config.indexDirectory(), config.indexMemtableBytesMax());
        } catch (IndexException e) {
            throw new StoreOpenException(e.getMessage(), e);
        }
    }

    private static void closeAll(
            ChronicleJournal journal, RocksIndexStore index, DataDirectoryLock lock, Throwable failure) {
        for (AutoCloseable resource : new AutoCloseable[] {journal, index, lock}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    public Journal journal() {
        return journal;
    }

    public IndexStore index() {
        return index;
    }

    /** The state loaded after replay; a snapshot taken once at open. */
    public RecoveredState recoveredState() {
        return recoveredState;
    }

    /** What the tail check at open found (CLEAN or TORN; CORRUPT never opens). */
    public JournalTail.Report tailReport() {
        return tailReport;
    }

    /** Closes the journal and the index (flushing it) and releases the directory lock. */
    @Override
    public void close() {
        Exception first = null;
        for (AutoCloseable resource : new AutoCloseable[] {journal, index, lock}) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        } else if (first != null) {
            throw new IllegalStateException("closing the store failed", first);
        }
    }
}
