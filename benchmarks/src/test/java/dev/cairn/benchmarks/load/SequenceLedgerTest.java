package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceLedgerTest {
    @Test
    void inOrderArrivalsAreDistinctAndNothingIsLost() {
        SequenceLedger ledger = new SequenceLedger();
        for (long s = 0; s < 1_000; s++) {
            assertEquals(SequenceLedger.Arrival.IN_ORDER, ledger.record(s));
        }
        assertEquals(1_000, ledger.distinct());
        assertEquals(0, ledger.lost(1_000));
        assertEquals(0, ledger.duplicates());
        assertEquals(0, ledger.outOfOrder());
    }

    @Test
    void aRepeatedSequenceIsADuplicateAndNotCountedTwice() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(0);
        ledger.record(1);
        assertEquals(SequenceLedger.Arrival.DUPLICATE, ledger.record(1));
        assertEquals(SequenceLedger.Arrival.DUPLICATE, ledger.record(0));
        assertEquals(2, ledger.distinct());
        assertEquals(2, ledger.duplicates());
        assertEquals(0, ledger.lost(2));
    }

    @Test
    void aGapIsLostUntilTheMissingMessageArrivesLateAsOutOfOrder() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(0);
        ledger.record(3);
        assertEquals(2, ledger.lost(4), "1 and 2 missing");

        assertEquals(SequenceLedger.Arrival.OUT_OF_ORDER, ledger.record(2));
        assertEquals(1, ledger.lost(4));
        assertEquals(1, ledger.outOfOrder());
        assertEquals(SequenceLedger.Arrival.DUPLICATE, ledger.record(2), "a late arrival is remembered too");
    }

    @Test
    void neverDeliveredTailCountsAsLost() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(0);
        ledger.record(1);
        assertEquals(3, ledger.lost(5));
    }

    @Test
    void slotsReusedAfterTheWindowMovesDoNotLookLikeDuplicates() {
        SequenceLedger ledger = new SequenceLedger();
        ledger.record(5);
        // Jump far ahead: slot of 5 + WINDOW_SIZE is the slot 5 used; 5 must not make it a duplicate.
        ledger.record(5 + 2L * SequenceLedger.WINDOW_SIZE);
        assertEquals(SequenceLedger.Arrival.OUT_OF_ORDER, ledger.record(5 + 2L * SequenceLedger.WINDOW_SIZE - 10));
        assertEquals(SequenceLedger.Arrival.OUT_OF_ORDER, ledger.record(6), "older than the window");
        assertEquals(1, ledger.unverifiable());
        assertEquals(4, ledger.distinct());
    }
}
