package dev.cairn.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.delivery.OutboundQueue;
import org.junit.jupiter.api.Test;

/**
 * Goal: a client whose requests the topic ACL keeps refusing gets at most one audit log line per
 * interval, and the next line says how many were held back. Method: ask the session's rate limit
 * for permits at chosen instants of a 10 s interval.
 */
class DeniedLogRateTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = 10 * SECOND;

    @Test
    void oneLinePerIntervalAndTheNextOneCountsWhatWasHeldBack() {
        Session s = new Session("c", new OutboundQueue(10));

        assertEquals(0, s.deniedLogPermit(100 * SECOND, INTERVAL), "the first denial is logged");
        assertEquals(-1, s.deniedLogPermit(101 * SECOND, INTERVAL));
        assertEquals(-1, s.deniedLogPermit(109 * SECOND, INTERVAL));
        assertEquals(-1, s.deniedLogPermit(110 * SECOND - 1, INTERVAL));
        assertEquals(3, s.deniedLogPermit(110 * SECOND, INTERVAL), "logged again, naming the 3 held back");
        assertEquals(-1, s.deniedLogPermit(111 * SECOND, INTERVAL));
        assertEquals(1, s.deniedLogPermit(500 * SECOND, INTERVAL));
        assertEquals(0, s.deniedLogPermit(600 * SECOND, INTERVAL));
    }
}
