package dev.cairn.broker.testing;

import dev.cairn.broker.core.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock whose wall clock moves only when the test moves it: record timestamps and the journal's
 * cycle files follow {@link #advanceWallClock} and nothing else, while the monotonic clock (keep
 * alive, session expiry, retries) keeps real time, so moving hours ahead disconnects nobody.
 * Thread-safe.
 *
 * <p>The wall clock starts at the real time the clock is made and then stands still. It must not
 * tick with real time: a test that counts cycle files would see an extra cycle whenever the real
 * clock crosses a cycle boundary while it runs: with five-minute cycles, a run of T seconds does so
 * with probability T / 300, and the retention tests then found three cycle files where two belong.
 */
public final class ManualClock implements Clock {
    private final AtomicLong wallMillis = new AtomicLong(System.currentTimeMillis());

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return wallMillis.get();
    }

    public void advanceWallClock(Duration by) {
        wallMillis.addAndGet(by.toMillis());
    }
}
