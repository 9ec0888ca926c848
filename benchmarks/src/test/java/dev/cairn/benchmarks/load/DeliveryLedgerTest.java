package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    @Test
    void stampSurvivesThePayloadRoundTrip() {
        MessageStamp stamp = new MessageStamp(7, 123_456_789_012L, -42L);
        byte[] payload = stamp.toPayload(100);
        assertEquals(100, payload.length);
        assertEquals(stamp, MessageStamp.fromPayload(payload));
        assertNull(MessageStamp.fromPayload(new byte[MessageStamp.SIZE_BYTES - 1]));
    }

    @Test
    void latencyAndCountsCoverOnlyTheMeasuredWindowButCorrectnessCoversTheRun() {
        DeliveryLedger ledger = new DeliveryLedger(2);
        // Arrange: one warm-up delivery before measuring.
        ledger.record(new MessageStamp(0, 0, 0), 5_000_000);

        // Act: publisher 0 sends 0..3 with 3 lost, 1 duplicated; publisher 1 sends 0 and 2, 1 lost.
        ledger.startMeasuring();
        ledger.record(new MessageStamp(0, 1, 1_000_000), 1_250_000);
        ledger.record(new MessageStamp(0, 1, 1_000_000), 1_900_000);
        ledger.record(new MessageStamp(0, 2, 1_000_000), 2_000_000);
        ledger.record(new MessageStamp(1, 2, 0), 3_000_000);
        ledger.record(new MessageStamp(1, 0, 0), 3_000_000);
        DeliveryLedger.Window window = ledger.stopMeasuring();
        ledger.record(new MessageStamp(0, 4, 0), 9_000_000);

        // Assert: 4 measured deliveries (the duplicate excluded), latencies 250 µs .. 3000 µs.
        assertEquals(4, window.deliveredCount());
        assertEquals(250, window.latencyMicros().getMinValue());
        assertEquals(3_000, window.latencyMicros().getMaxValue(), 3_000 / 1000.0);
        DeliveryLedger.Totals totals = ledger.totals(new long[] {5, 3});
        assertEquals(new DeliveryLedger.Totals(6, 2, 1, 1), totals);
    }

    @Test
    void publishersThisSideShouldNotHearFromAreIgnored() {
        DeliveryLedger ledger = new DeliveryLedger(3);
        ledger.record(new MessageStamp(1, 0, 0), 1);
        assertEquals(new DeliveryLedger.Totals(1, 0, 0, 0), ledger.totals(new long[] {-1, 1, -1}));
        assertNull(ledger.record(new MessageStamp(9, 0, 0), 1), "unknown publisher id");
        assertArrayEquals(new long[] {1}, new long[] {ledger.unstampedCount()});
    }
}
