package dev.cairn.broker.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    @Test
    void theWallClockStandsStillUntilTheTestMovesIt() {
        // Arrange: a clock, and its wall and monotonic readings now.
        ManualClock clock = new ManualClock();
        long wall = clock.currentTimeMillis();
        long nanos = clock.nanoTime();

        // Act: let 20 ms of real time pass (the subject of the test, not a wait for another thread).
        long realEnd = System.nanoTime() + Duration.ofMillis(20).toNanos();
        while (System.nanoTime() < realEnd) {
            LockSupport.parkNanos(1_000_000L);
        }

        // Assert: the monotonic clock followed real time, the wall clock did not; it moves by exactly
        // what the test says.
        assertTrue(clock.nanoTime() - nanos >= Duration.ofMillis(20).toNanos(), "the monotonic clock keeps real time");
        assertEquals(wall, clock.currentTimeMillis(), "the wall clock moved on its own");
        clock.advanceWallClock(Duration.ofMinutes(5));
        assertEquals(wall + Duration.ofMinutes(5).toMillis(), clock.currentTimeMillis());
    }
}
