package dev.cairn.tools.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.TempStore;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Goal: dump shows every journal document readably, filters by position, time, type, client and
 * topic, marks damaged documents with their verdict, and follows a live journal. Method: run the
 * command in-process on the golden journals and on a store that is open and being written.
 */
class DumpCommandTest {
    @TempDir
    Path dir;

    @Test
    void tableShowsEveryRecordOfTheCleanGolden() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);

        ToolRun run = ToolRun.run("dump", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        int records = GoldenJournals.workload().size();
        assertEquals(records + 2, run.lines().size(), run.out());
        assertTrue(run.lines().get(0).startsWith("POSITION"), run.out());
        assertTrue(run.out().contains("SESSION_OPENED") && run.out().contains("client=dashboard cleanStart=false"));
        assertTrue(run.out().contains("2026-01-01T00:00:02Z"), "record times are shown");
        assertTrue(run.out().contains(records + " of " + records + " documents shown"), run.out());
    }

    /** From format version 4 a session's owner is shown; older journals' records do not have one. */
    @Test
    void tableShowsTheOwnerOfEachSessionOfAVersion4Journal() throws IOException {
        GoldenJournals.unpack(GoldenJournals.clean(4), dir);

        ToolRun run = ToolRun.run("dump", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(
                run.out()
                        .contains("client=dashboard cleanStart=false expiry=3600s protocol=5 listener=default"
                                + " user=viewer"),
                run.out());
        assertTrue(run.out().contains("listener=default user=(none)"), run.out());
    }

    @Test
    void jsonLinesCarryDecodedPropertiesAndPayloadInTheChosenEncoding() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);

        ToolRun run = ToolRun.run(
                "dump",
                "--data-dir",
                dir,
                "--format",
                "json",
                "--payload",
                "utf8",
                "--type",
                "message_stored",
                "--topic",
                "plant/+/temperature",
                "--client-id",
                "sensor");

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals(6, run.lines().size(), run.out());
        String line2 = run.lines().stream()
                .filter(l -> l.contains("plant/line2"))
                .findFirst()
                .orElseThrow();
        assertTrue(line2.startsWith("{\"position\":"), line2);
        assertTrue(line2.contains("\"payload\":\"reading 10\""), line2);
        assertTrue(line2.contains("\"contentType\":\"text/plain\""), line2);
        assertTrue(line2.contains("\"userProperties\":[[\"site\",\"north\"],[\"unit\",\"celsius\"]]"), line2);
        assertTrue(line2.contains("\"correlationData\":\"Y29yci00Mg==\""), line2);
    }

    @Test
    void positionAndTimeRangesSelectRecords() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        List<String> all =
                ToolRun.run("dump", "--data-dir", dir, "--format", "json").lines();
        long third = positionOf(all.get(2));
        long fifth = positionOf(all.get(4));

        List<String> range = ToolRun.run(
                        "dump", "--data-dir", dir, "--format", "json", "--from-position", third, "--to-position", fifth)
                .lines();
        assertEquals(3, range.size());
        assertEquals(third, positionOf(range.get(0)));

        List<String> timed = ToolRun.run(
                        "dump",
                        "--data-dir",
                        dir,
                        "--format",
                        "json",
                        "--since",
                        "2026-01-01T00:00:02Z",
                        "--until",
                        "1767225604000")
                .lines();
        assertEquals(2, timed.size(), String.join("\n", timed));
        assertTrue(timed.stream().allMatch(l -> l.contains("MESSAGE_STORED")));
    }

    @Test
    void damagedDocumentsAreShownWithTheirVerdict() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir.resolve("flipped"));
        GoldenJournals.unpack(GoldenJournals.TORN_TAIL, dir.resolve("torn"));

        ToolRun flipped = ToolRun.run("dump", "--data-dir", dir.resolve("flipped"));
        ToolRun torn = ToolRun.run("dump", "--data-dir", dir.resolve("torn"), "--format", "json");

        assertEquals(ExitCode.OK, flipped.exitCode());
        assertTrue(flipped.lines().get(1 + GoldenJournals.FLIPPED_RECORD).contains("BAD/CORRUPT"), flipped.out());
        assertTrue(flipped.out().contains("CRC_MISMATCH"), flipped.out());
        String last = torn.lines().get(torn.lines().size() - 1);
        assertTrue(last.contains("\"verdict\":\"TORN\""), last);
    }

    @Test
    void followShowsRecordsAppendedWhileItRuns() throws Exception {
        try (TempStore store = TempStore.open(dir)) {
            store.commit(List.of(new SessionOpened("first", true, 0, 5, 1, null)));
            StringWriter out = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread follower = new Thread(() -> {
                CommandLine cli = dev.cairn.tools.Main.commandLine();
                cli.setOut(new PrintWriter(out, true));
                exit.set(cli.execute("dump", "--data-dir", dir.toString(), "--follow", "--poll-interval-ms", "20"));
            });
            follower.start();
            awaitContains(out, "client=first");

            store.commit(List.of(new SessionOpened("second", true, 0, 5, 2, null)));
            awaitContains(out, "client=second");

            follower.interrupt();
            follower.join(5_000);
            assertEquals(ExitCode.OK, exit.get());
        }
    }

    @Test
    void helpListsExitCodesAndABadOptionIsAUsageError() {
        ToolRun help = ToolRun.run("dump", "--help");
        assertEquals(ExitCode.OK, help.exitCode());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("locked by a running broker"), help.out());
        assertEquals(
                ExitCode.USAGE,
                ToolRun.run("dump", "--data-dir", dir, "--format", "xml").exitCode());
        assertEquals(
                ExitCode.USAGE,
                ToolRun.run("dump", "--data-dir", dir, "--topic", "a/#/b").exitCode());
        assertEquals(
                ExitCode.PROBLEMS,
                ToolRun.run("dump", "--data-dir", dir.resolve("none")).exitCode());
    }

    private static long positionOf(String jsonLine) {
        String rest = jsonLine.substring("{\"position\":".length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
    }

    static void awaitContains(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in:\n" + out);
            }
            Thread.sleep(20);
        }
    }
}
