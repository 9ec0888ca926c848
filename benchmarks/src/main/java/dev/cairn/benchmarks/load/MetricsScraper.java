package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes a Cairn broker's {@code /metrics} every {@code intervalSeconds} on its own thread while
 * a run measures, as a Prometheus server would, and counts the scrapes, the failed ones (an error
 * status, a refused connection, a timeout) and the slowest. From the last scrape it also takes
 * the broker's own measure of what the figures cost its core thread
 * ({@code cairn_core_figures_copy_seconds}: copies and their mean duration).
 *
 * <p>Thread safety: {@link #start} and {@link #stop} from the runner's thread; the counts are
 * read after {@link #stop} has joined the scraping thread.
 */
final class MetricsScraper {
    private static final Pattern ADMIN_LINE = Pattern.compile("Cairn admin listening on [^:\\s]+:(\\d+)");

    private final URI uri;
    private final long intervalMillis;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Thread thread;
    private volatile boolean running;
    private long scrapes;
    private long errors;
    private long slowestNanos;
    private String lastBody = "";
    private String baselineBody = "";

    private MetricsScraper(int adminPort, int intervalSeconds) {
        this.uri = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
        this.intervalMillis = intervalSeconds * 1000L;
    }

    /**
     * A scraper of the broker whose log is {@code brokerLog}: its admin listener's port (the
     * runner starts Cairn with {@code admin.port=0}) is the one its start-up line names.
     */
    static MetricsScraper forBrokerLog(Path brokerLog, int intervalSeconds) throws IOException {
        List<String> lines = Files.readAllLines(brokerLog, StandardCharsets.UTF_8);
        for (String line : lines) {
            Matcher m = ADMIN_LINE.matcher(line);
            if (m.find()) {
                return new MetricsScraper(Integer.parseInt(m.group(1)), intervalSeconds);
            }
        }
        throw new IOException("no 'Cairn admin listening on' line in " + brokerLog + ": cannot find the admin port");
    }

    /**
     * One scrape before the run (not counted), so that the figures' copies reported are those made
     * during the run only.
     */
    void baseline() throws IOException {
        scrapeOnce();
        if (errors > 0) {
            throw new IOException("the baseline scrape of " + uri + " failed");
        }
        baselineBody = lastBody;
        scrapes = 0;
        slowestNanos = 0;
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "metrics-scraper");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            scrapeOnce();
            next += intervalMillis * 1_000_000L;
            long waitNanos = next - System.nanoTime();
            if (waitNanos > 0) {
                synchronized (this) {
                    try {
                        if (running) {
                            wait(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void scrapeOnce() {
        long started = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() == 200) {
                lastBody = r.body();
            } else {
                errors++;
            }
        } catch (IOException e) {
            errors++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            errors++;
        }
        scrapes++;
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
    }

    /**
     * For a broker that was not scraped during the run: one scrape after it, for the broker's own
     * measure of its figures' copies during the run.
     */
    Map<String, String> copyCostAfterRun() {
        scrapeOnce();
        Map<String, String> out = new LinkedHashMap<>();
        copyCost(out);
        if (errors > 0) {
            out.put("scrape_errors", Long.toString(errors));
        }
        return out;
    }

    /** The copies of the figures made between the baseline and the last scrape, and their mean duration. */
    private void copyCost(Map<String, String> out) {
        String name = "cairn_core_figures_copy_seconds";
        double copies = sample(lastBody, name + "_count") - sample(baselineBody, name + "_count");
        double seconds = sample(lastBody, name + "_sum") - sample(baselineBody, name + "_sum");
        out.put("figures_copies", String.format(java.util.Locale.ROOT, "%.0f", copies));
        out.put(
                "figures_copy_mean_us",
                copies > 0 ? String.format(java.util.Locale.ROOT, "%.1f", seconds / copies * 1e6) : "-");
    }

    /** Stops scraping and returns what was seen, as settings for the run's JSON line. */
    Map<String, String> stop() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("scrapes", Long.toString(scrapes));
        out.put("scrape_errors", Long.toString(errors));
        out.put("scrape_slowest_ms", String.format(java.util.Locale.ROOT, "%.1f", slowestNanos / 1e6));
        copyCost(out);
        return out;
    }

    /** The value of the sample named exactly {@code name} (no labels) in a text-format scrape, NaN if absent. */
    static double sample(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
