package dev.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: kill -9 loses nothing that was reported synced. Method: a child JVM ({@link CrashChild})
 * appends and syncs in a loop and reports each synced record on stdout; after a random number of
 * reports the parent SIGKILLs it, reads every report that made it into the pipe, reopens the store
 * and checks each reported record at its position, CRC-valid and equal to what was written.
 * Two rounds on the same directory, so recovery after a crash is itself crashed into.
 */
class KillNineIT {
    private static final List<String> CHRONICLE_FLAGS = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true",
            "-Dchronicle.disk.monitor.disable=true",
            "-Dorg.slf4j.simpleLogger.log.net.openhft=warn");

    @TempDir
    Path dir;

    @Test
    void everyRecordReportedSyncedSurvivesSigkill() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long reportedTotal = 0;
        for (int round = 0; round < 2; round++) {
            int killAfterReports = 100 + random.nextInt(3000);
            List<long[]> synced = runAndKill(killAfterReports);
            assertTrue(synced.size() >= killAfterReports, "seed " + seed + ": saw " + synced.size() + " reports");
            reportedTotal += synced.size();

            try (Store store = Store.open(StoreConfig.defaults(dir))) {
                for (long[] report : synced) {
                    assertEquals(
                            CrashChild.record(report[0]),
                            store.journal().read(report[1]),
                            "seed " + seed + ", round " + round + ", sequence " + report[0]);
                }
                long depth = store.index().queueDepth("subscriber").messages();
                assertTrue(
                        depth >= reportedTotal,
                        "seed " + seed + ": index holds " + depth + " entries, " + reportedTotal
                                + " were reported synced");
            }
        }
    }

    /** Runs the child until it has reported {@code killAfterReports} synced records, then SIGKILLs it. */
    private List<long[]> runAndKill(int killAfterReports) throws IOException, InterruptedException {
        Process child = startChild();
        List<long[]> synced = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("synced ")) {
                    String[] parts = line.split(" ");
                    synced.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                    if (synced.size() == killAfterReports) {
                        // SIGKILL through the handle: Process.destroyForcibly would also close our
                        // end of the pipe, and the reports already in it must still be read.
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        return synced;
    }

    private Process startChild() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-ea");
        command.addAll(CHRONICLE_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(dir.toString());
        return new ProcessBuilder(command)
                .redirectError(new File(dir.toFile(), "child-stderr.log"))
                .start();
    }
}
