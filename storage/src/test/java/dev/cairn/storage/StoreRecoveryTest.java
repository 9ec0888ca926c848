package dev.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.index.OldIndexFormats;
import dev.cairn.storage.index.Subscription;
import dev.cairn.storage.journal.JournalCorruptionException;
import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.journal.JournalTail;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.TailDiscarded;
import dev.cairn.storage.testing.TestWallClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every kind of damage to a data directory has one written, tested outcome (ARCHITECTURE.md,
 * "Recovery is a main path"). Method: a store takes a session, a subscription and {@value #MESSAGES} queued
 * messages, the index applies the first {@code applied} records, the store closes, the row's
 * corruption is done to the closed files, and the store is opened again.
 */
class StoreRecoveryTest {
    private static final int MESSAGES = 6;
    private static final int RECORDS = MESSAGES + 2;

    enum Outcome {
        /** Opens; every record is in the index. */
        OPENS_WITH_ALL,
        /** Opens; the last record is discarded as a torn tail, copied to journal-broken-*. */
        OPENS_WITHOUT_LAST,
        /** Opens (the damage is in records already applied); reading the damaged record fails. */
        OPENS_DAMAGE_FOUND_ON_READ,
        /** Refuses to open with a message that says what to do. */
        REFUSES
    }

    interface Corruption {
        void apply(Path dataDir, Path journalDir) throws IOException;
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                row("nothing damaged", RECORDS, OpenScan.UNAPPLIED_TAIL, (d, j) -> {}, Outcome.OPENS_WITH_ALL, ""),
                row("index behind journal", 3, OpenScan.UNAPPLIED_TAIL, (d, j) -> {}, Outcome.OPENS_WITH_ALL, ""),
                row(
                        "index deleted",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> deleteTree(d.resolve("index")),
                        Outcome.OPENS_WITH_ALL,
                        ""),
                row(
                        "last record torn (zeroed after its header)",
                        RECORDS - 1,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.tear(j, frame(RECORDS - 1), RecordCodec.HEADER_BYTES),
                        Outcome.OPENS_WITHOUT_LAST,
                        ""),
                row(
                        "cycle file truncated inside the last record",
                        RECORDS - 1,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.truncateInside(j, frame(RECORDS - 1), 5),
                        Outcome.OPENS_WITHOUT_LAST,
                        ""),
                row(
                        "last record torn and index deleted",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> {
                            deleteTree(d.resolve("index"));
                            JournalCorruptor.tear(j, frame(RECORDS - 1), 1);
                        },
                        Outcome.OPENS_WITHOUT_LAST,
                        ""),
                row(
                        "byte flipped mid-journal, not yet applied",
                        2,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.flipByte(j, frame(4), 20),
                        Outcome.REFUSES,
                        "cairn-tools.jar repair --data-dir"),
                row(
                        "byte flipped mid-journal, already applied, whole-journal scan",
                        RECORDS,
                        OpenScan.WHOLE_JOURNAL,
                        (d, j) -> JournalCorruptor.flipByte(j, frame(4), 20),
                        Outcome.REFUSES,
                        "cairn-tools.jar repair --data-dir"),
                row(
                        "byte flipped mid-journal, already applied, tail scan",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.flipByte(j, frame(4), 20),
                        Outcome.OPENS_DAMAGE_FOUND_ON_READ,
                        "4"),
                row(
                        "applied last record cut off the journal (index ahead)",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.truncateInside(j, frame(RECORDS - 1), -4),
                        Outcome.REFUSES,
                        "synced journal records are missing"),
                row(
                        "last record torn after the index applied it",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> JournalCorruptor.tear(j, frame(RECORDS - 1), RecordCodec.HEADER_BYTES),
                        Outcome.OPENS_DAMAGE_FOUND_ON_READ,
                        String.valueOf(RECORDS - 1)),
                row(
                        "index format value empty",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> formatValue(d, new byte[0]),
                        Outcome.REFUSES,
                        "the index in {index} is corrupt: its format value is empty"),
                row(
                        "index format value of two bytes",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> formatValue(d, new byte[] {4, 4}),
                        Outcome.REFUSES,
                        "the index in {index} is corrupt: its format value has 2 bytes"),
                row(
                        "index format newer than this Cairn",
                        RECORDS,
                        OpenScan.UNAPPLIED_TAIL,
                        (d, j) -> formatValue(d, new byte[] {99}),
                        Outcome.REFUSES,
                        "the index in {index} has format 99, this Cairn reads 5 and older"));
    }

    private static void formatValue(Path dataDir, byte[] value) throws IOException {
        try {
            OldIndexFormats.writeFormatValue(dataDir.resolve("index"), value);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot rewrite the index's format value", e);
        }
    }

    private static Arguments row(
            String name, int applied, OpenScan scan, Corruption corruption, Outcome outcome, String detail) {
        return Arguments.of(name, applied, scan, corruption, outcome, detail);
    }

    /** The clock every open of the directory in a row uses: the rows' records share one cycle file. */
    private final TestWallClock clock = TestWallClock.beforeABoundary();

    @TempDir
    Path dir;

    /**
     * @param detail for REFUSES, a part of the expected message ({@code {index}} for the index
     *     directory); for OPENS_DAMAGE_FOUND_ON_READ,
     *     the index of the damaged record in the workload
     */
    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("corruptions")
    void eachCorruptionHasItsOutcome(
            String name, int applied, OpenScan scan, Corruption corruption, Outcome outcome, String detail)
            throws IOException {
        StoreConfig config = StoreConfig.defaults(dir).withOpenScan(scan);
        List<PositionedRecord> written;
        try (TempStore store = TempStore.open(config, clock)) {
            written = store.appendAndSync(workload());
            store.store().index().apply(written.subList(0, applied));
        }
        corruption.apply(dir, config.journalDirectory());

        if (outcome == Outcome.REFUSES) {
            StoreOpenException e = assertThrows(StoreOpenException.class, () -> Store.open(config, clock));
            String expected = detail.replace("{index}", config.indexDirectory().toString());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertThrows(
                    StoreOpenException.class, () -> Store.open(config, clock), "refuses again: the lock was released");
            return;
        }
        try (Store store = Store.open(config, clock)) {
            check(store, written, outcome, detail);
        }
    }

    private void check(Store store, List<PositionedRecord> written, Outcome outcome, String detail) throws IOException {
        long last = written.get(RECORDS - 1).position();
        switch (outcome) {
            case OPENS_WITH_ALL:
                assertEquals(last, store.index().appliedPosition());
                assertEquals(MESSAGES, store.index().queueDepth("a").messages());
                assertEquals(JournalTail.Kind.CLEAN, store.tailReport().kind());
                assertEquals(
                        List.of(new Subscription("t/#", 1, 0)),
                        store.recoveredState().sessions().get(0).subscriptions());
                break;
            case OPENS_WITHOUT_LAST:
                assertEquals(JournalTail.Kind.TORN, store.tailReport().kind());
                assertEquals(List.of(last), store.tailReport().tornPositions());
                assertEquals(MESSAGES - 1, store.index().queueDepth("a").messages());
                assertEquals(1, brokenCopies());
                TailDiscarded marker =
                        (TailDiscarded) store.journal().read(store.journal().lastAppendedPosition());
                assertEquals(last, marker.firstPosition());
                break;
            case OPENS_DAMAGE_FOUND_ON_READ:
                assertEquals(MESSAGES, store.index().queueDepth("a").messages());
                long damaged = written.get(Integer.parseInt(detail)).position();
                JournalCorruptionException e = assertThrows(
                        JournalCorruptionException.class, () -> store.journal().read(damaged));
                assertEquals(damaged, e.position());
                break;
            default:
                throw new AssertionError(outcome);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedAndNamesTheHolder() {
        try (TempStore store = TempStore.open(dir)) {
            StoreOpenException e = assertThrows(StoreOpenException.class, () -> Store.open(store.config()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        try (TempStore again = TempStore.open(dir)) {
            assertEquals(JournalTail.Kind.CLEAN, again.store().tailReport().kind());
        }
    }

    @Test
    void recoveredStateResumesSessionsAfterReopen() {
        try (TempStore store = TempStore.open(dir)) {
            store.commit(workload());
            Store reopened = store.reopen();
            assertEquals(1, reopened.recoveredState().sessions().size());
            assertEquals(
                    MESSAGES,
                    reopened.recoveredState().sessions().get(0).queueDepth().messages());
            long next = reopened.journal().append(new SessionOpened("b", true, 0, 4, 1, null));
            assertTrue(next > reopened.index().appliedPosition());
        }
    }

    static List<JournalRecord> workload() {
        List<JournalRecord> records = new ArrayList<>();
        records.add(new SessionOpened("a", false, 3600, 5, 1000, null));
        records.add(new Subscribed("a", "t/#", 1, 0));
        for (int i = 0; i < MESSAGES; i++) {
            records.add(message(i));
        }
        return records;
    }

    private static MessageStored message(int i) {
        return SampleRecords.message("pub", "t/" + i, 1, List.of(new Recipient("a", 1, false, new int[0])));
    }

    private static byte[] frame(int recordIndex) {
        return RecordCodec.encode(workload().get(recordIndex));
    }

    private long brokenCopies() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("journal-broken-"))
                    .count();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
