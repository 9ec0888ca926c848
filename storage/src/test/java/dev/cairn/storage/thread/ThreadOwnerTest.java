package dev.cairn.storage.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Goal: a single-owner object's check catches a use from a second thread, and a release hands
 * ownership on. Method: check from this thread, then from another one, before and after release.
 */
class ThreadOwnerTest {
    @Test
    void aSecondThreadFailsTheCheckUntilOwnershipIsReleased() throws InterruptedException {
        ThreadOwner owner = new ThreadOwner("journal");
        assertTrue(owner.check(), "the first user becomes the owner");
        assertTrue(owner.check());

        Throwable refused = onAnotherThread("writer-2", owner);
        assertTrue(refused instanceof AssertionError, String.valueOf(refused));
        assertEquals(
                "journal owned by " + Thread.currentThread().getName() + ", used from writer-2", refused.getMessage());

        owner.release();
        assertEquals(null, onAnotherThread("writer-3", owner), "after a release the next user owns it");
        assertTrue(onAnotherThread("writer-4", owner) instanceof AssertionError, "and keeps it");
    }

    /** Runs {@code check} on a new thread; returns what it threw, or null. */
    private static Throwable onAnotherThread(String name, ThreadOwner owner) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        owner.check();
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                },
                name);
        t.start();
        t.join(10_000);
        assertTrue(!t.isAlive(), "the checking thread ended");
        return thrown.get();
    }
}
