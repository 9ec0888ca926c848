package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.testing.ChildBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: SIGTERM is a clean stop: exit code 0, the index is complete so the next start replays no
 * journal record, and sessions, queued messages and inbound QoS 2 state are intact. Method: a Paho
 * 3.1.1 subscriber's persistent session is offline while a raw publisher sends a random number of
 * QoS 1 and 2 messages and holds back some PUBRELs; when every flow has gone as far as it will,
 * the broker child gets SIGTERM. After the restart the log must say nothing (or 0) was replayed,
 * the subscriber gets every message (QoS 2 exactly once) and each held PUBREL gets PUBCOMP Success.
 */
class GracefulStopIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String Q1 = "crash/graceful/q1";
    private static final String Q2 = "crash/graceful/q2";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void sigtermStopsCleanlyAndTheRestartReplaysNothing() throws Exception {
        Rounds.run("graceful stop", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("data");
            Map<String, String> settings = Map.of("durability", "fsync");
            int messages = 20 + random.nextInt(500);
            RawPublisher publisher = new RawPublisher("publisher", Q1, Q2, seed, 0.3);

            // Arrange: messages queued for an offline session, inbound QoS 2 awaiting PUBREL.
            try (ChildBroker first = ChildBroker.start(data, dir, settings);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber")) {
                assertFalse(subscriber.connect(first), "a new session is not present");
                subscriber.subscribe(Q1, 1);
                subscriber.subscribe(Q2, 2);
                subscriber.disconnect();
                publisher.connect(first).startPublishing("m" + round, messages);
                publisher.awaitAllFinished(messages, TIMEOUT);
                assertEquals(publisher.published(), publisher.acknowledged(), "every message acknowledged");

                // Act: SIGTERM.
                assertEquals(0, first.stop(), "exit code after SIGTERM; log " + first.logFile());
                assertTrue(first.log().contains("Cairn stopped"), "clean stop logged; log " + first.logFile());
                publisher.awaitDead(TIMEOUT);
            }
            Set<String> acknowledged = new HashSet<>(publisher.acknowledged());

            // Assert: nothing to replay, everything still there.
            try (ChildBroker second = ChildBroker.start(data, dir, settings);
                    PahoSubscriber subscriber = new PahoSubscriber("subscriber")) {
                String context = " (" + acknowledged.size() + " messages; broker log " + second.logFile() + ")";
                assertEquals(0, second.replayedRecords(), "journal records replayed after a clean stop" + context);
                assertTrue(subscriber.connect(second), "the session survived the stop" + context);
                publisher.resume(second, TIMEOUT);
                publisher.publishAndAwait(Q1, QoS.AT_LEAST_ONCE, "fence-q1", TIMEOUT);
                publisher.publishAndAwait(Q2, QoS.EXACTLY_ONCE, "fence-q2", TIMEOUT);
                Set<String> expected = publisher.acknowledged();
                Conditions.await(
                        () -> expected.stream().allMatch(id -> subscriber.count(id) > 0),
                        TIMEOUT,
                        "every acknowledged id and both fences" + context,
                        () -> subscriber.counts().size() + " distinct ids arrived");
                List<String> problems = Ledger.check(
                        publisher.published(),
                        expected,
                        publisher::qosOf,
                        new HashSet<>(subscriber.counts().keySet()),
                        subscriber::count);
                problems.addAll(publisher.violations());
                problems.addAll(subscriber.violations());
                assertEquals(List.of(), problems, "the promise" + context);
            } finally {
                publisher.close();
            }
        });
    }
}
