package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the broker process's CPU time and memory from /proc (Linux only): CPU as utime+stime
 * from /proc/PID/stat in clock ticks, and resident memory as VmRSS (sampled every 100 ms on a
 * daemon thread, keeping the peak) and VmHWM from /proc/PID/status.
 *
 * <p>Thread safety: {@link #cpuSeconds} and {@link #rssKiB} are safe from any thread; start and
 * close from one.
 */
final class BrokerProcessMonitor implements AutoCloseable {
    private static final long SAMPLE_PERIOD_MILLIS = 100;

    private final long pid;
    private final double ticksPerSecond;
    private final ScheduledExecutorService sampler;
    private volatile long peakRssKiB;

    BrokerProcessMonitor(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicksPerSecond();
        if (!Files.exists(Path.of("/proc", Long.toString(pid), "stat"))) {
            throw new IllegalArgumentException("no process " + pid + " in /proc");
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "broker-rss-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sampleRss, 0, SAMPLE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** User plus system CPU seconds the broker has used since it started. */
    double cpuSeconds() {
        String stat = read("stat");
        // The command name may contain spaces and parentheses; fields resume after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utimeTicks = Long.parseLong(fields[11]);
        long stimeTicks = Long.parseLong(fields[12]);
        return (utimeTicks + stimeTicks) / ticksPerSecond;
    }

    long rssKiB() {
        return statusKiB("VmRSS:");
    }

    long highWaterMarkKiB() {
        return statusKiB("VmHWM:");
    }

    long peakRssKiB() {
        return peakRssKiB;
    }

    /**
     * Waits until the broker's RSS has been flat for {@code window} (within {@code toleranceKiB},
     * {@link SettleDetector}), at most {@code timeoutMillis}; returns the milliseconds waited, or
     * -1 if it never settled (the caller goes on and says so).
     */
    long awaitSettled(long windowMillis, long toleranceKiB, long timeoutMillis) {
        SettleDetector detector =
                new SettleDetector((int) Math.max(2, windowMillis / SAMPLE_PERIOD_MILLIS + 1), toleranceKiB);
        long start = System.nanoTime();
        while (true) {
            if (detector.offer(rssKiB())) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() - start > timeoutMillis * 1_000_000) {
                return -1;
            }
            Fleet.sleepMillis(SAMPLE_PERIOD_MILLIS);
        }
    }

    /** Forgets the peak so far, so the next peak covers only what follows. */
    void resetPeak() {
        peakRssKiB = rssKiB();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private void sampleRss() {
        try {
            long rss = rssKiB();
            if (rss > peakRssKiB) {
                peakRssKiB = rss;
            }
        } catch (RuntimeException processGone) {
            // The broker exited; the run will notice on its own connections.
        }
    }

    private long statusKiB(String field) {
        for (String line : read("status").split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(
                        line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException(field + " missing from /proc/" + pid + "/status");
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    /** {@code getconf CLK_TCK}; 100 (the value on every mainstream Linux) if that fails. */
    static double clockTicksPerSecond() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            process.waitFor(5, TimeUnit.SECONDS);
            return Double.parseDouble(output);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
