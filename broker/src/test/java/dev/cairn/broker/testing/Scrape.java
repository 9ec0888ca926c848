package dev.cairn.broker.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of an admin listener's {@code /metrics}, parsed from the Prometheus text format into
 * samples keyed as they are written: {@code name} or {@code name{label="value",...}} with the
 * labels in the order the exposition gives them (sorted by name).
 */
public final class Scrape {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;
    private final String text;

    private Scrape(Map<String, Double> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    /** GETs {@code http://127.0.0.1:PORT/metrics}; fails unless the answer is 200 in the text format. */
    public static Scrape of(int adminPort) {
        HttpResponse<String> r = get(adminPort, "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/plain; version=0.0.4")) {
            throw new AssertionError("/metrics answered Content-Type " + type);
        }
        return parse(r.body());
    }

    /** Parses the text format: every line that is not a comment is {@code key value}. */
    public static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(samples, text);
    }

    /** A GET of {@code path} on the admin listener at {@code port}. */
    public static HttpResponse<String> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on port " + port + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    /** The value of sample {@code key}; fails with the whole scrape when there is none. */
    public double value(String key) {
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no sample " + key + " in:\n" + text);
        }
        return v;
    }

    public boolean has(String key) {
        return samples.containsKey(key);
    }

    /**
     * Scrapes until {@code condition} holds; fails with the last scrape after {@code timeout}. The
     * core publishes its figures a few times a second, so a figure catches up within moments.
     */
    public static Scrape await(int adminPort, Predicate<Scrape> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Scrape s = of(adminPort);
            if (condition.test(s)) {
                return s;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not seen within " + timeout + ": " + what + "; last scrape:\n" + s.text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scraping", e);
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
