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
 * Goal: kill -9 in the middle of traffic loses no acknowledged message and breaks no QoS 2 flow
 * in either direction; the restarted broker resumes each where it stood. Method: a raw MQTT 5
 * subscriber with a persistent session stays connected and acknowledges slowly and only partly
 * ({@link RawSubscriber}: PUBACK, PUBREC and PUBCOMP each sent at once, later, or not at all), so
 * outbound deliveries are in flight awaiting PUBACK, PUBREC and PUBCOMP; a raw publisher
 * ({@link RawPublisher}) pipelines QoS 1 and 2 messages and holds back some PUBRELs, so inbound
 * QoS 2 messages await PUBREL. After a seeded random number of acks the broker gets SIGKILL and
 * restarts on the same data. Then: the publisher resumes its session (QoS 1 without PUBACK is
 * sent again with DUP, so is QoS 2 without PUBREC, every held PUBREL is sent and must get
 * PUBCOMP with Success: the broker remembered the packet id), and the subscriber gets every
 * acknowledged id, QoS 2 exactly once across the restart, with each open flow resumed (same
 * packet id, DUP) rather than restarted. A QoS 2 PUBLISH re-sent after the crash must not be
 * routed twice: its message and its packet id are one journal record (format version 2).
 */
class InflightCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String Q1 = "crash/inflight/q1";
    private static final String Q2 = "crash/inflight/q2";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void flowsInFlightInBothDirectionsResumeAfterKill9() throws Exception {
        Rounds.run("in-flight flows", (round, seed, random) -> {
            Path dir = tmp.resolve("round-" + round);
            Path data = dir.resolve("data");
            Map<String, String> settings = Map.of("durability", "fsync");
            int killAfterAcks = 20 + random.nextInt(800);
            RawPublisher publisher = new RawPublisher("publisher", Q1, Q2, seed, 0.05);
            RawSubscriber subscriber = new RawSubscriber("subscriber", seed + 1, 20 + random.nextInt(100));

            // Arrange: the subscriber is connected and acknowledging badly; the publisher pipelines.
            try (ChildBroker first = ChildBroker.start(data, dir, settings)) {
                assertFalse(subscriber.connect(first, true, false), "a new session is not present");
                subscriber.subscribe(1, Q1, QoS.AT_LEAST_ONCE);
                subscriber.subscribe(2, Q2, QoS.EXACTLY_ONCE);
                subscriber.startReading();
                publisher.connect(first).startPublishing("m" + round, 1_000_000);

                // Act: kill -9 after a random number of acks.
                publisher.awaitAcknowledged(killAfterAcks, TIMEOUT);
                first.kill9();
                publisher.awaitDead(TIMEOUT);
                subscriber.awaitDead(TIMEOUT);
            }
            int openAtCrash = subscriber.inflightSeen();
            Set<String> acknowledgedAtCrash = new HashSet<>(publisher.acknowledged());

            // Assert: both sides resume.
            try (ChildBroker second = ChildBroker.start(data, dir, settings)) {
                String context = " (" + acknowledgedAtCrash.size() + " acknowledged at the crash, " + openAtCrash
                        + " subscriber flows open; broker log " + second.logFile() + ")";
                assertTrue(subscriber.connect(second, false, true), "subscriber session survived" + context);
                subscriber.startReading();
                publisher.resume(second, TIMEOUT);
                assertTrue(publisher.acknowledged().containsAll(acknowledgedAtCrash), "acks kept" + context);
                publisher.publishAndAwait(Q1, QoS.AT_LEAST_ONCE, "fence-q1", TIMEOUT);
                publisher.publishAndAwait(Q2, QoS.EXACTLY_ONCE, "fence-q2", TIMEOUT);
                Set<String> expected = publisher.acknowledged();
                Conditions.await(
                        () -> (expected.stream().allMatch(id -> subscriber.countOf(id) > 0)
                                        && !subscriber.hasOpenFlows())
                                || subscriber.isDead(),
                        TIMEOUT,
                        "every id and every open flow resumed" + context,
                        () -> subscriber.counts().size() + " ids arrived; open " + subscriber.openFlows());
                assertFalse(subscriber.isDead(), "subscriber connection lost" + context);
                List<String> problems = Ledger.check(
                        publisher.published(),
                        expected,
                        publisher::qosOf,
                        new HashSet<>(subscriber.counts().keySet()),
                        subscriber::countOf);
                problems.addAll(publisher.violations());
                problems.addAll(subscriber.violations());
                for (Map.Entry<String, java.util.concurrent.atomic.AtomicInteger> e :
                        subscriber.counts().entrySet()) {
                    if (e.getValue().get() > 1 && publisher.qosOf(e.getKey()) == QoS.EXACTLY_ONCE) {
                        problems.add(e.getKey() + " arrived as " + subscriber.arrivals(e.getKey())
                                + "; publisher re-sent it: " + publisher.wasResent(e.getKey()));
                    }
                }
                assertEquals(List.of(), problems, "the promise" + context);
            } finally {
                publisher.close();
                subscriber.close();
            }
        });
    }
}
