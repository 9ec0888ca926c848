package dev.cairn.broker.time;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many log lines about one kind of event may be written: at most {@code linesPerWindow} in
 * each window of {@code windowNanos}, so that a scanner or a misbehaving fleet cannot flood the
 * log; the events beyond are counted, and the first line written afterwards can say how many were
 * held back. Any thread.
 */
public final class LineBudget {
    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong windowStart;
    private final AtomicLong linesInWindow = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();

    public LineBudget(int linesPerWindow, long windowNanos, LongSupplier nanoTime) {
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * One event: returns -1 when no line may be written for it (it is counted as held back), else
     * how many events were held back since the last line (0 or more), which the line should say.
     */
    public long take() {
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
            linesInWindow.set(0);
        }
        if (linesInWindow.incrementAndGet() > linesPerWindow) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }
}
