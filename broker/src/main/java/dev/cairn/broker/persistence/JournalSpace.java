package dev.cairn.broker.persistence;

import dev.cairn.broker.time.LineBudget;
import dev.cairn.storage.journal.Journal;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the journal takes new data (docs/durability.md, "Full disk"). It refuses when the
 * journal's file system has less than {@code disk_free_min_bytes} free, or when the journal could
 * not write its blocks ahead of its records (a full disk however the threshold is set). While it
 * refuses, the broker refuses what would make the journal grow without bound (QoS 1/2 PUBLISHes,
 * new persistent sessions and their subscriptions) and lets through what drains it or is bounded
 * by it (deliveries and their acknowledgements, session ends). It resumes by itself once the
 * space is back: free space above the threshold by an eighth of it, so that a file system hovering
 * at the threshold does not switch at every check.
 *
 * <p>Below {@code disk_free_warn_bytes} it logs a WARN at most once a minute, before anything is
 * refused.
 *
 * <p>A reload (SIGHUP) gives it new thresholds through the core's inbox ({@link #thresholds});
 * the check that follows at once applies them, so a raised threshold refuses from the next
 * PUBLISH on and a lowered one resumes as soon as the space is above it by the margin.
 *
 * <p>Cheap: one {@code statvfs} once a second; sooner when the records appended since the last
 * one could have used half the space that was left above the threshold (a fast publisher would
 * otherwise write through the threshold within the second), and at most every 10 ms while a new
 * cycle file is due (the first append of a cycle goes into blocks nobody wrote yet). Core thread
 * only.
 */
final class JournalSpace {
    private static final Logger LOG = LoggerFactory.getLogger(JournalSpace.class);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CYCLE_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Appended bytes that make a check due sooner however much space is left. */
    private static final long APPENDED_CHECK_BYTES_MIN = 1 << 20;

    private final Journal journal;
    private long freeMinBytes;
    private long resumeFreeBytes;
    private long freeWarnBytes;
    private final LineBudget lowSpaceLines = new LineBudget(1, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    private long lastCheckNanos;
    private boolean checkedOnce;
    private long usableBytes = Long.MAX_VALUE;
    /** {@link Journal#appendedBytes} at the last check. */
    private long appendedAtCheck;
    /** Free space fell below the threshold and has not come back above the resume level. */
    private boolean belowMin;
    /** What the last WARN or INFO said: whether the journal refuses. */
    private boolean refusingLogged;

    JournalSpace(Journal journal, long freeMinBytes, long freeWarnBytes) {
        this.journal = journal;
        thresholds(freeMinBytes, freeWarnBytes);
    }

    /**
     * Takes {@code disk_free_min_bytes} and {@code disk_free_warn_bytes}; when either changed, the
     * next {@link #check} looks at the file system whether or not one is due.
     */
    void thresholds(long freeMinBytes, long freeWarnBytes) {
        if (freeMinBytes != this.freeMinBytes || freeWarnBytes != this.freeWarnBytes) {
            checkedOnce = false;
        }
        this.freeMinBytes = freeMinBytes;
        this.freeWarnBytes = freeWarnBytes;
        this.resumeFreeBytes = freeMinBytes + freeMinBytes / 8;
    }

    /** Whether new data must be refused now. */
    boolean refusing() {
        return belowMin || journal.spaceExhausted();
    }

    /** Looks at the file system when a check is due; logs when the journal starts or stops refusing. */
    void check(long nowNanos) {
        long since = nowNanos - lastCheckNanos;
        long appendedSince = journal.appendedBytes() - appendedAtCheck;
        boolean due = !checkedOnce
                || since >= CHECK_INTERVAL_NANOS
                || appendedSince >= Math.max(APPENDED_CHECK_BYTES_MIN, (usableBytes - freeMinBytes) / 2)
                || since >= CYCLE_CHECK_INTERVAL_NANOS && journal.newCycleDue();
        if (due) {
            checkedOnce = true;
            lastCheckNanos = nowNanos;
            measure();
        }
        boolean refusing = refusing();
        if (refusing != refusingLogged) {
            refusingLogged = refusing;
            if (!due) {
                usableBytes = journal.usableBytes(); // The journal's own refusal changed it: log today's figure.
            }
            if (refusing) {
                LOG.warn(
                        "the journal's file system is full or nearly so ({} bytes free, disk_free_min_bytes {}{}):"
                                + " QoS 1/2 PUBLISHes are refused before they are stored (MQTT 5: PUBACK/PUBREC 0x97 Quota"
                                + " exceeded; 3.1.1: the connection is closed without an acknowledgement), and so are new"
                                + " persistent sessions and their subscriptions. QoS 0 and deliveries of what is stored go on."
                                + " Free space on that file system; the broker resumes by itself",
                        usableBytes,
                        freeMinBytes,
                        journal.spaceExhausted() ? "; the journal could not write its blocks ahead" : "");
            } else {
                LOG.warn(
                        "the journal's file system has space again ({} bytes free, disk_free_min_bytes {}): QoS 1/2"
                                + " PUBLISHes, new sessions and subscriptions are accepted again",
                        usableBytes,
                        freeMinBytes);
            }
        }
    }

    private void measure() {
        appendedAtCheck = journal.appendedBytes();
        usableBytes = journal.usableBytes();
        if (freeMinBytes == 0) {
            belowMin = false; // Disabled, at start or by a reload while it refused.
        } else if (usableBytes < freeMinBytes) {
            belowMin = true;
        } else if (usableBytes >= resumeFreeBytes) {
            belowMin = false;
        }
        if (journal.spaceExhausted()) {
            journal.retrySpace();
        }
        warnIfLow();
    }

    /** The early warning of disk_free_warn_bytes: at most one line a minute while space is low. */
    private void warnIfLow() {
        if (freeWarnBytes == 0 || usableBytes >= freeWarnBytes) {
            return;
        }
        long held = lowSpaceLines.take();
        if (held >= 0) {
            LOG.warn(
                    "the journal's file system is low on space: {} bytes free, below disk_free_warn_bytes {};"
                            + " at disk_free_min_bytes {} QoS 1/2 PUBLISHes will be refused",
                    usableBytes,
                    freeWarnBytes,
                    freeMinBytes);
        }
    }
}
