package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.WillFired;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Goal: the Chronicle journal keeps records, positions and sync state as the Journal contract says. */
class ChronicleJournalTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyJournalHasNoPositions() {
        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            assertEquals(Journal.NO_POSITION, journal.lastAppendedPosition());
            assertEquals(Journal.NO_POSITION, journal.syncedPosition());
            List<Long> seen = new ArrayList<>();
            journal.replayFrom(Journal.NO_POSITION, (p, r) -> seen.add(p));
            assertEquals(List.of(), seen);
        }
    }

    @Test
    void appendedRecordsAreReadBackByPositionAndReplayedInOrder() {
        List<JournalRecord> records = SampleRecords.all();
        try (ChronicleJournal journal = open(SyncPolicy.PROCESS)) {
            List<Long> positions = appendAll(journal, records);

            for (int i = 0; i < records.size(); i++) {
                assertEquals(records.get(i), journal.read(positions.get(i)));
            }
            List<JournalRecord> replayed = new ArrayList<>();
            journal.replayFrom(positions.get(4), (p, r) -> replayed.add(r));
            assertEquals(records.subList(5, records.size()), replayed);
            List<Long> all = new ArrayList<>();
            journal.replayFrom(Journal.NO_POSITION, (p, r) -> all.add(p));
            assertEquals(positions, all);
        }
    }

    @Test
    void positionsAndRecordsSurviveReopenAndNewPositionsKeepGrowing() {
        List<JournalRecord> records = SampleRecords.all();
        List<Long> positions;
        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            positions = appendAll(journal, records);
            journal.sync();
        }

        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            long last = positions.get(positions.size() - 1);
            assertEquals(last, journal.lastAppendedPosition());
            assertEquals(last, journal.syncedPosition());
            assertEquals(records.get(3), journal.read(positions.get(3)));
            long next = journal.append(new WillFired("after-reopen"));
            assertTrue(next > last, "position " + next + " after " + last);
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void syncAdvancesTheSyncedPositionToTheLastAppend(SyncPolicy policy) {
        try (ChronicleJournal journal = open(policy)) {
            long first = journal.append(new WillFired("a"));
            long second = journal.append(new WillFired("b"));
            assertEquals(Journal.NO_POSITION, journal.syncedPosition());
            assertEquals(second, journal.lastAppendedPosition());

            journal.sync();

            assertEquals(second, journal.syncedPosition());
            long third = journal.append(new WillFired("c"));
            assertEquals(second, journal.syncedPosition());
            journal.sync();
            assertEquals(third, journal.syncedPosition());
            assertTrue(first < second && second < third);
        }
    }

    @Test
    void syncCoversRecordsOnBothSidesOfACycleRollAndRetentionCanDeleteTheOldCycle() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), SyncPolicy.FSYNC,
                JournalRollCycle.FIVE_MINUTELY, now::get)) {
            long before = journal.append(new WillFired("old cycle"));
            now.addAndGet(TimeUnit.MINUTES.toMillis(5));
            long after = journal.append(new WillFired("new cycle"));
            assertTrue(journal.cycleOf(after) > journal.cycleOf(before), "the append did not roll the cycle");

            journal.sync();
            assertEquals(after, journal.syncedPosition());

            assertEquals(2, journal.cycleFiles().size());
            assertEquals(1, journal.deleteCyclesBefore(after).size());
            long third = journal.append(new WillFired("after the deletion"));
            journal.sync();
            assertEquals(third, journal.syncedPosition());
            assertEquals(new WillFired("after the deletion"), journal.read(third));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), SyncPolicy.FSYNC,
                JournalRollCycle.FIVE_MINUTELY, now::get)) {
            List<JournalRecord> replayed = new ArrayList<>();
            journal.replayFrom(Journal.NO_POSITION, (p, r) -> replayed.add(r));
            assertEquals(List.of(new WillFired("new cycle"), new WillFired("after the deletion")), replayed);
        }
    }

    @Test
    void aCycleFileACrashLeftWithoutItsHeaderIsRemovedOnOpenAndTheRecordsBeforeItStay() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        Path journalDir = dir.resolve("journal");
        long kept;
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, SyncPolicy.FSYNC,
                JournalRollCycle.FIVE_MINUTELY, now::get)) {
            journal.append(new WillFired("a"));
            kept = journal.append(new WillFired("b"));
            journal.sync();
        }
        now.addAndGet(TimeUnit.MINUTES.toMillis(5));
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, SyncPolicy.FSYNC,
                JournalRollCycle.FIVE_MINUTELY, now::get)) {
            journal.append(new WillFired("in the new cycle, never synced"));
        }
        List<CycleFile> files;
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, SyncPolicy.FSYNC,
                JournalRollCycle.FIVE_MINUTELY, now::get)) {
            files = journal.cycleFiles();
        }
        assertEquals(2, files.size());
        // What kill -9 between Chronicle creating the file and writing its header leaves: zeros.
        Path newest = files.get(1).file();
        long size = Files.size(newest);
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
            raf.setLength(0);
            raf.setLength(size);
        }

        ChronicleJournal reopened = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ChronicleJournal.open(
                journalDir, SyncPolicy.FSYNC, JournalRollCycle.FIVE_MINUTELY, now::get),
                "Chronicle waits forever for the header of an all-zero cycle file");
        try (ChronicleJournal journal = reopened) {
            assertFalse(Files.exists(newest), "the empty cycle file is gone");
            assertEquals(kept, journal.lastAppendedPosition());
            assertEquals(new WillFired("b"), journal.read(kept));
            long next = journal.append(new WillFired("after"));
            journal.sync();
            assertEquals(new WillFired("after"), journal.read(next));
        }
    }

    @Test
    void aHeaderlessCycleFileWithDataInItIsRefusedNotDeleted() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            journal.append(new WillFired("a"));
            journal.sync();
        }
        Path file;
        try (var listing = Files.list(journalDir)) {
            file = listing.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new byte[4]); // The header word gone, the records still there.
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(SyncPolicy.FSYNC));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(Files.exists(file), "a file with data is never deleted");
    }

    @Test
    void anotherThreadCanReadWhileTheOwnerAppends() throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ChronicleJournal journal = open(SyncPolicy.PROCESS)) {
            long first = journal.append(new WillFired("first"));
            for (int i = 0; i < 200; i++) {
                long position = journal.append(new WillFired("c" + i));
                int expected = i;
                CompletableFuture<JournalRecord> read = CompletableFuture.supplyAsync(() -> journal.read(position), reader);
                assertEquals(new WillFired("c" + expected), read.get(10, TimeUnit.SECONDS));
            }
            assertEquals(new WillFired("first"), CompletableFuture.supplyAsync(() -> journal.read(first), reader)
                    .get(10, TimeUnit.SECONDS));
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void appendingFromASecondThreadIsRefusedUntilOwnershipIsReleased() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (ChronicleJournal journal = open(SyncPolicy.PROCESS)) {
            journal.append(new WillFired("owner"));
            CompletableFuture<Long> refused = CompletableFuture.supplyAsync(() -> journal.append(new WillFired("x")), other);
            Throwable error = assertThrows(Exception.class, () -> refused.get(10, TimeUnit.SECONDS)).getCause();
            assertTrue(error instanceof AssertionError, String.valueOf(error));

            journal.releaseOwnership();
            long position = CompletableFuture.supplyAsync(() -> journal.append(new WillFired("y")), other)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(new WillFired("y"), journal.read(position));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void readingAPositionThatDoesNotExistFails() {
        try (ChronicleJournal journal = open(SyncPolicy.PROCESS)) {
            long position = journal.append(new WillFired("a"));
            assertThrows(IllegalArgumentException.class, () -> journal.read(position + 1));
        }
    }

    private ChronicleJournal open(SyncPolicy policy) {
        return ChronicleJournal.open(dir.resolve("journal"), policy, JournalRollCycle.HOURLY);
    }

    static List<Long> appendAll(Journal journal, List<JournalRecord> records) {
        List<Long> positions = new ArrayList<>();
        for (JournalRecord record : records) {
            positions.add(journal.append(record));
        }
        return positions;
    }
}
