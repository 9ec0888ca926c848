package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.WillFired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: cycle files roll under the journal's clock, and retention deletes exactly the files wholly
 * before a position (never the one being appended to); what is left reads, replays and reopens.
 * Method: real Chronicle in a temporary directory, a settable clock moved an hour per cycle.
 */
class JournalRetentionTest {
    private static final long HOUR = 3_600_000L;
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z, a cycle boundary

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(START + 1_000);

    @Test
    void cyclesRollWithTheClockAndAreListedOldestFirst() {
        try (ChronicleJournal journal = open()) {
            List<List<Long>> positions = appendHours(journal, 4, 3);
            List<CycleFile> files = journal.cycleFiles();
            assertEquals(4, files.size());
            for (int i = 0; i < 4; i++) {
                CycleFile file = files.get(i);
                long first = positions.get(i).get(0);
                assertEquals(journal.cycleOf(first), file.cycle());
                assertEquals(files.get(0).cycle() + i, file.cycle());
                assertTrue(file.startPosition() <= first && first < journal.cycleStart(file.cycle() + 1));
                assertTrue(file.sizeBytes() > 0);
            }
            assertEquals(journal.cycleOf(journal.lastAppendedPosition()), journal.currentCycle());
            clock.addAndGet(HOUR);
            assertEquals(files.get(3).cycle() + 1, journal.currentCycle(), "the current cycle follows the clock");
            assertEquals(positions.get(0).get(0), journal.firstPosition());
            assertEquals(Journal.NO_POSITION, journal.retentionFloor());
        }
    }

    @Test
    void deletesExactlyTheCyclesWhollyBeforeThePositionAndTheRestReadsReplaysAndReopens() {
        List<List<Long>> positions;
        long keepFrom;
        try (ChronicleJournal journal = open()) {
            positions = appendHours(journal, 5, 3);
            List<CycleFile> before = journal.cycleFiles();
            keepFrom = positions.get(2).get(1); // mid-cycle: its cycle stays whole

            List<CycleFile> deleted = journal.deleteCyclesBefore(keepFrom);

            assertEquals(before.subList(0, 2), deleted);
            assertEquals(before.subList(2, 5), journal.cycleFiles());
            deleted.forEach(f -> assertFalse(Files.exists(f.file())));
            assertEquals(positions.get(2).get(0), journal.firstPosition(), "the kept cycle keeps its early records");
            assertEquals(keepFrom, journal.retentionFloor());
            assertEquals(flatten(positions.subList(2, 5)), replayedPositions(journal, Journal.NO_POSITION));
            assertEquals(new WillFired("r-2-0"), journal.read(positions.get(2).get(0)));
            PositionDeletedException e = assertThrows(
                    PositionDeletedException.class,
                    () -> journal.read(positions.get(1).get(2)));
            assertTrue(e.getMessage().contains("deleted by retention"), e.getMessage());
            assertThrows(
                    PositionDeletedException.class,
                    () -> journal.replayFrom(positions.get(0).get(0), (p, r) -> {}));

            assertEquals(List.of(), journal.deleteCyclesBefore(keepFrom), "nothing more to delete");
            long appended = journal.append(new WillFired("after"));
            journal.sync();
            assertEquals(journal.cycleOf(positions.get(4).get(0)), journal.cycleOf(appended));
        }
        try (ChronicleJournal journal = open()) {
            assertEquals(keepFrom, journal.retentionFloor(), "the floor is durable");
            assertEquals(positions.get(2).get(0), journal.firstPosition());
            assertEquals(new WillFired("r-4-2"), journal.read(positions.get(4).get(2)));
            assertThrows(
                    PositionDeletedException.class,
                    () -> journal.read(positions.get(0).get(0)));
            clock.addAndGet(HOUR);
            long next = journal.append(new WillFired("next hour"));
            assertEquals(journal.cycleOf(positions.get(4).get(0)) + 1, journal.cycleOf(next));
            assertEquals(4, journal.cycleFiles().size());
        }
    }

    @Test
    void neverDeletesTheCycleBeingAppendedTo() {
        try (ChronicleJournal journal = open()) {
            List<List<Long>> positions = appendHours(journal, 3, 2);
            clock.addAndGet(5 * HOUR); // the clock moved on, but nothing was appended since
            List<CycleFile> deleted = journal.deleteCyclesBefore(journal.cycleStart(journal.currentCycle()));
            assertEquals(2, deleted.size());
            assertEquals(1, journal.cycleFiles().size());
            assertEquals(positions.get(2), replayedPositions(journal, Journal.NO_POSITION));
            assertEquals(positions.get(2).get(0), journal.firstPosition());
        }
    }

    @Test
    void aTailerThatWasReadingKeepsReadingTheRemainingCycles() {
        try (ChronicleJournal journal = open()) {
            List<List<Long>> positions = appendHours(journal, 3, 2);
            assertEquals(new WillFired("r-0-0"), journal.read(positions.get(0).get(0))); // shared tailer in cycle 0
            journal.deleteCyclesBefore(positions.get(1).get(0));
            assertEquals(new WillFired("r-1-1"), journal.read(positions.get(1).get(1)));
            assertEquals(flatten(positions.subList(1, 3)), replayedPositions(journal, Journal.NO_POSITION));
        }
    }

    private List<List<Long>> appendHours(ChronicleJournal journal, int hours, int perHour) {
        List<List<Long>> positions = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            if (h > 0) {
                clock.addAndGet(HOUR);
            }
            List<Long> hour = new ArrayList<>();
            for (int i = 0; i < perHour; i++) {
                hour.add(journal.append(new WillFired("r-" + h + "-" + i)));
            }
            positions.add(hour);
        }
        journal.sync();
        return positions;
    }

    private static List<Long> replayedPositions(Journal journal, long after) {
        List<Long> seen = new ArrayList<>();
        journal.replayFrom(after, (p, r) -> seen.add(p));
        return seen;
    }

    private static List<Long> flatten(List<List<Long>> lists) {
        List<Long> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return all;
    }

    private ChronicleJournal open() {
        return ChronicleJournal.open(dir.resolve("journal"), SyncPolicy.FSYNC, JournalRollCycle.HOURLY, clock::get);
    }
}
