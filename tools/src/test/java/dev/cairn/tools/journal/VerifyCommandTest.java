package dev.cairn.tools.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.Store;
import dev.cairn.storage.StoreConfig;
import dev.cairn.storage.TempStore;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: verify passes clean data directories and names every kind of damage with its position:
 * a corrupt record, a torn tail, and an index that does not match its journal. Method: the golden
 * journals, stores written through the real storage, and an index paired with the wrong journal.
 */
class VerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCleanJournalWithItsIndexVerifies() {
        GoldenJournals.write(dir);

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("good 16"), run.out());
        assertTrue(
                run.out().contains("index:   applied position")
                        && run.out().contains("6 queue entries")
                        && run.out().contains("1 retained messages"),
                run.out());
        assertTrue(run.out().contains("OK: no problems found"), run.out());
    }

    @Test
    void theCleanGoldenWithoutIndexVerifies() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        ToolRun run = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("index:   none"), run.out());
    }

    @Test
    void aFlippedByteIsCorruptionAtItsPosition() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir);
        long position = positionOfDocument(GoldenJournals.FLIPPED_RECORD);

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("PROBLEM at position " + position + ": corrupt record (CRC_MISMATCH"), run.out());
        assertTrue(run.out().contains("FAILED: 1 problem(s) found"), run.out());
    }

    @Test
    void aTornTailIsAProblemUntilRecoveryDiscardsIt() throws IOException {
        GoldenJournals.unpack(GoldenJournals.TORN_TAIL, dir);
        ToolRun torn = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.PROBLEMS, torn.exitCode(), torn.toString());
        assertTrue(torn.out().contains("torn tail (CRC_MISMATCH"), torn.out());

        Store.open(StoreConfig.defaults(dir)).close(); // Recovery discards the tail with a marker.

        ToolRun discarded = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, discarded.exitCode(), discarded.toString());
        assertTrue(discarded.out().contains("discarded by recovery 1"), discarded.out());
    }

    @Test
    void anIndexThatDoesNotMatchItsJournalIsReported() throws IOException {
        Path full = dir.resolve("full");
        GoldenJournals.write(full);
        Path shortDir = dir.resolve("short");
        try (TempStore store = TempStore.open(shortDir)) {
            store.commit(GoldenJournals.workload().subList(0, 2));
        }
        replaceIndex(shortDir, full);

        ToolRun run = ToolRun.run("verify", "--data-dir", shortDir);

        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("is after the journal's last position"), run.out());
        assertTrue(run.out().contains("queue entry of 'dashboard' (QUEUED) reads its message at"), run.out());
        assertTrue(run.out().contains("which holds no MessageStored or MessageRelocated record"), run.out());
        assertTrue(run.out().contains("index has session 'sensor' but the journal has no SessionOpened"), run.out());
        assertTrue(run.out().contains("index has 1 retained messages, the journal sets 0"), run.out());
    }

    @Test
    void journalOnlyCheckSkipsTheIndex() {
        GoldenJournals.write(dir);
        ToolRun run = ToolRun.run("verify", "--data-dir", dir, "--no-index");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("not checked (--no-index)"), run.out());
    }

    private long positionOfDocument(int index) {
        List<String> lines =
                ToolRun.run("dump", "--data-dir", dir, "--format", "json").lines();
        String rest = lines.get(index).substring("{\"position\":".length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
    }

    private static void replaceIndex(Path target, Path source) throws IOException {
        GoldenJournals.deleteTree(target.resolve("index"));
        Files.createDirectories(target.resolve("index"));
        try (Stream<Path> files = Files.list(source.resolve("index"))) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve("index").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
