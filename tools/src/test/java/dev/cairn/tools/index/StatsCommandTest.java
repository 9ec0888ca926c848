package dev.cairn.tools.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: stats reports what the directory holds and which session pins the oldest journal
 * position. Method: the golden workload written through the real storage (index included), and
 * the golden journal alone.
 */
class StatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsRecordsSessionsQueuesRetainedAndTheOldestNeededPosition() {
        List<PositionedRecord> written = GoldenJournals.write(dir);
        long secondMessage = written.get(4).position(); // The first was acknowledged.

        ToolRun run = ToolRun.run("stats", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        String out = run.out();
        assertTrue(out.matches("(?s).*MESSAGE_STORED\\s+7\\s+\\d+.*"), out);
        assertTrue(out.matches("(?s).*total\\s+16\\s+\\d+.*"), out);
        assertTrue(out.matches("(?s).*\\.cq4\\s+\\d+\\s+\\d+\\s+16\n.*"), out);
        assertTrue(out.contains("sessions: 2 (1 online, 1 offline)"), out);
        // Topic plus payload of the six queued: 2 x (23 + 9) on line1/temperature, 17 + 9 on line1/state,
        // 23 + 10 on line2/temperature and 2 x (23 + 10) on line1/temperature again.
        long queuedBytes = 2 * 32 + 26 + 33 + 2 * 33;
        assertTrue(
                out.matches(
                        "(?s).*dashboard\\s+offline\\s+3600s\\s+2026-01-01T01:00:08Z\\s+6\\s+" + queuedBytes + "\n.*"),
                out);
        assertTrue(out.contains("queued messages: 6 in 1 queue(s), " + queuedBytes + " bytes"), out);
        assertTrue(out.contains("retained messages: 1"), out);
        assertTrue(out.contains("oldest position still needed: " + secondMessage), out);
        assertTrue(out.contains("by the queue of 'dashboard' (6 entries)"), out);
    }

    @Test
    void withoutIndexShowsTheJournalOnly() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir);
        ToolRun run = ToolRun.run("stats", "--data-dir", dir);
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("damaged documents: {CORRUPT=1}"), run.out());
        assertTrue(run.out().contains("index: none"), run.out());
    }
}
