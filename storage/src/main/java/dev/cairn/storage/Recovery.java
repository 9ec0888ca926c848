package dev.cairn.storage;

import dev.cairn.storage.index.RecoveredState;
import dev.cairn.storage.index.RocksIndexStore;
import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalCorruptionException;
import dev.cairn.storage.journal.JournalTail;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery path, run once by {@link Store#open}: check the journal's tail, discard a torn
 * tail, refuse corruption and an index that is ahead of the journal, replay from the applied
 * position, load the state. Runs on the opening thread.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    record Result(RecoveredState state, JournalTail.Report tailReport) {}

    private final StoreConfig config;
    private final ChronicleJournal journal;
    private final RocksIndexStore index;

    Recovery(StoreConfig config, ChronicleJournal journal, RocksIndexStore index) {
        this.config = config;
        this.journal = journal;
        this.index = index;
    }

    Result run() {
        long applied = index.appliedPosition();
        refuseIndexAhead(applied, journal.lastAppendedPosition());
        refuseIndexBehindRetention(applied, journal.retentionFloor());
        long scanFrom = config.openScan() == OpenScan.WHOLE_JOURNAL ? Journal.NO_POSITION : applied;
        JournalTail.Report report = JournalTail.check(journal, scanFrom);
        switch (report.kind()) {
            case CLEAN:
                break;
            case TORN:
                refuseIndexAhead(applied, report.lastGoodPosition());
                JournalTail.discardTornTail(journal, report, config.dataDirectory(), System.currentTimeMillis());
                break;
            case CORRUPT:
                throw corrupt(report.corruption());
            default:
                throw new IllegalStateException("unknown tail kind " + report.kind());
        }
        upgradeIndex();
        long replayed = replay(applied);
        if (replayed > 0 || applied == Journal.NO_POSITION) {
            LOG.info(
                    "Recovered {}: replayed {} journal records into the index from position {}",
                    config.dataDirectory(),
                    replayed,
                    applied);
        }
        return new Result(index.loadState(), report);
    }

    /**
     * An index of an older format learns the message sizes it lacks from the journal; its entries
     * read only positions retention keeps, so this works however much retention deleted.
     */
    private void upgradeIndex() {
        if (!index.needsUpgrade()) {
            return;
        }
        LOG.info(
                "Upgrading the index in {}: adding message sizes to every queue entry from the journal",
                config.indexDirectory());
        try {
            index.upgrade(this::queuedBytesAt);
        } catch (JournalCorruptionException e) {
            throw corrupt(e);
        }
    }

    private long queuedBytesAt(long payloadPosition) {
        JournalRecord record = journal.read(payloadPosition);
        if (record instanceof MessageStored stored) {
            return stored.queuedBytes();
        }
        if (record instanceof MessageRelocated relocated) {
            return relocated.message().queuedBytes();
        }
        throw new StoreOpenException("the index has a queue entry reading its message at journal position "
                + payloadPosition + ", which holds a " + record.type() + " record; delete " + config.indexDirectory()
                + " to rebuild it from the journal, or run the tools' verify command");
    }

    private long replay(long applied) {
        List<PositionedRecord> batch = new ArrayList<>();
        long[] count = {0};
        try {
            journal.replayFrom(applied, (position, record) -> {
                batch.add(new PositionedRecord(position, record));
                count[0]++;
                if (batch.size() >= config.replayBatchRecordsMax()) {
                    index.apply(batch);
                    batch.clear();
                }
            });
        } catch (JournalCorruptionException e) {
            throw corrupt(e);
        }
        index.apply(batch);
        return count[0];
    }

    private void refuseIndexAhead(long applied, long journalLast) {
        if (applied != Journal.NO_POSITION && applied > journalLast) {
            throw new StoreOpenException("the index in " + config.indexDirectory() + " has applied journal position "
                    + applied + " but the journal ends at " + journalLast + ": synced journal records are missing"
                    + " (the disk lost data, or the journal was replaced). Delete " + config.indexDirectory()
                    + " to rebuild the index from the journal as it is, or restore the journal.");
        }
    }

    /**
     * Retention deleted the records before the floor only once the index had applied them, so an
     * index behind the floor is not the one the journal was trimmed for (deleted and rebuilding,
     * or restored from an older backup): replaying what is left would silently lose sessions.
     */
    private void refuseIndexBehindRetention(long applied, long floor) {
        if (floor != Journal.NO_POSITION && applied < floor) {
            throw new StoreOpenException("the index in " + config.indexDirectory() + " has applied journal position "
                    + applied + (applied == Journal.NO_POSITION ? " (it is empty or new)" : "")
                    + " but retention already deleted the journal's records before position " + floor
                    + ", so the index cannot be rebuilt from the journal that is left. Restore the index directory"
                    + " that belongs to this journal (a backup taken together with it).");
        }
    }

    private StoreOpenException corrupt(JournalCorruptionException e) {
        return new StoreOpenException(
                e.getMessage() + ". Cairn will not start on a corrupt journal; run"
                        + " `java -jar tools/target/cairn-tools.jar repair --data-dir " + config.dataDirectory() + "`"
                        + " to inspect and repair it.",
                e);
    }
}
