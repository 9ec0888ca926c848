package dev.cairn.storage.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.storage.StoreConfig;
import dev.cairn.storage.TempStore;
import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.record.WillFired;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: what the tests that count cycle files rely on: with the storage fixtures' clock a cycle
 * file appears only when the test moves the clock. The clock stands 5 ms before a boundary of
 * every roll cycle and 20 ms of real time pass between two appends, which must still land in one
 * cycle file; a wall clock that ticked with real time (as these fixtures' clock once did) puts the
 * second one in a new file.
 */
class TestWallClockTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JournalRollCycle.class)
    void aCycleFileAppearsOnlyWhenTheTestMovesTheClock(JournalRollCycle rollCycle) throws Exception {
        TestWallClock clock = TestWallClock.beforeABoundary();
        Path journal = dir.resolve("journal");
        try (TempStore store = TempStore.open(StoreConfig.defaults(dir).withRollCycle(rollCycle), clock)) {
            store.commit(List.of(new WillFired("before")));
            long realEnd = System.nanoTime() + Duration.ofMillis(20).toNanos();
            while (System.nanoTime() < realEnd) { // real time passing is what is tested here
                LockSupport.parkNanos(1_000_000L);
            }
            store.commit(List.of(new WillFired("20 ms of real time later")));
            assertEquals(
                    1,
                    JournalCorruptor.cycleFiles(journal).size(),
                    "no new cycle without the test: " + JournalCorruptor.cycleFiles(journal));

            clock.advance(Duration.ofMillis(TestWallClock.MILLIS_BEFORE_THE_BOUNDARY));
            store.commit(List.of(new WillFired("at the boundary")));
            assertEquals(
                    2,
                    JournalCorruptor.cycleFiles(journal).size(),
                    JournalCorruptor.cycleFiles(journal).toString());
        }
    }
}
