package dev.cairn.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Goal: a bridge's link status counts what its event loop reports (links, failures, sent and
 * acknowledged), keeps the last error, and lets at most {@value BridgeStatus#LINES_PER_MINUTE}
 * lines a minute of each kind through, the next one saying how many were held back.
 */
class BridgeStatusTest {

    @Test
    void countsWhatTheLinkReports() {
        BridgeStatus s = new BridgeStatus("central");
        assertFalse(s.snapshot().connected());
        assertNull(s.snapshot().remote());
        s.connecting("10.0.0.5:1883");
        s.unlinked("cannot connect: refused", true);
        s.linked("10.0.0.6:1883");
        s.sent();
        s.sent();
        s.acknowledged();
        s.unlinked("the remote disconnected", true);
        s.linked("10.0.0.6:1883");
        BridgeStatus.Snapshot up = s.snapshot();
        assertTrue(up.connected());
        assertEquals("10.0.0.6:1883", up.remote());
        assertEquals(2, up.sent());
        assertEquals(1, up.acknowledged());
        assertEquals(1, up.reconnects(), "the second link is the first reconnect");
        assertEquals(2, up.failures());
        assertEquals("the remote disconnected", up.lastError());
        assertTrue(up.lastErrorAtMillis() > 0);
        s.unlinked("the broker stopped", false);
        assertFalse(s.snapshot().connected());
        assertEquals(2, s.snapshot().failures(), "the broker's own stop is no failure");
        assertEquals("the remote disconnected", s.snapshot().lastError());
    }

    @Test
    void linkLinesAndAttemptLinesAreLimitedApart() {
        BridgeStatus s = new BridgeStatus("central");
        for (int i = 0; i < BridgeStatus.LINES_PER_MINUTE; i++) {
            assertEquals("", s.mayLogAttempt());
        }
        assertNull(s.mayLogAttempt(), "the eleventh failed attempt in a minute is held back");
        assertNull(s.mayLogAttempt());
        assertEquals("", s.mayLogLink(), "the link coming back is still logged");
    }
}
