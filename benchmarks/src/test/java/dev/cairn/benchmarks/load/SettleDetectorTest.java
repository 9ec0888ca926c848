package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SettleDetectorTest {
    @Test
    void memoryStillGrowingIsNotSettledAndAFlatWindowIs() {
        SettleDetector detector = new SettleDetector(4, 512);
        // A JVM after it starts listening: growing by megabytes per sample.
        for (long rss : new long[] {52_000, 61_000, 75_000, 90_000, 104_000, 107_000}) {
            assertFalse(detector.offer(rss), "still growing at " + rss);
        }
        assertFalse(detector.offer(107_200), "the window still holds 90,000 and 104,000");
        assertFalse(detector.offer(107_100));
        assertTrue(detector.offer(107_300), "four samples within 512 KiB: 107,000 .. 107,300");
    }

    @Test
    void aWindowIsNeverSettledBeforeItIsFull() {
        SettleDetector detector = new SettleDetector(3, 512);
        assertFalse(detector.offer(100_000));
        assertFalse(detector.offer(100_000));
        assertTrue(detector.offer(100_000));
    }

    @Test
    void aJumpInsideTheWindowUnsettlesIt() {
        SettleDetector detector = new SettleDetector(3, 512);
        detector.offer(100_000);
        detector.offer(100_000);
        assertTrue(detector.offer(100_100));
        assertFalse(detector.offer(101_000), "900 KiB above the window's lowest sample");
    }

    @Test
    void aWindowOfOneSampleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SettleDetector(1, 512));
    }
}
