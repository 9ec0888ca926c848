package dev.cairn.broker.testing;

import dev.cairn.broker.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock with a wall clock the test can move forward: record timestamps and the
 * journal's cycle files follow {@link #advanceWallClock}, while the monotonic clock (keep alive,
 * session expiry, retries) keeps real time, so moving hours ahead disconnects nobody. Thread-safe.
 */
public final class ManualClock implements Clock {
    private final AtomicLong wallOffsetMillis = new AtomicLong();

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis() + wallOffsetMillis.get();
    }

    public void advanceWallClock(Duration by) {
        wallOffsetMillis.addAndGet(by.toMillis());
    }
}
