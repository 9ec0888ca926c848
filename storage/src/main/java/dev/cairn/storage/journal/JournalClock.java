package dev.cairn.storage.journal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock that picks the cycle of each append, made monotonic. Chronicle appends to the
 * cycle the time provider names; a wall clock stepped back (an NTP step, an operator, a machine
 * restarted with a wrong real-time clock) would send records into an older cycle, at positions
 * below records already written. Replay from the index's checkpoint and retention by cycle both
 * rely on positions growing in append order, so this clock never goes below the newest time it
 * returned nor below the start of the newest cycle the journal holds: while the wall clock is
 * behind, appends go on into the newest cycle, and a WARN says so once per episode.
 *
 * <p>Thread-safe: Chronicle asks it from the appending thread and from tailers.
 */
final class JournalClock {
    private static final Logger LOG = LoggerFactory.getLogger(JournalClock.class);

    private final LongSupplier wallClock;
    private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean behind;
    /** While not {@link #UNPINNED}, what {@link #millis} returns: one append's decision, held still. */
    private volatile long pinned = UNPINNED;

    private static final long UNPINNED = Long.MIN_VALUE;

    JournalClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    /** Raises the floor to {@code millis}: the start of the newest cycle found on open. */
    void notBefore(long millis) {
        floor.accumulateAndGet(millis, Math::max);
    }

    /**
     * Holds the clock at its current value until {@link #unpin}: the journal pins it while it
     * decides whether an append starts a new cycle file and while Chronicle appends, so both see
     * the same cycle. Owner thread only.
     */
    long pin() {
        long now = millis();
        pinned = now;
        return now;
    }

    void unpin() {
        pinned = UNPINNED;
    }

    /** Wall-clock milliseconds, or the floor while the wall clock is behind it. */
    long millis() {
        long held = pinned;
        if (held != UNPINNED) {
            return held;
        }
        long now = wallClock.getAsLong();
        long current = floor.get();
        while (now > current) {
            if (floor.compareAndSet(current, now)) {
                if (behind) {
                    behind = false;
                    LOG.info(
                            "the wall clock ({}) has caught up with the journal; cycles roll with it again",
                            Instant.ofEpochMilli(now));
                }
                return now;
            }
            current = floor.get();
        }
        if (now < current && !behind) {
            behind = true;
            LOG.warn(
                    "the wall clock ({}) is behind the journal's newest record or cycle ({}); records go on"
                            + " into the newest cycle until the clock passes it. Check the machine's time"
                            + " synchronisation",
                    Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(current));
        }
        return current;
    }
}
