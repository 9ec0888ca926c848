package dev.cairn.broker.core;

import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.measure.Histogram;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.time.LineBudget;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the core measures for the admin listener, written on the core thread and read on any
 * other without asking the core: the length of each turn and of each journal sync, the records
 * each sync made durable (the group-commit size), and the figures of {@link CoreFigures}, which
 * need a scan of the sessions and connections and are therefore copied at most every
 * {@link #FIGURES_INTERVAL_NANOS} of real time, never on a reader's request. Durations are real
 * time ({@link System#nanoTime}), not the broker's clock, which tests move by hand.
 *
 * <p>A sync slower than {@code fsync_warn_ms} is counted and logged at WARN, at most one line
 * every 10 s (saying how many more were not logged).
 */
public final class CoreMeasures {
    /** Turn and sync durations, nanoseconds: 50 µs to 10 s. */
    public static final long[] DURATION_BOUNDS_NANOS = {
        50_000L,
        100_000L,
        250_000L,
        500_000L,
        1_000_000L,
        2_500_000L,
        5_000_000L,
        10_000_000L,
        25_000_000L,
        50_000_000L,
        100_000_000L,
        250_000_000L,
        500_000_000L,
        1_000_000_000L,
        2_500_000_000L,
        5_000_000_000L,
        10_000_000_000L
    };
    /** Records made durable by one sync. */
    public static final long[] RECORDS_PER_SYNC_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384};
    /** How often at most the core copies {@link CoreFigures}: a scan of every session and connection. */
    static final long FIGURES_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Logger LOG = LoggerFactory.getLogger(CoreMeasures.class);

    private final Histogram turnNanos = new Histogram(DURATION_BOUNDS_NANOS);
    private final Histogram syncNanos = new Histogram(DURATION_BOUNDS_NANOS);
    private final Histogram recordsPerSync = new Histogram(RECORDS_PER_SYNC_BOUNDS);
    private final AtomicLong slowSyncs = new AtomicLong();
    private final long syncWarnNanos;
    private final LineBudget slowSyncLines = new LineBudget(1, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private volatile CoreFigures figures;
    private long turnStartedNanos;
    private long appendedAtLastSync;
    private long figuresCopiedNanos;

    CoreMeasures(long syncWarnMillis) {
        this.syncWarnNanos = TimeUnit.MILLISECONDS.toNanos(syncWarnMillis);
    }

    /** Each core-loop turn's duration from its first command to its packets' release; any thread. */
    public Histogram turnNanos() {
        return turnNanos;
    }

    /** Each journal sync's duration (under durability = fsync, the msync and fsync); any thread. */
    public Histogram syncNanos() {
        return syncNanos;
    }

    /** Records each journal sync made durable; any thread. */
    public Histogram recordsPerSync() {
        return recordsPerSync;
    }

    /** Syncs that took longer than {@code fsync_warn_ms}; any thread. */
    public long slowSyncs() {
        return slowSyncs.get();
    }

    /** The figures last copied, null until the core has loaded the recovered state; any thread. */
    public CoreFigures figures() {
        return figures;
    }

    void turnStarted() {
        turnStartedNanos = System.nanoTime();
    }

    /** Records the turn's duration and copies the figures when they are due. */
    void turnEnded(BrokerState state) {
        long now = System.nanoTime();
        turnNanos.record(now - turnStartedNanos);
        if (now - figuresCopiedNanos >= FIGURES_INTERVAL_NANOS) {
            copyFigures(state, now);
        }
    }

    /** One sync of {@code nanos} that made the records appended since the previous one durable. */
    void synced(long nanos, long appendedRecords) {
        syncNanos.record(nanos);
        recordsPerSync.record(appendedRecords - appendedAtLastSync);
        appendedAtLastSync = appendedRecords;
        if (nanos > syncWarnNanos) {
            slowSyncs.lazySet(slowSyncs.get() + 1);
            long held = slowSyncLines.take();
            if (held >= 0) {
                LOG.warn(
                        "journal sync took {} ms, more than fsync_warn_ms {}: the disk is slow or busy, and every"
                                + " acknowledgement of this turn waited for it{}",
                        TimeUnit.NANOSECONDS.toMillis(nanos),
                        TimeUnit.NANOSECONDS.toMillis(syncWarnNanos),
                        held == 0 ? "" : " (" + held + " more slow syncs were not logged)");
            }
        }
    }

    /** Counts what the core owns into a new {@link CoreFigures}; core thread. */
    void copyFigures(BrokerState state, long nowNanos) {
        figuresCopiedNanos = nowNanos;
        Map<CoreFigures.ListenerProtocol, Long> connections = new HashMap<>();
        for (Connection c : state.connections) {
            String protocol = c.phase() == ConnectionPhase.CONNECTED ? protocolName(c) : "none";
            connections.merge(new CoreFigures.ListenerProtocol(c.origin().listener(), protocol), 1L, Long::sum);
        }
        long online = 0;
        long queuedMessages = 0;
        long queuedBytes = 0;
        long largestMessages = 0;
        long largestBytes = 0;
        Map<String, CoreAdmin.SessionInfo> bridges = new HashMap<>();
        for (Session s : state.sessions.values()) {
            if (s.clientId().startsWith(BridgeConfig.SESSION_PREFIX)) {
                // A few per broker; a non-empty queue costs one index seek for its oldest message.
                bridges.put(s.clientId().substring(BridgeConfig.SESSION_PREFIX.length()), AdminDesk.info(state, s));
            }
            if (s.isConnected()) {
                online++;
            }
            long messages = s.outbound().queuedCount();
            long bytes = s.outbound().queuedBytes();
            queuedMessages += messages;
            queuedBytes += bytes;
            largestMessages = Math.max(largestMessages, messages);
            largestBytes = Math.max(largestBytes, bytes);
        }
        assert online == state.clientsConnected : online + " sessions online, counted " + state.clientsConnected;
        figures = new CoreFigures(
                state.stats.snapshot(),
                state.stats.qosCounts(),
                connections,
                online,
                state.sessions.size() - online,
                state.subscriptions.size(),
                state.retained.size(),
                queuedMessages,
                queuedBytes,
                largestMessages,
                largestBytes,
                state.persistence.appendedRecords(),
                state.persistence.appendedBytes(),
                state.persistence.unappliedRecords(),
                bridges,
                nowNanos);
    }

    static String protocolName(Connection c) {
        return switch (c.version()) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
    }
}
