package dev.cairn.broker.core;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.measure.Histogram;
import dev.cairn.protocol.CairnVersion;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The broker's own figures on {@code $SYS/broker/...} topics, published every {@code
 * sys_interval_seconds} as retained QoS 0 messages (docs/operations.md, "$SYS topics"): the names
 * mosquitto uses where it has one, and Cairn's own for the journal and the queues. The figures are
 * the ones {@code /metrics} shows, from the same copy ({@link CoreMeasures#copyFigures}), so both
 * agree. Like mosquitto, a topic is published again only when its value changed; a subscriber that
 * comes later gets the last value of each as a retained message. The messages live in memory only
 * ({@link BrokerState#sysRetained}): nothing is journaled, so they cost the disk nothing and
 * never appear in the journal, the index or a dump. Core thread only.
 */
final class SysTopics {
    /** The topics' common prefix. */
    static final String PREFIX = "$SYS/broker/";

    private static final String CLIENT_ID = "$SYS";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The time constants of the load averages, seconds, and the names of their topics. */
    private static final long[] LOAD_SECONDS = {60, 300, 900};

    private static final String[] LOAD_NAMES = {"1min", "5min", "15min"};

    private final BrokerState state;
    private final Router router;
    private final CoreMeasures measures;
    private long intervalNanos;
    private final long startedNanos;
    private final Map<String, String> lastPublished = new HashMap<>();
    private final Map<String, TopicName> topics = new HashMap<>();
    /** Per load topic: the previous count and the current average (per minute). */
    private final Map<String, double[]> loads = new HashMap<>();

    private long lastRunNanos;
    private Histogram.Counts lastSyncs;

    /** {@code intervalSeconds} 0 publishes nothing. */
    SysTopics(BrokerState state, Router router, CoreMeasures measures, int intervalSeconds) {
        this.state = state;
        this.router = router;
        this.measures = measures;
        this.intervalNanos = intervalSeconds * NANOS_PER_SECOND;
        this.startedNanos = state.nowNanos;
        this.lastRunNanos = state.nowNanos - intervalNanos;
        this.lastSyncs = measures.syncNanos().read();
    }

    /**
     * A new interval (a reload of sys_interval_seconds); 0 stops the publications. The next one
     * is due the new interval after the last.
     */
    void interval(int seconds) {
        intervalNanos = seconds * NANOS_PER_SECOND;
    }

    /**
     * Whether {@code topic} is one of the broker's own: {@code $SYS} or below it. No client may
     * publish there, nor have a will published there (as in mosquitto).
     */
    static boolean isSys(String topic) {
        return topic.startsWith("$SYS") && (topic.length() == 4 || topic.charAt(4) == '/');
    }

    /** Nanoseconds until the next publication is due; {@link Long#MAX_VALUE} when off. */
    long nanosUntilDue() {
        if (intervalNanos == 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, lastRunNanos + intervalNanos - state.nowNanos);
    }

    /** Publishes the figures when the interval has passed since the last time. */
    void publishIfDue() {
        if (intervalNanos == 0 || state.nowNanos - lastRunNanos < intervalNanos) {
            return;
        }
        long elapsedNanos = state.nowNanos - lastRunNanos;
        boolean first = lastPublished.isEmpty();
        lastRunNanos = state.nowNanos;
        measures.copyFigures(state, System.nanoTime());
        CoreFigures f = measures.figures();
        BrokerStats s = f.stats();
        CoreFigures.QosCounts q = f.byQos();
        if (first) {
            publish("version", "cairn version " + CairnVersion.get());
        }
        publish("uptime", (state.nowNanos - startedNanos) / NANOS_PER_SECOND + " seconds");
        publish("clients/connected", f.sessionsOnline());
        publish("clients/disconnected", f.sessionsOffline());
        publish("clients/total", f.sessionsOnline() + f.sessionsOffline());
        publish("clients/maximum", s.clientsConnectedMax());
        long received = sum(q.received());
        long sent = sum(q.delivered());
        long bytesReceived = sum(q.receivedBytes());
        long bytesSent = sum(q.deliveredBytes());
        publish("messages/received", received);
        publish("messages/sent", sent);
        publish("messages/stored", f.queuedMessages() + f.retained());
        publish("subscriptions/count", f.subscriptions());
        publish("retained messages/count", f.retained());
        publish("bytes/received", bytesReceived);
        publish("bytes/sent", bytesSent);
        double seconds = first ? 0 : elapsedNanos / (double) NANOS_PER_SECOND;
        load("load/messages/received", received, seconds);
        load("load/messages/sent", sent, seconds);
        load("load/bytes/received", bytesReceived, seconds);
        load("load/bytes/sent", bytesSent, seconds);
        load("load/connections", s.connectsAccepted(), seconds);
        Histogram.Counts syncs = measures.syncNanos().read();
        Histogram.Counts interval = syncs.since(lastSyncs);
        lastSyncs = syncs;
        publish("journal/fsync/p50", millis(interval.quantileUpperBound(0.5)));
        publish("journal/fsync/p99", millis(interval.quantileUpperBound(0.99)));
        publish("queue/messages", f.queuedMessages());
        publish("queue/bytes", f.queuedBytes());
        publish("queue/largest", f.largestQueueMessages());
    }

    /**
     * A load average: the count's growth per minute over the last interval, averaged with an
     * exponential decay over 1, 5 and 15 minutes, as mosquitto's {@code load/...} topics are. The
     * first publication shows 0: there is no interval before it.
     */
    private void load(String name, long count, double seconds) {
        for (int i = 0; i < LOAD_SECONDS.length; i++) {
            String topic = name + "/" + LOAD_NAMES[i];
            double[] load = loads.computeIfAbsent(topic, t -> new double[] {count, 0});
            if (seconds > 0) {
                double perMinute = (count - load[0]) * 60.0 / seconds;
                double keep = Math.exp(-seconds / LOAD_SECONDS[i]);
                load[1] = load[1] * keep + perMinute * (1 - keep);
            }
            load[0] = count;
            publish(topic, String.format(Locale.ROOT, "%.2f", load[1]));
        }
    }

    /** A histogram bound of nanoseconds as milliseconds; "+Inf" above the highest bound. */
    private static String millis(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "+Inf";
        }
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }

    private void publish(String name, long value) {
        publish(name, Long.toString(value));
    }

    /** Publishes {@code $SYS/broker/name} unless it already holds {@code value}. */
    private void publish(String name, String value) {
        if (value.equals(lastPublished.put(name, value))) {
            return;
        }
        TopicName topic = topics.computeIfAbsent(name, SysTopics::topic);
        Message message = new Message(
                topic.value(),
                QoS.AT_MOST_ONCE,
                true,
                value.getBytes(StandardCharsets.UTF_8),
                Properties.EMPTY,
                CLIENT_ID,
                Message.NEVER_EXPIRES);
        router.publishSys(message, topic);
    }

    private static TopicName topic(String name) {
        try {
            return TopicName.parse(PREFIX + name, TopicLimits.PROTOCOL);
        } catch (InvalidTopicException e) {
            throw new IllegalStateException("a $SYS topic is invalid: " + e.getMessage(), e);
        }
    }
}
