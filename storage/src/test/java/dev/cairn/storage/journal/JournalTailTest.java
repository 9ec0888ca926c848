package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordDecodeException;
import dev.cairn.storage.record.TailDiscarded;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.testing.TestWallClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the tail check tells a clean journal, a torn tail and mid-journal corruption apart, and a
 * discarded tail stays discarded for every later reader. Method: write records, damage the closed
 * files with {@link JournalCorruptor}, reopen and check.
 */
class JournalTailTest {
    private static final long NOW_MILLIS = 1_700_000_000_000L;
    private final TestWallClock clock = TestWallClock.beforeABoundary();

    @TempDir
    Path dir;

    @Test
    void anUndamagedJournalIsClean() {
        List<Long> positions = write(5);
        try (ChronicleJournal journal = open()) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            assertEquals(JournalTail.Kind.CLEAN, report.kind());
            assertEquals(5, report.recordsChecked());
            assertEquals(positions.get(4), report.lastGoodPosition());

            JournalTail.Report fromMiddle = JournalTail.check(journal, positions.get(2));
            assertEquals(2, fromMiddle.recordsChecked());
        }
    }

    @Test
    void aTornLastRecordIsDiscardedWithACopyAndStaysDiscarded() throws IOException {
        List<Long> positions = write(5);
        JournalCorruptor.tear(journalDir(), frame(4), RecordCodec.HEADER_BYTES);

        Path copy;
        try (ChronicleJournal journal = open()) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            assertEquals(JournalTail.Kind.TORN, report.kind());
            assertEquals(List.of(positions.get(4)), report.tornPositions());
            assertEquals(positions.get(3), report.lastGoodPosition());

            copy = JournalTail.discardTornTail(journal, report, dir, NOW_MILLIS);
        }

        assertEquals("journal-broken-20231114T221320.000Z", copy.getFileName().toString());
        byte[] saved = Files.readAllBytes(copy);
        byte[] magic = Arrays.copyOf(saved, JournalTail.BROKEN_FILE_MAGIC.length);
        assertArrayEquals(JournalTail.BROKEN_FILE_MAGIC, magic);
        assertEquals(JournalTail.BROKEN_FILE_MAGIC.length + 8 + 4 + frame(4).length, saved.length);
        try (ChronicleJournal journal = open()) {
            assertEquals(
                    JournalTail.Kind.CLEAN,
                    JournalTail.check(journal, Journal.NO_POSITION).kind());
            List<JournalRecord> replayed = replayAll(journal);
            assertEquals(5, replayed.size());
            assertEquals(new WillFired("client-3"), replayed.get(3));
            TailDiscarded marker = (TailDiscarded) replayed.get(4);
            assertEquals(positions.get(4), marker.firstPosition());
            assertEquals(positions.get(4), marker.lastPosition());
            JournalCorruptionException e =
                    assertThrows(JournalCorruptionException.class, () -> journal.read(positions.get(4)));
            assertEquals(positions.get(4), e.position());
        }
    }

    @Test
    void severalTornRecordsAtTheEndAreOneTornTail() throws IOException {
        List<Long> positions = write(6);
        JournalCorruptor.flipByte(journalDir(), frame(4), 10);
        JournalCorruptor.tear(journalDir(), frame(5), 3);

        try (ChronicleJournal journal = open()) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            assertEquals(JournalTail.Kind.TORN, report.kind());
            assertEquals(positions.subList(4, 6), report.tornPositions());
            JournalTail.discardTornTail(journal, report, dir, NOW_MILLIS);
            assertEquals(
                    JournalTail.Kind.CLEAN,
                    JournalTail.check(journal, positions.get(3)).kind());
        }
    }

    @Test
    void aBadRecordFollowedByGoodOnesIsCorruptionNamingItsPosition() throws IOException {
        List<Long> positions = write(5);
        JournalCorruptor.flipByte(journalDir(), frame(2), RecordCodec.HEADER_BYTES + 1);

        try (ChronicleJournal journal = open()) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            assertEquals(JournalTail.Kind.CORRUPT, report.kind());
            assertEquals(positions.get(2), report.corruption().position());
            assertEquals(
                    RecordDecodeException.Reason.CRC_MISMATCH,
                    report.corruption().reason());
            assertTrue(
                    report.corruption().getMessage().contains("position " + positions.get(2)),
                    report.corruption().getMessage());

            JournalCorruptionException e = assertThrows(
                    JournalCorruptionException.class, () -> journal.replayFrom(Journal.NO_POSITION, (p, r) -> {}));
            assertEquals(positions.get(2), e.position());
            assertEquals(
                    JournalTail.Kind.CLEAN,
                    JournalTail.check(journal, positions.get(2)).kind());
        }
    }

    @Test
    void aTornTailIsNotDiscardedTwice() throws IOException {
        write(3);
        JournalCorruptor.tear(journalDir(), frame(2), 0);
        try (ChronicleJournal journal = open()) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            JournalTail.discardTornTail(journal, report, dir, NOW_MILLIS);
            JournalTail.Report again = JournalTail.check(journal, Journal.NO_POSITION);
            assertEquals(JournalTail.Kind.CLEAN, again.kind());
            assertNull(again.corruption());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> JournalTail.discardTornTail(journal, again, dir, NOW_MILLIS + 1));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    1,
                    files.filter(p -> p.getFileName().toString().startsWith("journal-broken-"))
                            .count());
        }
    }

    private List<Long> write(int count) {
        try (ChronicleJournal journal = open()) {
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                positions.add(journal.append(new WillFired("client-" + i)));
            }
            journal.sync();
            return positions;
        }
    }

    private static byte[] frame(int i) {
        return RecordCodec.encode(new WillFired("client-" + i));
    }

    private static List<JournalRecord> replayAll(Journal journal) {
        List<JournalRecord> records = new ArrayList<>();
        journal.replayFrom(Journal.NO_POSITION, (p, r) -> records.add(r));
        return records;
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private ChronicleJournal open() {
        return ChronicleJournal.open(journalDir(), SyncPolicy.FSYNC, JournalRollCycle.HOURLY, clock);
    }
}
