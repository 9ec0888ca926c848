package dev.cairn.benchmarks.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A running count of packets that left the core, with a way for one thread to sleep until the
 * count reaches a target. The core thread adds; the benchmark thread waits. Waiting parks rather
 * than spins, because on a 2-core machine a spinning waiter would take the core loop's CPU.
 *
 * <p>Thread-safety: {@link #add} from any thread; {@link #awaitAtLeast} from one thread at a time.
 */
final class Arrivals {
    private final AtomicLong count = new AtomicLong();
    private volatile Thread waiter;
    private volatile long target = Long.MAX_VALUE;

    void add(long n) {
        long now = count.addAndGet(n);
        Thread w = waiter;
        if (w != null && now >= target) {
            LockSupport.unpark(w);
        }
    }

    long count() {
        return count.get();
    }

    /**
     * Returns once the count is at least {@code atLeast}.
     *
     * @throws IllegalStateException if that takes longer than {@code timeoutSeconds}: the core has
     *     stalled or refused something, and a benchmark that waits forever reports nothing
     */
    void awaitAtLeast(long atLeast, long timeoutSeconds) {
        if (count.get() >= atLeast) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        target = atLeast;
        waiter = Thread.currentThread();
        try {
            while (count.get() < atLeast) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            "waited " + timeoutSeconds + " s for " + atLeast + " arrivals, got " + count.get());
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            waiter = null;
            target = Long.MAX_VALUE;
        }
    }
}
