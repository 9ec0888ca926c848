package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.RetainHandling;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The backlog scenario: N subscribers (default 1) with persistent sessions (Clean Start 0, and
 * in MQTT 5 a Session Expiry Interval of an hour) subscribe and go away; one publisher publishes
 * K messages as fast as its window allows and waits for all acknowledgements, so the broker holds
 * N x K queued messages; then the subscribers come back together and we time from their
 * reconnect to the last of the N x K distinct deliveries.
 *
 * <p>Thread safety: {@link #run} is called once by the controlling thread.
 */
final class BacklogRun {
    private final LoadOptions options;
    private final Transport transport;
    private final String runId;
    private final BrokerProcessMonitor broker;

    BacklogRun(LoadOptions options, Transport transport, String runId, BrokerProcessMonitor broker) {
        this.options = options;
        this.transport = transport;
        this.runId = runId;
        this.broker = broker;
    }

    Map<Metric, Double> run() {
        String topic = "cairn-bench/" + runId + "/backlog";
        int sessions = options.subscribers();
        long messages = options.backlogMessages();
        // Closed loop at the window: publish as fast as the broker acknowledges.
        Publisher publisher =
                new Publisher(0, topic, options.qos(), options.payloadBytes(), Pacing.closedLoop(Integer.MAX_VALUE), 1);
        DeliveryLedger[] ledgers = new DeliveryLedger[sessions];
        try (Fleet fleet = new Fleet(transport, options)) {
            for (int s = 0; s < sessions; s++) {
                ledgers[s] = new DeliveryLedger(1);
                MqttConnection offline = fleet.connect(
                        ClientSettings.persistent(
                                subscriberId(s), options.protocol(), ClientSettings.SessionStart.CLEAN),
                        MqttConnection.NO_MESSAGES);
                Fleet.await(
                        offline.subscribe(List.of(new Packet.Subscription(
                                topic, options.qos(), false, false, RetainHandling.SEND_ON_SUBSCRIBE))),
                        30,
                        "SUBSCRIBE");
                fleet.disconnect(offline);
            }

            publisher.attach(fleet.connect(ClientSettings.clean(runId + "-backlog-p", options.protocol()), publisher));
            publishExactly(publisher, messages);

            double cpuStart = broker == null ? 0 : broker.cpuSeconds();
            long startNanos = System.nanoTime();
            for (int s = 0; s < sessions; s++) {
                fleet.connect(
                        ClientSettings.persistent(
                                subscriberId(s), options.protocol(), ClientSettings.SessionStart.RESUME),
                        new Subscriber(ledgers[s], null));
            }
            long drainedNanos = awaitDistinct(ledgers, messages * sessions);
            double seconds = (drainedNanos - startNanos) / 1e9;
            return metrics(ledgers, messages, seconds, cpuStart);
        }
    }

    private String subscriberId(int session) {
        return runId + "-backlog-s" + session;
    }

    /** Publishes until {@code count} messages are acknowledged; the publisher stops itself at the count. */
    private void publishExactly(Publisher publisher, long count) {
        publisher.limitTo(count);
        publisher.start();
        long deadlineNanos = System.nanoTime() + 600_000_000_000L;
        while (publisher.sentCount() < count) {
            if (System.nanoTime() > deadlineNanos) {
                throw new LoadRunException("publishing the backlog took over 600 s");
            }
            Fleet.sleepMillis(1);
        }
        Fleet.await(publisher.stop(), 10, "stopping the publisher");
        while (Fleet.await(publisher.inflightCount(), 10, "in-flight count") > 0) {
            Fleet.sleepMillis(5);
        }
    }

    /** Returns when the ledgers hold {@code count} distinct messages in all (or the drain time is up). */
    private long awaitDistinct(DeliveryLedger[] ledgers, long count) {
        long deadlineNanos = System.nanoTime() + Math.max(options.drainSeconds(), 600) * 1_000_000_000L;
        long lastNanos = System.nanoTime();
        long lastDistinct = 0;
        while (System.nanoTime() < deadlineNanos) {
            long distinct = 0;
            for (DeliveryLedger ledger : ledgers) {
                distinct += ledger.distinctTotal();
            }
            if (distinct != lastDistinct) {
                lastDistinct = distinct;
                lastNanos = System.nanoTime();
            }
            if (distinct >= count) {
                return lastNanos;
            }
            if (System.nanoTime() - lastNanos > options.drainSeconds() * 1_000_000_000L) {
                break;
            }
            Fleet.sleepMillis(1);
        }
        return lastNanos;
    }

    private Map<Metric, Double> metrics(DeliveryLedger[] ledgers, long messages, double seconds, double cpuStart) {
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        DeliveryLedger.Totals totals = DeliveryLedger.Totals.ZERO;
        for (DeliveryLedger ledger : ledgers) {
            totals = totals.plus(ledger.totals(new long[] {messages}));
        }
        metrics.put(Metric.BACKLOG_MESSAGES, (double) messages * ledgers.length);
        metrics.put(Metric.DRAIN_SECONDS, seconds);
        metrics.put(Metric.DRAIN_PER_SECOND, totals.distinct() / seconds);
        metrics.put(Metric.LOST, (double) totals.lost());
        metrics.put(Metric.DUPLICATES, (double) totals.duplicates());
        metrics.put(Metric.OUT_OF_ORDER, (double) totals.outOfOrder());
        if (broker != null) {
            double cpuSeconds = broker.cpuSeconds() - cpuStart;
            metrics.put(Metric.BROKER_CPU_SECONDS, cpuSeconds);
            metrics.put(Metric.BROKER_CPU_SECONDS_PER_MILLION, cpuSeconds / (Math.max(1, totals.distinct()) / 1e6));
            metrics.put(Metric.BROKER_PEAK_RSS_KIB, (double) broker.peakRssKiB());
            metrics.put(Metric.BROKER_HWM_KIB, (double) broker.highWaterMarkKiB());
        }
        return metrics;
    }
}
