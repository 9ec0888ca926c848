package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.testing.TestWallClock;
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
import net.openhft.posix.PosixAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Goal: the Chronicle journal keeps records, positions and sync state as the Journal contract says. */
class ChronicleJournalTest {
    private static final int SEEK_HOLE = 4;
    private final TestWallClock clock = TestWallClock.beforeABoundary();

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

    /**
     * ADR 0008: under either policy the blocks past the last record are written (with zeros)
     * before appends reach them, so no store through the memory map lands in a block the file
     * system has not allocated (a full disk would make it a SIGBUS), and under {@code fsync} a sync
     * does not also have to allocate them.
     */
    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void underEitherPolicyTheBlocksPastTheLastRecordAreWrittenBeforeAppendsReachThem(SyncPolicy policy)
            throws Exception {
        try (ChronicleJournal journal = open(policy)) {
            // About 3 MiB of records: several preallocation steps.
            for (int i = 0; i < 3_000; i++) {
                journal.append(message(i, 1_000));
            }
            journal.sync();

            Path file = onlyCycleFile();
            long lastRecordByte = lastNonZeroByte(file);
            long hole = firstHoleAfter(file, lastRecordByte);
            assertTrue(
                    hole - lastRecordByte >= AppendPreallocator.LEAD - 4_096,
                    "written ahead of the last record byte " + lastRecordByte + ": up to " + hole);
        }
    }

