package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.testing.TestWallClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the tools' read-only view hands out exactly the documents the journal wrote, with their
 * positions, also while a writer keeps appending. Method: a ChronicleJournal appends the sample
 * records, on a clock standing just before an hour boundary so they stay in one cycle file; a
 * JournalReader on the same directory reads them back raw.
 */
class JournalReaderTest {
    private final TestWallClock clock = TestWallClock.beforeABoundary();

    @TempDir
    Path dir;

    @Test
    void readsEveryDocumentRawWithItsPositionWhileTheWriterAppends() {
        List<JournalRecord> records = SampleRecords.all();
        try (ChronicleJournal journal =
                ChronicleJournal.open(dir, SyncPolicy.PROCESS, JournalRollCycle.HOURLY, clock)) {
            List<Long> positions = new ArrayList<>();
            for (JournalRecord record : records) {
                positions.add(journal.append(record));
            }
            try (JournalReader reader = JournalReader.open(dir);
                    JournalReader.Cursor cursor = reader.cursor(-1)) {
                assertEquals(positions.get(0), reader.firstPosition());
                assertEquals(positions.get(positions.size() - 1), reader.lastPosition());
                assertEquals(records.size(), reader.documentCount());
                assertEquals(Optional.of(JournalRollCycle.HOURLY), reader.rollCycle());
                for (int i = 0; i < records.size(); i++) {
                    JournalReader.Document document = cursor.next();
                    assertEquals(positions.get(i), document.position());
                    assertArrayEquals(RecordCodec.encode(records.get(i)), document.bytes());
                }
                assertNull(cursor.next(), "at the end for now");

                long appended = journal.append(records.get(0));
                assertEquals(appended, cursor.next().position(), "the cursor follows new appends");
                assertEquals(1, reader.cycleFiles().size());
                assertTrue(reader.cycleFiles().get(0).bytes() > 0);
            }
        }
    }

    @Test
    void aCursorStartsAtAGivenPosition() {
        try (ChronicleJournal journal =
                ChronicleJournal.open(dir, SyncPolicy.PROCESS, JournalRollCycle.HOURLY, clock)) {
            long first = journal.append(SampleRecords.all().get(0));
            long second = journal.append(SampleRecords.all().get(1));
            try (JournalReader reader = JournalReader.open(dir);
                    JournalReader.Cursor cursor = reader.cursor(second)) {
                assertEquals(second, cursor.next().position());
                assertNull(cursor.next());
                assertTrue(first < second);
            }
        }
    }

    @Test
    void aDirectoryWithoutJournalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JournalReader.open(dir.resolve("nothing")));
    }
}
