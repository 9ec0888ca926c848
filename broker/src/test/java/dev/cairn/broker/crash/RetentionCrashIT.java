package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: kill -9 while retention relocates queued messages and deletes journal cycle files loses
 * nothing acknowledged (docs/durability.md, "Retention"). Method: the child broker's wall clock
 * runs 300 times faster than real time, so five-minute journal cycles roll every second, and
 * retention runs every second, relocating queued messages older than one cycle in small batches
 * and deleting the cycles nothing needs any more. A Paho 3.1.1 persistent subscriber is offline;
 * a raw MQTT 5 publisher sends a burst of QoS 1 and 2 messages, all acknowledged; the broker is
 * killed at a seeded random retention step (the k-th relocation or deletion it logs). A new broker
 * on the same data directory (same clock) must deliver every acknowledged id: QoS 1 at least
 * once, QoS 2 exactly once.
 */
class RetentionCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String Q1 = "crash/retention/q1";
    private static final String Q2 = "crash/retention/q2";
    private static final long SPEEDUP = 300; // A five-minute cycle per second.
    private static final Pattern RETENTION_STEP = Pattern.compile("retention (relocated|deleted) ");
    private static final Map<String, String> SETTINGS = Map.of(
            "durability", "fsync",
            "journal_roll_cycle", "five-minutely",
            "journal_retention_check_seconds", "1",
            "journal_relocate_after_cycles", "1",
            "journal_relocate_batch_max", "400");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void everyAcknowledgedMessageSurvivesKill9DuringRelocationAndDeletion() throws Exception {
        Rounds.run("retention", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("data");
            long epochBase = System.currentTimeMillis();
            int burst = 1_000 + random.nextInt(2_000);
            int killAtStep = 1 + random.nextInt(6);
            RawPublisher publisher = new RawPublisher("publisher", Q1, Q2, seed, 0.0);
            String firstLog;

            // Arrange: an offline persistent session, then a burst queued for it and acknowledged.
            try (ChildBroker first = ChildBroker.startWithFastWallClock(data, dir, SETTINGS, SPEEDUP, epochBase);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber")) {
                assertFalse(subscriber.connect(first), "a new session is not present");
                subscriber.subscribe(Q1, 1);
                subscriber.subscribe(Q2, 2);
                subscriber.disconnect();
                publisher.connect(first).startPublishing("m" + round, burst);
                publisher.awaitAllFinished(burst, TIMEOUT);

                // Act: kill -9 right after the broker logs its k-th retention step, and not before it
                // relocated anything: when the burst starts in a later cycle than the subscription,
                // the first step can be the deletion of that cycle, with no relocation yet.
                Conditions.await(
                        () -> retentionSteps(first.log()) >= killAtStep
                                && first.log().contains("retention relocated"),
                        TIMEOUT,
                        killAtStep + " retention steps including a relocation",
                        () -> retentionSteps(first.log()) + " so far");
                first.kill9();
                publisher.awaitDead(TIMEOUT);
                publisher.close();
                firstLog = first.log();
            }
            Set<String> acknowledged = new HashSet<>(publisher.acknowledged());
            assertTrue(publisher.violations().isEmpty(), "publisher saw: " + publisher.violations());
            assertEquals(burst, acknowledged.size(), "the whole burst was acknowledged before the kill");
            assertTrue(firstLog.contains("retention relocated"), "retention relocated queued messages before the kill");

            // Assert: the restarted broker delivers every acknowledged id.
            try (ChildBroker second = ChildBroker.startWithFastWallClock(data, dir, SETTINGS, SPEEDUP, epochBase);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber");
                    RawPublisher fence = new RawPublisher("fence", Q1, Q2, seed, 0.0)) {
                String context = " (" + acknowledged.size() + " acknowledged, killed after retention step "
                        + killAtStep + ", " + (firstLog.contains("retention deleted") ? "after" : "before")
                        + " the first deletion; broker log " + second.logFile() + ")";
                List<String> problems =
                        AfterRestart.collect(second, subscriber, fence, Q1, Q2, publisher, TIMEOUT, context);
                assertEquals(List.of(), problems, "the promise" + context);
            }
        });
    }

    private static int retentionSteps(String log) {
        Matcher m = RETENTION_STEP.matcher(log);
        int steps = 0;
        while (m.find()) {
            steps++;
        }
        return steps;
    }
}
