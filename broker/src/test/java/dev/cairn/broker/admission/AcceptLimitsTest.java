package dev.cairn.broker.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Goal: a listener's accept-time limits hold exactly: connections_max counts this listener's open
 * sockets and frees a slot on close; connections_per_second_per_address lets an address open the
 * limit at once and then the limit per second, each address on its own; every refusal is counted.
 * Method: the limits on a clock the test moves, no sockets.
 */
class AcceptLimitsTest {
    private static final long MILLI = 1_000_000L;
    private final AtomicLong now = new AtomicLong(42 * 1_000 * MILLI);

    private static InetAddress address(String ip) throws UnknownHostException {
        return InetAddress.getByName(ip);
    }

    @Test
    void connectionsMaxCountsOpenSocketsAndAClosedOneFreesItsSlot() throws UnknownHostException {
        AcceptLimits limits = new AcceptLimits("small", 2, 0, now::get);
        InetAddress a = address("192.0.2.1");
        assertTrue(limits.admit(a));
        assertTrue(limits.admit(address("192.0.2.2")));
        assertFalse(limits.admit(a), "a third open socket");
        assertEquals(2, limits.open(), "a refused socket takes no slot");
        limits.release();
        assertTrue(limits.admit(a), "the closed one's slot");
        assertEquals(1, limits.refused());
    }

    /** A reload's new limits judge the sockets from then on; the open ones stay counted. */
    @Test
    void updatedLimitsApplyToTheNextSockets() throws UnknownHostException {
        AcceptLimits limits = new AcceptLimits("reloaded", 3, 0, now::get);
        InetAddress a = address("192.0.2.1");
        assertTrue(limits.admit(a));
        assertTrue(limits.admit(a));
        limits.update(2, 0);
        assertFalse(limits.admit(a), "two open, and the limit is 2 now");
        assertEquals(2, limits.open());
        limits.update(0, 1);
        assertTrue(limits.admit(a), "no connections limit; one new socket per second from an address");
        assertFalse(limits.admit(a), "the second within the same second");
        assertTrue(limits.admit(address("192.0.2.2")), "another address has a bucket of its own");
        limits.update(0, 0);
        assertTrue(limits.admit(a), "no rate any more");
    }

    @Test
    void theRateLetsAnAddressOpenTheLimitAtOnceThenTheLimitPerSecond() throws UnknownHostException {
        AcceptLimits limits = new AcceptLimits("rated", 0, 3, now::get);
        InetAddress a = address("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.admit(a), "burst " + i);
        }
        assertFalse(limits.admit(a), "a fourth in the same instant");
        assertTrue(limits.admit(address("192.0.2.2")), "another address has its own bucket");
        now.addAndGet(333 * MILLI);
        assertFalse(limits.admit(a), "just short of a third of a second");
        now.addAndGet(1 * MILLI);
        assertTrue(limits.admit(a), "a third of a second refills one");
        assertFalse(limits.admit(a));
        now.addAndGet(10_000 * MILLI);
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.admit(a), "refilled to the limit, never beyond: " + i);
        }
        assertFalse(limits.admit(a));
        assertEquals(4, limits.refused());
    }

    /** A refusal's log line names the key an operator would change, which for the default listener is top-level. */
    @Test
    void theKeysNamedForTheDefaultListenerAreTheTopLevelOnes() {
        assertEquals("connections_per_second_per_address", AcceptLimits.rateKey("default"));
        assertEquals("default_listener_connections_max", AcceptLimits.connectionsMaxKey("default"));
        assertEquals("listener.plant.connections_per_second_per_address", AcceptLimits.rateKey("plant"));
        assertEquals("listener.plant.connections_max", AcceptLimits.connectionsMaxKey("plant"));
    }

    @Test
    void zeroMeansNoLimit() throws UnknownHostException {
        AcceptLimits limits = new AcceptLimits("open", 0, 0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limits.admit(address("192.0.2.1")));
        }
        assertEquals(10_000, limits.open());
        assertEquals(0, limits.refused());
    }
}
