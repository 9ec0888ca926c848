package dev.cairn.broker.testing;

import dev.cairn.broker.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock the test moves. Its wall clock (record timestamps, the journal's cycle files) starts at
 * the real time the clock is made and then moves only when the test moves it, with
 * {@link #advanceWallClock} or {@link #advance}. {@code new ManualClock()} keeps real monotonic
 * time (keep alive, session expiry, retries), so moving the wall clock hours ahead disconnects
 * nobody. {@link #stopped()} is a clock on which no time passes at all until the test calls
 * {@link #advance}, which moves the monotonic and the wall clock together, as real time would:
 * keep alive, the CONNECT timeout, will delays, session and message expiry then run on the test's
 * time, not the machine's. Thread-safe.
 *
 * <p>The wall clock must not tick with real time: a test that counts cycle files would see an
 * extra cycle whenever the real clock crosses a cycle boundary while it runs: with five-minute
 * cycles, a run of T seconds does so with probability T / 300, and the retention tests then found
 * three cycle files where two belong.
 */
public final class ManualClock implements Clock {
    /** How the monotonic clock runs between the test's moves. */
    private enum Monotonic {
        SYSTEM,
        STOPPED
    }

    private final Monotonic monotonic;
    private final long startNanos;
    private final long startMillis;
    private final AtomicLong monotonicOffsetNanos = new AtomicLong();
    private final AtomicLong wallOffsetMillis = new AtomicLong();

    /** The system clock, whose wall clock the test can move ahead. */
    public ManualClock() {
        this(Monotonic.SYSTEM);
    }

    private ManualClock(Monotonic monotonic) {
        this.monotonic = monotonic;
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    /** A clock standing still at the current time until {@link #advance} moves it. */
    public static ManualClock stopped() {
        return new ManualClock(Monotonic.STOPPED);
    }

    @Override
    public long nanoTime() {
        long base = monotonic == Monotonic.SYSTEM ? System.nanoTime() : startNanos;
        return base + monotonicOffsetNanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return startMillis + wallOffsetMillis.get();
    }

    /** Moves the wall clock only (cycle files, record timestamps), not the timers. */
    public void advanceWallClock(Duration by) {
        wallOffsetMillis.addAndGet(by.toMillis());
    }

    /** Lets {@code by} pass: the monotonic and the wall clock both move forward. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + by);
        }
        monotonicOffsetNanos.addAndGet(by.toNanos());
        wallOffsetMillis.addAndGet(by.toMillis());
    }
}
