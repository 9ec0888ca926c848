package dev.cairn.benchmarks.routing;

import java.util.SplittableRandom;

/**
 * Synthesises topic filters and topic names for a plant-monitoring deployment: topics of the
 * form {@code site/{s}/line/{l}/sensor/{n}/{measure}}, with 100 sites, 20 lines per site, 100
 * sensors per line and 4 measures. Filters are 70% exact, 20% with one {@code +} and 10% ending
 * in {@code #}, each wildcard kind in three shapes (a dashboard per line, an alerting rule per
 * measure, a per-site archiver...), so a typical topic matches a few dozen subscriptions, most of
 * them the coarse {@code site/{s}/#} ones. Deterministic for a given seed; not thread-safe.
 */
final class SubscriptionGenerator {
    static final int SITES = 100;
    static final int LINES_PER_SITE = 20;
    static final int SENSORS_PER_LINE = 100;
    static final String[] MEASURES = {"temp", "humidity", "pressure", "vibration"};

    private final SplittableRandom random;

    SubscriptionGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One filter from the 70 / 20 / 10 mix of exact, {@code +} and {@code #} filters. */
    String nextFilter() {
        int percent = random.nextInt(100);
        if (percent < 70) {
            return nextSensorTopic();
        }
        String site = Integer.toString(random.nextInt(SITES));
        String line = Integer.toString(random.nextInt(LINES_PER_SITE));
        String sensor = Integer.toString(random.nextInt(SENSORS_PER_LINE));
        String measure = MEASURES[random.nextInt(MEASURES.length)];
        int shape = random.nextInt(3);
        if (percent < 90) {
            switch (shape) {
                case 0:
                    return "site/" + site + "/line/+/sensor/" + sensor + "/" + measure;
                case 1:
                    return "site/" + site + "/line/" + line + "/sensor/+/" + measure;
                default:
                    return "site/+/line/" + line + "/sensor/" + sensor + "/+";
            }
        }
        switch (shape) {
            case 0:
                return "site/" + site + "/#";
            case 1:
                return "site/" + site + "/line/" + line + "/#";
            default:
                return "site/" + site + "/line/" + line + "/sensor/" + sensor + "/#";
        }
    }

    /** A topic a sensor publishes to; every one lies inside the subscribed tree. */
    String nextSensorTopic() {
        return "site/" + random.nextInt(SITES) + "/line/" + random.nextInt(LINES_PER_SITE) + "/sensor/"
                + random.nextInt(SENSORS_PER_LINE) + "/" + MEASURES[random.nextInt(MEASURES.length)];
    }

    /** A topic outside every filter's tree (vehicle telemetry on the same broker). */
    String nextUnmatchedTopic() {
        return "fleet/truck-" + random.nextInt(5_000) + "/gps/" + (random.nextBoolean() ? "position" : "speed");
    }

    /** A subscriber id; many subscribers hold several filters, as dashboards and services do. */
    String nextSubscriber(int subscriberCount) {
        return "client-" + random.nextInt(subscriberCount);
    }
}
