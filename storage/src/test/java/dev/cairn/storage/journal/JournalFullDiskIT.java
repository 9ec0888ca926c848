package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.testing.SmallFileSystem;
import dev.cairn.storage.testing.TestWallClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: on a full disk the journal refuses a record with {@link JournalFullException} before it
 * touches the file, instead of storing it through the memory map into a block the file system
 * cannot allocate (a SIGBUS, which the JVM throws as an {@code InternalError} from inside
 * Chronicle, or which kills it). Everything appended before reads back whole, there is no torn
 * record, and once space is back the journal takes records again. Method: a 48 MiB tmpfs and a
 * 48 MiB ext4 image of their own ({@link SmallFileSystem}), under both sync policies, filled by a
 * file the test writes and deletes.
 */
class JournalFullDiskIT {
    private static final long FS_BYTES = 48L << 20;
    private static final int PAYLOAD_BYTES = 4_000;
    /** Stands still: the only cycle file is the one the first append makes, full disk or not. */
    private final TestWallClock clock = TestWallClock.beforeABoundary();

    static Stream<Arguments> fileSystemsAndPolicies() {
        List<Arguments> cases = new ArrayList<>();
        for (SmallFileSystem.Kind kind : SmallFileSystem.Kind.values()) {
            for (SyncPolicy policy : SyncPolicy.values()) {
                cases.add(Arguments.of(kind, policy));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("fileSystemsAndPolicies")
    void aFullDiskRefusesAppendsBeforeTheyTouchTheFileAndTheJournalReadsBackWhole(
            SmallFileSystem.Kind kind, SyncPolicy policy) throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(kind, FS_BYTES)) {
            Path dir = fs.root().resolve("journal");
            List<JournalRecord> appended = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            try (ChronicleJournal journal = ChronicleJournal.open(dir, policy, JournalRollCycle.HOURLY, clock)) {
                append(journal, appended, positions, 0);
                journal.sync();
                Path filler = fs.fillCompletely();

                // Act: append until the journal refuses; before the fix the appends went on into
                // unallocated blocks and the memory map faulted.
                JournalFullException refused = null;
                for (int i = 1; i < 100_000 && refused == null; i++) {
                    try {
                        append(journal, appended, positions, i);
                    } catch (JournalFullException e) {
                        refused = e;
                    }
                }
                assertNotNull(refused, "the journal never refused on a full file system");
                assertTrue(journal.spaceExhausted(), "a refusal leaves the journal marked short of space");
                long refusedAfter = journal.lastAppendedPosition();
                assertThrows(JournalFullException.class, () -> journal.append(record(-1)), "still full: still refused");
                assertEquals(refusedAfter, journal.lastAppendedPosition(), "a refused record appends nothing");
                journal.sync();

                // Space comes back: the journal takes records again.
                Files.delete(filler);
                assertTrue(journal.retrySpace(), "space is back: the journal writes ahead again");
                for (int i = 0; i < 10; i++) {
                    append(journal, appended, positions, 1_000_000 + i);
                }
                journal.sync();
            }

            // Assert: reopened, the journal is clean and every record reads back as appended.
            try (ChronicleJournal reopened = ChronicleJournal.open(dir, policy, JournalRollCycle.HOURLY, clock)) {
                JournalTail.Report report = JournalTail.check(reopened, Journal.NO_POSITION);
                assertEquals(JournalTail.Kind.CLEAN, report.kind(), report.toString());
                assertEquals(appended.size(), report.recordsChecked(), report.toString());
                for (int i = 0; i < appended.size(); i++) {
                    assertEquals(appended.get(i), reopened.read(positions.get(i)), "record " + i);
                }
            }
        }
    }

    private static void append(ChronicleJournal journal, List<JournalRecord> appended, List<Long> positions, int i) {
        JournalRecord record = record(i);
        positions.add(journal.append(record));
        appended.add(record);
    }

    private static MessageStored record(int i) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        for (int b = 0; b < payload.length; b++) {
            payload[b] = (byte) (1 + (i + b) % 251);
        }
        return new MessageStored(
                "pub",
                "t/" + i,
                1,
                false,
                new byte[0],
                payload,
                1_700_000_000_000L + i,
                -1,
                List.of(new Recipient("sub", 1, false, new int[0])));
    }
}