    @Test
    void recordsOfEverySizeAcrossManyPreallocationStepsReadBackWholeAfterReopen() {
        int[] sizes = {0, 10, 4_090, 70_000, 3, 1_500_000, 200, 4_096, 900_000, 1};
        List<JournalRecord> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            records.add(message(i, sizes[i % sizes.length]));
        }
        List<Long> positions = new ArrayList<>();
        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            for (int i = 0; i < records.size(); i++) {
                positions.add(journal.append(records.get(i)));
                if (i % 7 == 0) {
                    journal.sync();
                }
            }
            journal.sync();
        }

        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            List<JournalRecord> replayed = new ArrayList<>();
            List<Long> replayedPositions = new ArrayList<>();
            journal.replayFrom(Journal.NO_POSITION, (p, r) -> {
                replayedPositions.add(p);
                replayed.add(r);
            });
            assertEquals(positions, replayedPositions);
            for (int i = 0; i < records.size(); i++) {
                assertEquals(records.get(i), replayed.get(i), "record " + i);
            }
        }
    }

    /** A message whose payload is {@code size} bytes, none of them zero, different per {@code i}. */
    private static MessageStored message(int i, int size) {
        byte[] payload = new byte[size];
        for (int b = 0; b < size; b++) {
            payload[b] = (byte) (1 + (i + b) % 251);
        }
        return new MessageStored(
                "pub-" + i,
                "t/" + i,
                1,
                false,
                new byte[0],
                payload,
                1_700_000_000_000L + i,
                -1,
                List.of(new Recipient("sub", 1, false, new int[0])));
    }

    private Path onlyCycleFile() throws Exception {
        try (var files = Files.list(dir.resolve("journal"))) {
            List<Path> cycles = files.filter(f -> f.getFileName().toString().endsWith(".cq4"))
                    .toList();
            assertEquals(1, cycles.size(), "cycle files " + cycles);
            return cycles.get(0);
        }
    }

    private static long lastNonZeroByte(Path file) throws Exception {
        byte[] content = Files.readAllBytes(file);
        for (int i = content.length - 1; i >= 0; i--) {
            if (content[i] != 0) {
                return i;
            }
        }
        throw new AssertionError("no record in " + file);
    }

    /** The start of the first hole (unallocated range) at or after {@code offset}, from the file system. */
    private static long firstHoleAfter(Path file, long offset) {
        PosixAPI posix = PosixAPI.posix();
        int fd = posix.open(file.toString(), 0 /* O_RDONLY */, 0);
        assertTrue(fd >= 0, "open " + file + ": " + fd);
        try {
            // Linux's SEEK_HOLE is 4; WhenceFlag of posix 2026.2 numbers its constants from 1, not 0.
            long hole = posix.lseek(fd, offset, SEEK_HOLE);
            assertTrue(hole >= offset, "lseek SEEK_HOLE in " + file + ": " + hole);
            return hole;
        } finally {
            posix.close(fd);
        }
    }

    @Test
    void syncCoversRecordsOnBothSidesOfACycleRollAndRetentionCanDeleteTheOldCycle() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = openFiveMinutely(now)) {
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
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            List<JournalRecord> replayed = new ArrayList<>();
            journal.replayFrom(Journal.NO_POSITION, (p, r) -> replayed.add(r));
            assertEquals(List.of(new WillFired("new cycle"), new WillFired("after the deletion")), replayed);
        }
    }

    /**
     * The states kill -9 can leave a cycle file in while Chronicle creates it at a cycle roll:
     * Chronicle creates the file and sizes it, claims the first header word ("not complete"),
     * writes the header, writes the index of indexes (a metadata document), and only then
     * completes the first header. The last state is what {@code RetentionCrashIT} found in CI,
     * the first what it found on a loaded machine: the restarted broker hung on open.
     */
    enum CreationCut {
        /** Killed after the file was created, before it was sized: an empty file. */
        BEFORE_THE_FILE_WAS_SIZED,
        /** Killed before the header word was claimed: zeros. */
        BEFORE_THE_HEADER,
        /** Killed while the header's content was being written. */
        IN_THE_HEADER,
        /** Killed while the index of indexes was being written. */
        IN_THE_INDEX_OF_INDEXES,
        /** Killed after the index of indexes, before the header was marked complete. */
        BEFORE_THE_HEADER_WAS_COMPLETED
    }

    @ParameterizedTest
    @EnumSource(CreationCut.class)
    void aCycleFileACrashLeftWithoutACompleteHeaderIsRemovedOnOpenAndTheRecordsBeforeItStay(CreationCut cut)
            throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        long kept;
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            journal.append(new WillFired("a"));
            kept = journal.append(new WillFired("b"));
            journal.sync();
        }
        now.addAndGet(TimeUnit.MINUTES.toMillis(5));
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            journal.append(new WillFired("in the new cycle, never synced"));
        }
        List<CycleFile> files;
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            files = journal.cycleFiles();
        }
        assertEquals(2, files.size());
        Path newest = files.get(1).file();
        cutCreation(newest, cut);

        ChronicleJournal reopened = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> openFiveMinutely(now),
                "Chronicle waits for the writer of an unfinished header, which is gone");
        try (ChronicleJournal journal = reopened) {
            assertFalse(Files.exists(newest), "the unfinished cycle file is gone");
            assertEquals(kept, journal.lastAppendedPosition());
            assertEquals(new WillFired("b"), journal.read(kept));
            long next = journal.append(new WillFired("after"));
            journal.sync();
            assertEquals(new WillFired("after"), journal.read(next));
        }
    }

    /**
     * Rewrites {@code file}, a finished cycle file with records, into what a kill at {@code cut}
     * during its creation leaves: its own header and index of indexes as Chronicle wrote them, cut
     * where the kill fell, zeros after, the first header word "not complete".
     */
    private static void cutCreation(Path file, CreationCut cut) throws Exception {
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            int firstWord = Integer.reverseBytes(raf.readInt());
            assertEquals(0x4000_0000, firstWord & 0xC000_0000, "a complete metadata header");
            int headerEnd = 4 + (firstWord & 0x3FFF_FFFF);
            int indexOfIndexes = (headerEnd + 3) & ~3;
            raf.seek(indexOfIndexes);
            int indexWord = Integer.reverseBytes(raf.readInt());
            assertEquals(0x4000_0000, indexWord & 0xC000_0000, "the index of indexes is a complete metadata document");
            int indexEnd = indexOfIndexes + 4 + (indexWord & 0x3FFF_FFFF);
            if (cut == CreationCut.BEFORE_THE_FILE_WAS_SIZED) {
                raf.setLength(0);
                return;
            }
            int keep = switch (cut) {
                case BEFORE_THE_FILE_WAS_SIZED, BEFORE_THE_HEADER -> 0;
                case IN_THE_HEADER -> headerEnd / 2;
                case IN_THE_INDEX_OF_INDEXES -> indexOfIndexes + 4 + (indexWord & 0x3FFF_FFFF) / 2;
                case BEFORE_THE_HEADER_WAS_COMPLETED -> indexEnd;
            };
            byte[] prefix = new byte[keep];
            raf.seek(0);
            raf.readFully(prefix);
            raf.setLength(0);
            raf.setLength(size);
            raf.seek(0);
            raf.write(prefix);
            if (cut != CreationCut.BEFORE_THE_HEADER) {
                raf.seek(0);
                raf.writeInt(Integer.reverseBytes(0x8000_0000));
            }
            if (cut == CreationCut.IN_THE_INDEX_OF_INDEXES) {
                raf.seek(indexOfIndexes);
                raf.writeInt(Integer.reverseBytes(indexWord | 0x8000_0000));
            }
        }
    }

    /** Damage to a finished cycle file's first header word that a crash does not leave. */
    enum HeaderDamage {
        /** The header word zeroed, the records still there. */
        ZEROED,
        /** The header word marked "not complete", the records still there. */
        MARKED_NOT_COMPLETE
    }

    @ParameterizedTest
    @EnumSource(HeaderDamage.class)
    void aCycleFileWithoutACompleteHeaderButWithRecordsIsRefusedNotDeleted(HeaderDamage damage) throws Exception {
        Path journalDir = dir.resolve("journal");
        try (ChronicleJournal journal = open(SyncPolicy.FSYNC)) {
            journal.append(new WillFired("a"));
            journal.sync();
        }
        Path file;
        try (var listing = Files.list(journalDir)) {
            file = listing.filter(p -> p.toString().endsWith(".cq4"))
                    .findFirst()
                    .orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            int firstWord = Integer.reverseBytes(raf.readInt());
            int damaged = damage == HeaderDamage.ZEROED ? 0 : firstWord | 0x8000_0000;
            raf.seek(0);
            raf.writeInt(Integer.reverseBytes(damaged));
        }

        JournalFormatException e = assertThrows(JournalFormatException.class, () -> open(SyncPolicy.FSYNC));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(Files.exists(file), "a file with records is never deleted");
    }

    @Test
    void aWallClockSteppedBackWhileRunningKeepsAppendingToTheNewestCycle() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            long first = journal.append(new WillFired("before the roll"));
            now.addAndGet(TimeUnit.MINUTES.toMillis(5));
            long second = journal.append(new WillFired("in the next cycle"));
            now.addAndGet(-TimeUnit.HOURS.toMillis(1)); // An NTP step or an operator setting the clock back.
            long third = journal.append(new WillFired("after the clock went back"));
            journal.sync();

            assertTrue(
                    first < second && second < third,
                    "positions keep growing: " + first + ", " + second + ", " + third);
            assertEquals(journal.cycleOf(second), journal.cycleOf(third), "the newest cycle goes on");
            assertEquals(
                    List.of(
                            new WillFired("before the roll"),
                            new WillFired("in the next cycle"),
                            new WillFired("after the clock went back")),
                    readAll(journal));
        }
    }

    @Test
    void aBrokerStartedWithItsWallClockBehindTheJournalAppendsAfterTheNewestRecord() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        long last;
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            journal.append(new WillFired("a"));
            now.addAndGet(TimeUnit.MINUTES.toMillis(10));
            last = journal.append(new WillFired("b"));
            journal.sync();
        }
        now.addAndGet(-TimeUnit.DAYS.toMillis(1)); // Restarted on a machine whose clock is a day behind.
        try (ChronicleJournal journal = openFiveMinutely(now)) {
            long next = journal.append(new WillFired("c"));
            journal.sync();

            assertTrue(next > last, "appended after the newest record: " + next + " > " + last);
            assertEquals(List.of(new WillFired("a"), new WillFired("b"), new WillFired("c")), readAll(journal));
        }
    }

    private static List<JournalRecord> readAll(ChronicleJournal journal) {
        List<JournalRecord> records = new ArrayList<>();
        journal.replayFrom(Journal.NO_POSITION, (position, record) -> records.add(record));
        return records;
    }

    @Test
    void anotherThreadCanReadWhileTheOwnerAppends() throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ChronicleJournal journal = open(SyncPolicy.PROCESS)) {
            long first = journal.append(new WillFired("first"));
            for (int i = 0; i < 200; i++) {
                long position = journal.append(new WillFired("c" + i));
                int expected = i;
                CompletableFuture<JournalRecord> read =
                        CompletableFuture.supplyAsync(() -> journal.read(position), reader);
                assertEquals(new WillFired("c" + expected), read.get(10, TimeUnit.SECONDS));
            }
            assertEquals(
                    new WillFired("first"),
                    CompletableFuture.supplyAsync(() -> journal.read(first), reader)
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
            CompletableFuture<Long> refused =
                    CompletableFuture.supplyAsync(() -> journal.append(new WillFired("x")), other);
            Throwable error = assertThrows(Exception.class, () -> refused.get(10, TimeUnit.SECONDS))
                    .getCause();
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

    /** An {@code fsync} journal of five-minute cycles on the clock {@code now}, to roll cycles without waiting. */
    private ChronicleJournal openFiveMinutely(AtomicLong now) {
        return ChronicleJournal.open(
                dir.resolve("journal"), SyncPolicy.FSYNC, JournalRollCycle.FIVE_MINUTELY, now::get);
    }

    /**
     * An hourly journal on a clock standing just before an hour boundary: the tests that expect one
     * cycle file (see {@link #onlyCycleFile}) never see a second one made by real time passing.
     */
    private ChronicleJournal open(SyncPolicy policy) {
        return ChronicleJournal.open(dir.resolve("journal"), policy, JournalRollCycle.HOURLY, clock);
    }

    static List<Long> appendAll(Journal journal, List<JournalRecord> records) {
        List<Long> positions = new ArrayList<>();
        for (JournalRecord record : records) {
            positions.add(journal.append(record));
        }
        return positions;
    }
}
