package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The connections scenario: open N idle MQTT connections at a target rate, hold them, and report
 * the rate achieved and what the broker's resident memory grew by per connection. Connections
 * keep alive with PINGREQ and carry no other traffic. The baseline is taken once the broker's
 * RSS has been flat for two seconds ({@link SettleDetector}): a JVM started a moment ago is
 * still growing, and that growth is not the connections'.
 *
 * <p>Thread safety: {@link #run} is called once by the controlling thread.
 */
final class ConnectionsRun {
    /** At most this many CONNECTs wait for their CONNACK at once, so a slow broker is not flooded. */
    private static final int PENDING_CONNECTS_MAX = 256;

    private static final long SETTLE_WINDOW_MILLIS = 2_000;
    private static final long SETTLE_TOLERANCE_KIB = 512;
    private static final long SETTLE_TIMEOUT_MILLIS = 30_000;

    private final LoadOptions options;
    private final Transport transport;
    private final String runId;
    private final BrokerProcessMonitor broker;

    ConnectionsRun(LoadOptions options, Transport transport, String runId, BrokerProcessMonitor broker) {
        this.options = options;
        this.transport = transport;
        this.runId = runId;
        this.broker = broker;
    }

    Map<Metric, Double> run() {
        int count = options.connections();
        List<CompletableFuture<MqttConnection>> opened = new ArrayList<>(count);
        if (broker != null) {
            // The figure is for the connections: let a broker that just started finish growing first.
            long waited = broker.awaitSettled(SETTLE_WINDOW_MILLIS, SETTLE_TOLERANCE_KIB, SETTLE_TIMEOUT_MILLIS);
            System.out.println(
                    waited < 0
                            ? "broker RSS still changing after " + SETTLE_TIMEOUT_MILLIS + " ms; measuring from here"
                            : "broker RSS settled after " + waited + " ms");
        }
        long rssBeforeKiB = broker == null ? 0 : broker.rssKiB();
        long startNanos = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                paceConnect(startNanos, i);
                waitForRoom(opened);
                opened.add(MqttConnection.open(
                        transport,
                        options.host(),
                        options.port(),
                        options.login(ClientSettings.clean(runId + "-c" + i, options.protocol())),
                        1,
                        MqttConnection.NO_MESSAGES));
            }
            for (CompletableFuture<MqttConnection> future : opened) {
                Fleet.await(future, Fleet.CONNECT_TIMEOUT_SECONDS, "CONNECT");
            }
            double connectSeconds = (System.nanoTime() - startNanos) / 1e9;
            Fleet.sleepMillis(options.holdSeconds() * 1_000L);
            Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
            metrics.put(Metric.CONNECTIONS, (double) count);
            metrics.put(Metric.CONNECT_PER_SECOND, count / connectSeconds);
            if (broker != null) {
                long rssAfterKiB = broker.rssKiB();
                metrics.put(Metric.RSS_PER_CONNECTION_BYTES, (rssAfterKiB - rssBeforeKiB) * 1024.0 / count);
                metrics.put(Metric.BROKER_PEAK_RSS_KIB, (double) broker.peakRssKiB());
                metrics.put(Metric.BROKER_HWM_KIB, (double) broker.highWaterMarkKiB());
            }
            return metrics;
        } finally {
            closeAll(opened);
        }
    }

    /** Sleeps until connection {@code index} is due at the target connect rate. */
    private void paceConnect(long startNanos, int index) {
        long dueNanos = startNanos + (long) (index * 1e9 / options.connectRate());
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 1_000_000) {
            Fleet.sleepMillis(waitNanos / 1_000_000);
        }
    }

    private static void waitForRoom(List<CompletableFuture<MqttConnection>> opened) {
        int oldestPending = Math.max(0, opened.size() - PENDING_CONNECTS_MAX);
        if (opened.size() >= PENDING_CONNECTS_MAX) {
            Fleet.await(opened.get(oldestPending), Fleet.CONNECT_TIMEOUT_SECONDS, "CONNECT");
        }
    }

    private static void closeAll(List<CompletableFuture<MqttConnection>> opened) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (CompletableFuture<MqttConnection> future : opened) {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                closing.add(future.join().disconnect());
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort: the transport's shutdown closes the rest.
        }
    }
}
