package dev.cairn.tools.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.LiveBroker;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: rebuild-index produces an index that verifies and holds the same state, keeps or
 * discards the old one, refuses a corrupt journal without losing the old index, and refuses a
 * directory a broker holds. Method: the golden workload through the real storage; a real broker.
 */
class RebuildIndexCommandIT {
    @TempDir
    Path dir;

    @Test
    void rebuildsAnIndexThatVerifiesAndKeepsTheOldOne() throws IOException {
        GoldenJournals.write(dir);
        String statsBefore = ToolRun.run("stats", "--data-dir", dir).out().replaceAll("(?s)^.*\nindex [^\n]*\n", "");

        ToolRun run = ToolRun.run("rebuild-index", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("applied 16 records"), run.out());
        assertEquals(1, oldIndexes(), "the old index is kept");
        assertEquals(ExitCode.OK, ToolRun.run("verify", "--data-dir", dir).exitCode());
        String statsAfter = ToolRun.run("stats", "--data-dir", dir).out().replaceAll("(?s)^.*\nindex [^\n]*\n", "");
        assertEquals(statsBefore, statsAfter, "the same sessions, queues and retained messages");
    }

    @Test
    void discardOldLeavesNoCopyAndAMissingIndexIsBuilt() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        ToolRun run = ToolRun.run("rebuild-index", "--data-dir", dir, "--discard-old");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals(0, oldIndexes());
        assertTrue(ToolRun.run("stats", "--data-dir", dir).out().contains("queued messages: 6"));
    }

    @Test
    void aCorruptJournalIsRefusedAndTheOldIndexStays() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir);
        Files.createDirectories(dir.resolve("index"));
        Files.writeString(dir.resolve("index/marker"), "old");

        ToolRun run = ToolRun.run("rebuild-index", "--data-dir", dir);

        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        assertTrue(run.out().contains("is corrupt") && run.out().contains("run repair first"), run.out());
        assertEquals("old", Files.readString(dir.resolve("index/marker")));
        assertEquals(0, oldIndexes());
    }

    @Test
    void aTornTailIsNotApplied() throws IOException {
        GoldenJournals.unpack(GoldenJournals.TORN_TAIL, dir);
        ToolRun run = ToolRun.run("rebuild-index", "--data-dir", dir);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("applied 15 records") && run.out().contains("not applied: torn tail"), run.out());
    }

    @Test
    void refusesWithExitCode3WhileABrokerHoldsTheLock() throws Exception {
        try (LiveBroker broker = LiveBroker.start(dir)) {
            ToolRun run = ToolRun.run("rebuild-index", "--data-dir", dir);
            assertEquals(ExitCode.LOCKED, run.exitCode(), run.toString());
            assertTrue(run.err().contains("cairn.lock"), run.err());
        }
        assertFalse(Files.exists(dir.resolve("index.old")));
        assertEquals(0, oldIndexes());
    }

    private long oldIndexes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("index.old-"))
                    .count();
        }
    }
}
