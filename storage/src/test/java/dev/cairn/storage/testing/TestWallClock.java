package dev.cairn.storage.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The wall clock a storage test gives {@code ChronicleJournal.open} or {@code Store.open}: it
 * stands still until the test moves it. The journal picks each record's cycle file from this clock;
 * a test on the real clock that expects its records in one cycle file, or two stores' positions in
 * one cycle, fails whenever a real cycle boundary (the top of the hour, a five-minute mark) passes
 * while it runs: with probability (run time) / (cycle length) per run.
 *
 * <p>{@link #beforeABoundary()} stands {@value #MILLIS_BEFORE_THE_BOUNDARY} ms before
 * {@link #BOUNDARY}, which ends a day, an hour and a five-minute cycle at once, so a clock that
 * ticked with real time would cross it within milliseconds instead of once in a while (the guard
 * test of this class fails at once on such a clock). Thread-safe: Chronicle reads it from tailers
 * too.
 */
public final class TestWallClock implements LongSupplier {
    /** 2026-01-01T00:00:00Z: the start of a day, an hour and a five-minute cycle. */
    public static final long BOUNDARY = 1_767_225_600_000L;

    public static final long MILLIS_BEFORE_THE_BOUNDARY = 5;

    private final AtomicLong millis;

    private TestWallClock(long millis) {
        this.millis = new AtomicLong(millis);
    }

    /** A clock standing {@value #MILLIS_BEFORE_THE_BOUNDARY} ms before {@link #BOUNDARY}. */
    public static TestWallClock beforeABoundary() {
        return new TestWallClock(BOUNDARY - MILLIS_BEFORE_THE_BOUNDARY);
    }

    @Override
    public long getAsLong() {
        return millis.get();
    }

    /** Moves the clock forward by {@code by}; nothing else moves it. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the test clock only moves forward: " + by);
        }
        millis.addAndGet(by.toMillis());
    }
}
