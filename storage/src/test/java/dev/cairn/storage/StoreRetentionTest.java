package dev.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.journal.CycleFile;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.SessionOpened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a store whose early cycle files retention deleted recovers (the applied position lies
 * beyond them), replays what the index had not applied, and refuses an index that would need the
 * deleted records. Method: a store on a settable clock, an hour per cycle, deletion by the rule the
 * broker uses: before min(applied position, oldest queued position).
 */
class StoreRetentionTest {
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_767_225_601_000L);

    @Test
    void recoversAfterEarlyCyclesWereDeletedAndReplaysWhatWasNotApplied() {
        long kept;
        long unapplied;
        try (Store store = open()) {
            commit(store, new SessionOpened("s", false, 3600, 5, 1, null));
            for (int h = 0; h < 3; h++) {
                long p = commit(store, message("s"));
                commit(store, new dev.cairn.storage.record.DeliveryAcknowledged("s", p));
                clock.addAndGet(HOUR);
            }
            kept = commit(store, message("s"));
            long needed =
                    Math.min(store.index().appliedPosition(), store.index().oldestQueuedPosition());
            assertEquals(kept, needed);
            List<CycleFile> deleted = store.journal().deleteCyclesBefore(needed);
            assertEquals(3, deleted.size());
            unapplied = store.journal().append(message("s"));
            store.journal().sync(); // synced, never applied: recovery must replay it
        }
        try (Store store = open()) {
            assertEquals(unapplied, store.index().appliedPosition());
            assertEquals(
                    List.of(kept, unapplied),
                    store.index().queueScan("s", -1, 10).stream()
                            .map(QueueEntry::position)
                            .toList());
            assertEquals(1, store.recoveredState().sessions().size());
            assertEquals(kept, store.journal().firstPosition());
            assertTrue(store.journal().read(kept) instanceof MessageStored);
        }
    }

    @Test
    void refusesToRebuildADeletedIndexFromATrimmedJournal() throws IOException {
        try (Store store = open()) {
            commit(store, new SessionOpened("s", false, 3600, 5, 1, null));
            clock.addAndGet(HOUR);
            long p = commit(store, message("s"));
            assertEquals(1, store.journal().deleteCyclesBefore(p).size());
        }
        deleteRecursively(dir.resolve("index"));
        StoreOpenException e = assertThrows(StoreOpenException.class, this::open);
        assertTrue(e.getMessage().contains("retention already deleted"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be rebuilt"), e.getMessage());
    }

    private Store open() {
        return Store.open(
                StoreConfig.defaults(dir).withSyncPolicy(dev.cairn.storage.journal.SyncPolicy.PROCESS), clock::get);
    }

    private static long commit(Store store, JournalRecord record) {
        long position = store.journal().append(record);
        store.journal().sync();
        store.index().apply(List.of(new PositionedRecord(position, record)));
        return position;
    }

    private static MessageStored message(String... recipients) {
        List<Recipient> list = new ArrayList<>();
        for (String clientId : recipients) {
            list.add(new Recipient(clientId, 1, false, new int[0]));
        }
        return SampleRecords.message("pub", "t", 1, list);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
