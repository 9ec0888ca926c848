package dev.cairn.broker.bridge;

import dev.cairn.broker.time.LineBudget;
import java.util.concurrent.TimeUnit;

/**
 * The link side of one bridge's status (docs/operations.md, "Bridges"): whether it is connected
 * and since when, the remote address it uses or tries, the PUBLISHes it sent and the QoS 1/2
 * messages the remote acknowledged, the reconnects and failed attempts, and the last error. The
 * queue side (depth, bytes, oldest message) is the bridge session's, which only the core knows.
 * Written on the bridge's event loop only, so each field has one writer; read on any thread
 * ({@link #snapshot}) by the admin listener, which so never asks the bridge or the core anything.
 *
 * <p>It also decides which lines about the link are logged, so that a link that flaps, or a
 * remote that refuses at a short retry interval, cannot flood the log: at most {@value
 * #LINES_PER_MINUTE} a minute per bridge of connects and ends of links, and as many of failed
 * attempts, counted apart so that the line saying the link is back is not held back by the
 * failures before it; the next line written says how many were held back.
 */
public final class BridgeStatus {
    static final int LINES_PER_MINUTE = 10;

    private final String name;
    private final LineBudget linkLines =
            new LineBudget(LINES_PER_MINUTE, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    private final LineBudget attemptLines =
            new LineBudget(LINES_PER_MINUTE, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    private volatile boolean connected;
    private volatile long sinceMillis = System.currentTimeMillis();
    private volatile String remote;
    private volatile long sent;
    private volatile long acknowledged;
    private volatile long links;
    private volatile long failures;
    private volatile String lastError;
    private volatile long lastErrorAtMillis = -1;

    BridgeStatus(String name) {
        this.name = name;
    }

    /**
     * One bridge's status at one moment.
     *
     * @param sinceMillis wall clock of the last connect while connected, else of the last
     *     disconnect (or of the broker's start, before any link)
     * @param remote the address of the current link, or of the attempt under way; null before the first
     * @param sent PUBLISH packets written to the remote (re-sends with DUP included), all QoS
     * @param acknowledged QoS 1 and 2 messages the remote acknowledged (PUBACK, PUBCOMP)
     * @param reconnects links made after the first since the broker started
     * @param failures attempts that failed and links that ended, other than by the broker's stop
     * @param lastError why the last attempt failed or the last link ended; null for none
     * @param lastErrorAtMillis wall clock of {@code lastError}, -1 for none
     */
    public record Snapshot(
            String name,
            boolean connected,
            long sinceMillis,
            String remote,
            long sent,
            long acknowledged,
            long reconnects,
            long failures,
            String lastError,
            long lastErrorAtMillis) {}

    public String name() {
        return name;
    }

    /** Any thread. */
    public Snapshot snapshot() {
        long l = links;
        return new Snapshot(
                name,
                connected,
                sinceMillis,
                remote,
                sent,
                acknowledged,
                Math.max(0, l - 1),
                failures,
                lastError,
                lastErrorAtMillis);
    }

    // ---- The bridge's event loop only (one writer per field, so ++ on a volatile is safe). ----

    void connecting(Object address) {
        remote = address.toString();
    }

    void linked(Object address) {
        remote = address.toString();
        links++;
        sinceMillis = System.currentTimeMillis();
        connected = true;
    }

    /** The attempt or the link ended for {@code why}; {@code failure} false for the broker's own stop. */
    void unlinked(String why, boolean failure) {
        if (connected) {
            sinceMillis = System.currentTimeMillis();
        }
        connected = false;
        if (failure) {
            failures++;
            lastError = why;
            lastErrorAtMillis = System.currentTimeMillis();
        }
    }

    void sent() {
        sent++;
    }

    void acknowledged() {
        acknowledged++;
    }

    /**
     * Whether the next line about a connect or the end of a link may be written: null when not (it
     * is counted), else what to append to it, empty or saying how many such lines were held back.
     */
    String mayLogLink() {
        return suffix(linkLines.take(), "connect and disconnect");
    }

    /** As {@link #mayLogLink}, for a failed connect attempt. */
    String mayLogAttempt() {
        return suffix(attemptLines.take(), "failed attempt");
    }

    private static String suffix(long held, String what) {
        if (held < 0) {
            return null;
        }
        return held == 0 ? "" : " (" + held + " more " + what + " lines of this bridge were not logged)";
    }
}
