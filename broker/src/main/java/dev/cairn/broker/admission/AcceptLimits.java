package dev.cairn.broker.admission;

import dev.cairn.broker.config.ConfigKey;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.config.ListenerKey;
import dev.cairn.broker.time.LineBudget;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's limits on new sockets, judged at accept before any byte is read (so before a TLS
 * handshake or an MQTT CONNECT costs anything): {@code listener.NAME.connections_max}, the open
 * connections of this listener, and {@code listener.NAME.connections_per_second_per_address}, new
 * connections from one source address per second (for the default listener of {@code bind} and
 * {@code port}: {@code default_listener_connections_max} and the top-level {@code
 * connections_per_second_per_address}). A refused socket is closed and counted, and
 * logged at INFO with the peer's address, at most {@link #LINES_PER_WINDOW} lines per {@link
 * #WINDOW_NANOS}.
 *
 * <p>The rate is a token bucket per address: it holds up to the limit, starts full and refills at
 * the limit per second, so a client may open that many connections at once and then that many
 * each second. Buckets idle for a second are full again and are dropped (at most once a second,
 * by whichever accept notices), so the map holds only the addresses seen in the last second.
 *
 * <p>Any thread: the I/O threads of the listener's sockets share one instance.
 */
public final class AcceptLimits {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptLimits.class);
    static final int LINES_PER_WINDOW = 10;
    static final long WINDOW_NANOS = 10_000_000_000L;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final String listener;
    // Volatile: a reload sets them on its own thread (update), the I/O threads read them.
    private volatile int connectionsMax;
    private volatile int perSecondPerAddress;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    private final LineBudget lines;

    public AcceptLimits(ListenerConfig config, LongSupplier nanoTime) {
        this(config.name(), config.connectionsMax(), config.connectionsPerSecondPerAddress(), nanoTime);
    }

    public AcceptLimits(String listener, int connectionsMax, int perSecondPerAddress, LongSupplier nanoTime) {
        this.listener = listener;
        this.connectionsMax = connectionsMax;
        this.perSecondPerAddress = perSecondPerAddress;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
        this.lines = new LineBudget(LINES_PER_WINDOW, WINDOW_NANOS, nanoTime);
    }

    /**
     * New limits (a reload), for the sockets accepted from then on; open ones stay open, and a
     * lower limit refuses new sockets until enough have closed. Any thread.
     */
    public void update(int newConnectionsMax, int newPerSecondPerAddress) {
        connectionsMax = newConnectionsMax;
        if (newPerSecondPerAddress != perSecondPerAddress) {
            perSecondPerAddress = newPerSecondPerAddress;
            buckets.clear(); // Each address starts again with a full bucket of the new size.
        }
    }

    /**
     * Whether a new socket from {@code address} may open; if so it counts as open until {@link
     * #release}. If not, it is counted and logged, and the caller closes it.
     */
    public boolean admit(InetAddress address) {
        int rate = perSecondPerAddress;
        if (rate > 0 && !takeToken(address, rate)) {
            return refuse(
                    address, "more than " + rate + " new connections per second from it (" + rateKey(listener) + ")");
        }
        int max = connectionsMax;
        if (open.incrementAndGet() > max && max > 0) {
            open.decrementAndGet();
            return refuse(address, max + " connections open (" + connectionsMaxKey(listener) + ")");
        }
        return true;
    }

    /** The key that set {@code listener}'s rate: the top-level one for the default listener. */
    static String rateKey(String listener) {
        return listener.equals(ListenerConfig.DEFAULT_NAME)
                ? ConfigKey.CONNECTIONS_PER_SECOND_PER_ADDRESS.key()
                : ListenerKey.CONNECTIONS_PER_SECOND_PER_ADDRESS.of(listener);
    }

    /** The key that set {@code listener}'s own connections limit. */
    static String connectionsMaxKey(String listener) {
        return listener.equals(ListenerConfig.DEFAULT_NAME)
                ? ConfigKey.DEFAULT_LISTENER_CONNECTIONS_MAX.key()
                : ListenerKey.CONNECTIONS_MAX.of(listener);
    }

    /** An admitted socket closed. */
    public void release() {
        open.decrementAndGet();
    }

    /** Sockets refused so far. */
    public long refused() {
        return refused.get();
    }

    /** Admitted sockets still open. */
    public int open() {
        return open.get();
    }

    private boolean refuse(InetAddress address, String why) {
        refused.incrementAndGet();
        long held = lines.take();
        if (held >= 0) {
            LOG.info(
                    "listener {}: closed a new connection from {}: {}{}",
                    listener,
                    address.getHostAddress(),
                    why,
                    held == 0 ? "" : " (" + held + " more refusals were not logged)");
        }
        return false;
    }

    private boolean takeToken(InetAddress address, int rate) {
        long now = nanoTime.getAsLong();
        long swept = lastSweep.get();
        if (now - swept >= SECOND_NANOS && lastSweep.compareAndSet(swept, now)) {
            buckets.values().removeIf(b -> b.idleSince(now) >= SECOND_NANOS);
        }
        return buckets.computeIfAbsent(address, a -> new Bucket(rate, now)).take(now);
    }

    /** Tokens of one address: up to {@code capacity}, refilled at {@code capacity} per second. */
    private static final class Bucket {
        private final int capacity;
        private double tokens;
        private long lastNanos;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.lastNanos = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - lastNanos) * (double) capacity / SECOND_NANOS);
            lastNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized long idleSince(long now) {
            return now - lastNanos;
        }
    }
}
