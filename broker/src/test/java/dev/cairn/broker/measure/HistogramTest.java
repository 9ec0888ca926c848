package dev.cairn.broker.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Goal: the interval difference and the bucket quantile that the $SYS fsync figures use. */
class HistogramTest {
    @Test
    void quantileIsTheUpperBoundOfTheBucketHoldingIt() {
        Histogram h = new Histogram(10, 20, 30);
        for (int i = 0; i < 98; i++) {
            h.record(5);
        }
        h.record(15);
        h.record(25);
        Histogram.Counts c = h.read();
        assertEquals(10, c.quantileUpperBound(0.5));
        assertEquals(10, c.quantileUpperBound(0.98));
        assertEquals(20, c.quantileUpperBound(0.99));
        assertEquals(30, c.quantileUpperBound(1.0));
    }

    @Test
    void sinceCountsOnlyWhatWasRecordedAfterTheEarlierReading() {
        Histogram h = new Histogram(10, 20);
        h.record(5);
        h.record(5);
        Histogram.Counts earlier = h.read();
        h.record(50);
        Histogram.Counts interval = h.read().since(earlier);
        assertEquals(1, interval.count());
        assertEquals(50, interval.sum());
        assertEquals(Long.MAX_VALUE, interval.quantileUpperBound(0.5), "above the highest bound");
        assertEquals(0, h.read().since(h.read()).quantileUpperBound(0.5), "nothing recorded: 0");
    }
}
