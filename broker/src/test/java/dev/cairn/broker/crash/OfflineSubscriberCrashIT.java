package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: a message the broker acknowledged (PUBACK, or PUBREC for QoS 2) survives kill -9 and
 * reaches a subscriber whose persistent session was offline the whole time, under both durability
 * policies. Method: a Paho 3.1.1 subscriber (clean session 0) subscribes to a QoS 1 and a QoS 2
 * topic and disconnects; a raw MQTT 5 publisher pipelines QoS 1 and 2 messages whose payload is a
 * unique id and records every ack; after a seeded random number of acks the broker child gets
 * SIGKILL. A new broker on the same data directory must give the subscriber its session back and
 * every acknowledged id: QoS 1 at least once, QoS 2 exactly once, nothing never published.
 * Collection ends on fences: one message per topic published after the restart, which the
 * per-session order [MQTT-4.6.0-6] puts behind everything queued before it.
 */
class OfflineSubscriberCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String Q1 = "crash/offline/q1";
    private static final String Q2 = "crash/offline/q2";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @ParameterizedTest(name = "durability={0}")
    @ValueSource(strings = {"fsync", "process"})
    void everyAcknowledgedMessageReachesAnOfflineSubscriberAfterKill9(String durability) throws Exception {
        killDuringBurst(
                "offline subscriber (durability " + durability + ")",
                Map.of("durability", durability),
                20,
                800,
                dir -> {});
    }

    /**
     * The same with the index's memtables bounded at 4 MiB (index_memory_max_bytes) and a burst
     * long enough that they are flushed to SST files while it runs: a flush the bound forces is
     * atomic across column families like every other, so the index's applied position never runs
     * ahead of what it stored, and recovery replays the rest of the journal.
     */
    @Test
    void survivesKill9WhileTheIndexFlushesUnderItsMemoryBound() throws Exception {
        killDuringBurst(
                "offline subscriber, index bounded at 4 MiB",
                Map.of("durability", "fsync", "index_memory_max_bytes", Long.toString(4L << 20)),
                20_000,
                20_000,
                dir -> assertTrue(
                        sstFiles(dir.resolve("data").resolve("index")) > 0,
                        "the index flushed to SST files during the burst (it is never closed before the kill)"));
    }

    private void killDuringBurst(
            String name, Map<String, String> settings, int acksMin, int acksSpread, AfterKill afterKill)
            throws Exception {
        Rounds.run(name, (round, seed, random) -> {
            Path dir = tmp.resolve(name.replaceAll("[^a-z0-9]+", "-") + "-" + round);
            Path data = dir.resolve("data");
            int killAfterAcks = acksMin + random.nextInt(acksSpread);
            RawPublisher publisher = new RawPublisher("publisher", Q1, Q2, seed, 0.0);

            // Arrange: the persistent session exists and is offline.
            try (ChildBroker first = ChildBroker.start(data, dir, settings);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber")) {
                assertFalse(subscriber.connect(first), "a new session is not present");
                subscriber.subscribe(Q1, 1);
                subscriber.subscribe(Q2, 2);
                subscriber.disconnect();

                // Act: publish as fast as the window allows, kill -9 after a random number of acks.
                publisher.connect(first).startPublishing("m" + round, 1_000_000);
                publisher.awaitAcknowledged(killAfterAcks, TIMEOUT);
                first.kill9();
                publisher.awaitDead(TIMEOUT);
                publisher.close();
            }
            afterKill.check(dir);
            Set<String> published = new HashSet<>(publisher.published());
            Set<String> acknowledged = new HashSet<>(publisher.acknowledged());
            assertTrue(publisher.violations().isEmpty(), "publisher saw: " + publisher.violations());

            // Assert: the restarted broker delivers every acknowledged id.
            try (ChildBroker second = ChildBroker.start(data, dir, settings);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber");
                    RawPublisher fence = new RawPublisher("fence", Q1, Q2, seed, 0.0)) {
                String context = " (" + acknowledged.size() + " acknowledged of " + published.size()
                        + " published; broker log " + second.logFile() + ")";
                List<String> problems =
                        AfterRestart.collect(second, subscriber, fence, Q1, Q2, publisher, TIMEOUT, context);
                assertEquals(List.of(), problems, "the promise" + context);
            }
        });
    }

    /** A check on the data directory between the kill and the restart. */
    private interface AfterKill {
        void check(Path dir) throws Exception;
    }

    private static long sstFiles(Path indexDirectory) throws IOException {
        try (Stream<Path> files = Files.list(indexDirectory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst"))
                    .count();
        }
    }
}
