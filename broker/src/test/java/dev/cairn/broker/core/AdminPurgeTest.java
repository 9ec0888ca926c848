package dev.cairn.broker.core;

import static dev.cairn.broker.core.CoreHarness.connect5;
import static dev.cairn.broker.testing.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: an operator's purge of a large queue never holds the core for the whole queue: it removes
 * at most {@link AdminDesk#PURGE_STEP_MAX} messages per core turn, one command each, so commands
 * of other clients run between its steps; it removes exactly the messages waiting when it began,
 * and is answered only when the last step is done. Method: the real core loop over in-memory
 * persistence (no sockets), its turns held at known points by admin requests that wait on a latch,
 * so the order of the commands in the inbox is fixed.
 */
class AdminPurgeTest {
    private static final int STEP = AdminDesk.PURGE_STEP_MAX;

    private final CoreHarness core = CoreHarness.start();

    @AfterEach
    void stop() {
        core.close();
    }

    @Test
    void aPurgeRemovesAtMostOneStepPerTurnWithOtherCommandsBetweenItsSteps() throws Exception {
        int n = 3 * STEP + 5;
        core.offlineSubscriber("big", "load/#", QoS.AT_LEAST_ONCE);
        RecordingWire pub = publishMany(n);
        assertEquals(n, queued("big"));
        // Hold the core in a turn, so that what is submitted meanwhile waits in the inbox in order.
        Hold first = new Hold();
        first.awaitHeld();
        // Act: the purge's first step, then a second hold in the same turn, before the turn ends and
        // the purge submits its next step.
        CoreAdmin.Purge purge = core.admin().purge("big");
        Hold second = new Hold();
        first.release();
        second.awaitHeld();
        // While the core is held: a client publishes to the purged queue and an operator lists it.
        core.post(pub, publish("load/t", QoS.AT_LEAST_ONCE, n + 1, "after"));
        CompletableFuture<CoreAdmin.SessionPage> listing = core.admin().sessions(null, 10);
        AtomicBoolean purgeAnsweredBeforeListing = new AtomicBoolean(true);
        listing.thenRun(() -> purgeAnsweredBeforeListing.set(purge.done().isDone()));
        second.release();
        assertEquals(new CoreAdmin.PurgeProgress(STEP, false), purge.firstStep().get(30, TimeUnit.SECONDS));
        long purged = purge.done().get(30, TimeUnit.SECONDS);
        // Assert: the listing ran between the first step and the second, the publish with it.
        assertEquals(n - STEP + 1, queuedIn(listing.get(30, TimeUnit.SECONDS), "big"), "one step of " + STEP);
        assertFalse(purgeAnsweredBeforeListing.get(), "the purge was answered after the listing");
        assertEquals(n, purged, "every message waiting when the purge began, and only those");
        assertEquals(1, queued("big"), "the message published during the purge stays");
        core.settle();
        assertEquals(
                List.of(Packet.PubAck.class),
                pub.drain().stream().map(Object::getClass).toList());
        // The purged messages are gone for good: the session gets only the later one [MQTT-4.6.0-6].
        RecordingWire back = core.resume(connect5("big", false, 60));
        List<Packet> sent = back.drain();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals("after", new String(((Packet.Publish) sent.get(0)).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void eachStepIsOneCommandOfAtMostTheBound() throws Exception {
        int n = 2 * STEP + 1;
        core.offlineSubscriber("big", "load/#", QoS.AT_LEAST_ONCE);
        publishMany(n);
        // Act and assert: step by step, each answered after its own turn.
        assertEquals(new AdminDesk.PurgeStep(STEP, false), onCore(desk -> desk.startPurge("big")));
        assertEquals(n - STEP, queued("big"));
        assertEquals(new AdminDesk.PurgeStep(STEP, false), onCore(desk -> desk.continuePurge("big")));
        assertEquals(new AdminDesk.PurgeStep(1, true), onCore(desk -> desk.continuePurge("big")));
        assertEquals(0, queued("big"));
        assertEquals(new AdminDesk.PurgeStep(0, true), onCore(desk -> desk.continuePurge("big")), "nothing left");
        assertNull(onCore(desk -> desk.startPurge("nobody")), "no such session");
        // The index agrees after a restart: nothing comes back.
        core.restart();
        assertEquals(0, queued("big"));
    }

    @Test
    void aConnectedSessionGetsNothingPurgedAndWhatCameAfterOnceThePurgeHasEnded() throws Exception {
        int n = STEP + 10;
        // Receive Maximum 1: one message in flight, the rest waits in memory and on disk.
        RecordingWire sub = core.connect(CoreHarness.connect(
                ProtocolVersion.MQTT_5,
                "slow",
                true,
                60,
                null,
                Properties.builder()
                        .sessionExpiryIntervalSeconds(60L)
                        .receiveMaximum(1)
                        .build()));
        core.subscribe(sub, "load/#", QoS.AT_LEAST_ONCE);
        RecordingWire pub = publishMany(n);
        Packet.Publish inflight = sub.next(Packet.Publish.class);
        assertEquals("m1", text(inflight));
        assertEquals(n - 1, queued("slow"));
        // Act: the first step; then the in-flight message is acknowledged and one more published.
        assertEquals(new AdminDesk.PurgeStep(STEP, false), onCore(desk -> desk.startPurge("slow")));
        core.send(sub, new Packet.PubAck(inflight.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        core.send(pub, publish("load/t", QoS.AT_LEAST_ONCE, n + 1, "after"));
        // Assert: nothing of the queue is sent while the purge goes on.
        assertEquals(List.of(), sub.drain(), "the window is free, but the queue is being purged");
        assertEquals(new AdminDesk.PurgeStep(n - 1 - STEP, true), onCore(desk -> desk.continuePurge("slow")));
        core.settle();
        Packet.Publish next = sub.next(Packet.Publish.class);
        assertEquals("after", text(next), "the purge's end moves the queue again");
    }

    /** A publisher that has sent m1 ... mN on load/t at QoS 1, each acknowledged. */
    private RecordingWire publishMany(int n) {
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.sendAll(
                pub,
                IntStream.rangeClosed(1, n)
                        .mapToObj(i -> publish("load/t", QoS.AT_LEAST_ONCE, i, "m" + i))
                        .toList());
        assertEquals(
                n, pub.drain().stream().filter(p -> p instanceof Packet.PubAck).count());
        return pub;
    }

    private static String text(Packet.Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    private <T> T onCore(Function<AdminDesk, T> operation) throws Exception {
        return core.onCoreLater(operation).get(30, TimeUnit.SECONDS);
    }

    private long queued(String clientId) throws Exception {
        return queuedIn(core.admin().sessions(null, 1000).get(30, TimeUnit.SECONDS), clientId);
    }

    private static long queuedIn(CoreAdmin.SessionPage page, String clientId) {
        return page.sessions().stream()
                .filter(s -> s.clientId().equals(clientId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session " + clientId + " in " + page))
                .queued();
    }

    /** An admin request that keeps the core thread in its turn until {@link #release}. */
    private final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final CompletableFuture<Boolean> done;

        Hold() throws InterruptedException {
            done = core.onCoreLater(desk -> {
                held.countDown();
                try {
                    return released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(held.await(30, TimeUnit.SECONDS), "the core took the hold");
        }

        void release() throws Exception {
            released.countDown();
            assertTrue(done.get(30, TimeUnit.SECONDS), "the core was released in time");
        }
    }
}
