package dev.cairn.tools;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work on stderr: a redrawn bar with rate and ETA on a terminal, or a plain line
 * every few seconds otherwise (log files and CI should not fill up with carriage returns).
 * Confined to the working thread.
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        /** A bar redrawn in place, for a terminal. */
        BAR,
        /** A plain line per interval, for logs. */
        LINES,
        /** Nothing. */
        OFF
    }

    private static final long BAR_REDRAW_NANOS = 250_000_000L;
    private static final long LINE_INTERVAL_NANOS_DEFAULT = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintWriter err;
    private final Mode mode;
    private final long intervalNanos;
    private final long startNanos;
    private long done;
    private long lastShownNanos;

    Progress(String label, long total, PrintWriter err, Mode mode, long intervalNanos) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.mode = mode;
        this.intervalNanos = intervalNanos;
        this.startNanos = System.nanoTime();
        this.lastShownNanos = startNanos;
    }

    /**
     * Progress for {@code total} units of work ({@code <= 0} when unknown): a bar if the JVM has a
     * console (both stdin and stdout are a terminal), plain lines every 5 s otherwise.
     */
    public static Progress start(String label, long total, PrintWriter err) {
        Mode mode = System.console() != null ? Mode.BAR : Mode.LINES;
        return new Progress(label, total, err, mode, mode == Mode.BAR ? BAR_REDRAW_NANOS : LINE_INTERVAL_NANOS_DEFAULT);
    }

    /** Progress shown in a chosen mode and interval (tests, and commands whose stdout is the data). */
    public static Progress start(String label, long total, PrintWriter err, Mode mode, long intervalMillis) {
        return new Progress(label, total, err, mode, intervalMillis * 1_000_000L);
    }

    public void advance(long units) {
        done += units;
        if (mode == Mode.OFF) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastShownNanos >= intervalNanos) {
            lastShownNanos = now;
            show(now);
        }
    }

    /** Ends the display: clears the bar's line, or prints a last line if any line was printed. */
    public void finish() {
        if (mode == Mode.BAR) {
            err.print("\r" + " ".repeat(BAR_WIDTH + 60) + "\r");
            err.flush();
        }
    }

    private void show(long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = total > 0 && rate > 0 ? duration((total - done) / rate) : "?";
        String count = total > 0 ? String.format(Locale.ROOT, "%d/%d (%d%%)", done, total, percent()) : done + "";
        if (mode == Mode.BAR) {
            int filled = total > 0 ? (int) (BAR_WIDTH * Math.min(1.0, (double) done / total)) : 0;
            err.print(String.format(
                    Locale.ROOT,
                    "\r%s [%s%s] %s %s/s ETA %s",
                    label,
                    "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled),
                    count,
                    human(rate),
                    eta));
        } else {
            err.println(String.format(Locale.ROOT, "%s: %s, %s/s, ETA %s", label, count, human(rate), eta));
        }
        err.flush();
    }

    private long percent() {
        return total > 0 ? Math.min(100, done * 100 / total) : 0;
    }

    private static String human(double rate) {
        if (rate >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", rate / 1_000_000);
        } else if (rate >= 1_000) {
            return String.format(Locale.ROOT, "%.1fk", rate / 1_000);
        }
        return String.format(Locale.ROOT, "%.0f", rate);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
