package dev.cairn.broker.core;

import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.delivery.OldestQueued;
import dev.cairn.broker.delivery.QueueTotals;
import dev.cairn.broker.measure.Histogram;
import dev.cairn.broker.session.Connection;
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
 * each sync made durable (the group-commit size), and the figures of {@link CoreFigures}, copied
 * at most every {@link #FIGURES_INTERVAL_NANOS} of real time, never on a reader's request, from
 * running totals (no scan of the sessions or connections; {@link #copyFigures}). Durations are real
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
    /** How often at most the core copies {@link CoreFigures}. */
    static final long FIGURES_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Logger LOG = LoggerFactory.getLogger(CoreMeasures.class);

    private final Histogram turnNanos = new Histogram(DURATION_BOUNDS_NANOS);
    private final Histogram syncNanos = new Histogram(DURATION_BOUNDS_NANOS);
    private final Histogram recordsPerSync = new Histogram(RECORDS_PER_SYNC_BOUNDS);
    private final Histogram figuresCopyNanos = new Histogram(DURATION_BOUNDS_NANOS);
    private final AtomicLong slowSyncs = new AtomicLong();
    private long syncWarnNanos;
    /** disk_free_warn_bytes as the core last took it, for /metrics. */
    private volatile long diskFreeWarnBytes;

    private final LineBudget slowSyncLines = new LineBudget(1, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private volatile CoreFigures figures;
    private long turnStartedNanos;
    private long appendedAtLastSync;
    private long figuresCopiedNanos;

    CoreMeasures(long syncWarnMillis, long diskFreeWarnBytes) {
        this.syncWarnNanos = TimeUnit.MILLISECONDS.toNanos(syncWarnMillis);
        this.diskFreeWarnBytes = diskFreeWarnBytes;
    }

    /** A new fsync_warn_ms (a reload); core thread. */
    void syncWarnMillis(long millis) {
        syncWarnNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** A new disk_free_warn_bytes (a reload); core thread. */
    void diskFreeWarnBytes(long bytes) {
        diskFreeWarnBytes = bytes;
    }

    /** The disk_free_warn_bytes in force (the start's, or the last reload's the core took); any thread. */
    public long diskFreeWarnBytes() {
        return diskFreeWarnBytes;
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

    /** Each copy of the figures' duration on the core thread; any thread. */
    public Histogram figuresCopyNanos() {
        return figuresCopyNanos;
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

    /**
     * Copies what the core owns into a new {@link CoreFigures}; core thread. Nothing here looks
     * at every session or connection: the queue figures are running totals settled for the queues
     * that changed since the previous copy ({@link QueueTotals#update}), the oldest queued message
     * comes from the marks of {@link OldestQueued}, and connections are counted as they come and
     * go ({@link ConnectionCounts}). Its duration is {@link #figuresCopyNanos}.
     */
    void copyFigures(BrokerState state, long nowNanos) {
        figuresCopiedNanos = nowNanos;
        QueueTotals queues = state.queueTotals;
        queues.update();
        long oldestAt = queues.oldest().oldestQueuedAtMillis();
        long oldestAge = oldestAt < 0 ? -1 : Math.max(0, state.clock.currentTimeMillis() - oldestAt);
        Map<String, CoreAdmin.SessionInfo> bridges = new HashMap<>();
        for (BridgeConfig b : state.config.bridges()) {
            // A few per broker, found by name; a non-empty queue costs one index seek for its oldest message.
            Session s = state.sessions.get(BridgeConfig.SESSION_PREFIX + b.name());
            if (s != null) {
                bridges.put(b.name(), AdminDesk.info(state, s));
            }
        }
        figures = new CoreFigures(
                state.stats.snapshot(),
                state.stats.qosCounts(),
                state.connectionCounts.snapshot(),
                state.clientsConnected,
                state.sessions.size() - state.clientsConnected,
                state.subscriptions.size(),
                state.retained.size(),
                queues.messages(),
                queues.bytes(),
                queues.largestMessages(),
                queues.largestBytes(),
                oldestAge,
                state.persistence.appendedRecords(),
                state.persistence.appendedBytes(),
                state.persistence.unappliedRecords(),
                bridges,
                nowNanos);
        figuresCopyNanos.record(System.nanoTime() - nowNanos);
    }

    static String protocolName(Connection c) {
        return switch (c.version()) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
    }
}
