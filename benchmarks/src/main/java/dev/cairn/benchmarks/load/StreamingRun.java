package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs one of the streaming scenarios (pairwise, fan-in, fan-out, shared): connect subscribers,
 * then publishers; publish through a warm-up; measure for the duration; stop the publishers,
 * wait for what is in flight to arrive, then count what was lost, duplicated or reordered over
 * the whole run.
 *
 * <p>Thread safety: {@link #run} is called once, by one thread, which is the controller; the
 * traffic itself runs on the transport's event loops.
 */
final class StreamingRun {
    /** With QoS 0 nothing guarantees the rest arrives: stop waiting after this long without progress. */
    private static final long DRAIN_STALL_MILLIS = 1_000;

    private final LoadOptions options;
    private final Transport transport;
    private final String runId;
    private final BrokerProcessMonitor broker;

    StreamingRun(LoadOptions options, Transport transport, String runId, BrokerProcessMonitor broker) {
        this.options = options;
        this.transport = transport;
        this.runId = runId;
        this.broker = broker;
    }

    Map<Metric, Double> run() {
        Topology topology =
                Topology.of(options.scenario(), options.publishers(), options.subscribers(), "cairn-bench/" + runId);
        Pacing pacing = options.pacing().perPublisher(options.publishers());
        Publisher[] publishers = new Publisher[options.publishers()];
        for (int i = 0; i < publishers.length; i++) {
            publishers[i] = new Publisher(
                    i,
                    topology.publisherTopics().get(i),
                    options.qos(),
                    options.payloadBytes(),
                    pacing,
                    topology.copiesPerMessage());
        }
        List<DeliveryLedger> ledgers = new ArrayList<>();
        for (int l = 0; l < topology.ledgerCount(); l++) {
            ledgers.add(new DeliveryLedger(publishers.length));
        }
        try (Fleet fleet = new Fleet(transport, options)) {
            connectSubscribers(fleet, topology, ledgers, publishers);
            for (Publisher publisher : publishers) {
                publisher.attach(fleet.connect(
                        ClientSettings.clean(runId + "-p" + publisher.id(), options.protocol()), publisher));
            }
            Map<Metric, Double> metrics = measure(publishers, ledgers);
            long[] sent = stopPublishers(publishers);
            drain(publishers, ledgers, topology, sent);
            addCorrectness(metrics, ledgers, topology, sent);
            return metrics;
        }
    }

    private void connectSubscribers(
            Fleet fleet, Topology topology, List<DeliveryLedger> ledgers, Publisher[] publishers) {
        List<String> filters = topology.subscriberFilters();
        List<MqttConnection> subscribers = fleet.connectAll(
                filters.size(),
                j -> ClientSettings.clean(runId + "-s" + j, options.protocol()),
                j -> new Subscriber(ledgers.get(topology.ledgerOfSubscriber()[j]), publishers));
        for (int j = 0; j < subscribers.size(); j++) {
            Packet.Subscription subscription = new Packet.Subscription(
                    filters.get(j), options.qos(), false, false, RetainHandling.SEND_ON_SUBSCRIBE);
            Fleet.await(
                    subscribers.get(j).subscribe(List.of(subscription)), Fleet.CONNECT_TIMEOUT_SECONDS, "SUBSCRIBE");
        }
    }

    private Map<Metric, Double> measure(Publisher[] publishers, List<DeliveryLedger> ledgers) {
        for (Publisher publisher : publishers) {
            publisher.start();
        }
        Fleet.sleepMillis(options.warmupSeconds() * 1_000L);
        double cpuStart = broker == null ? 0 : broker.cpuSeconds();
        if (broker != null) {
            broker.resetPeak();
        }
        long sentStart = totalSent(publishers);
        long startNanos = System.nanoTime();
        for (DeliveryLedger ledger : ledgers) {
            ledger.startMeasuring();
        }
        Fleet.sleepMillis(options.durationSeconds() * 1_000L);
        Histogram latency = new Histogram(DeliveryLedger.LATENCY_MAX_MICROS, 3);
        long delivered = 0;
        for (DeliveryLedger ledger : ledgers) {
            DeliveryLedger.Window window = ledger.stopMeasuring();
            latency.add(window.latencyMicros());
            delivered += window.deliveredCount();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long sentEnd = totalSent(publishers);
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.DELIVERED_PER_SECOND, delivered / seconds);
        metrics.put(Metric.PUBLISHED_PER_SECOND, (sentEnd - sentStart) / seconds);
        putLatency(metrics, latency);
        if (broker != null) {
            putBrokerCpu(metrics, broker.cpuSeconds() - cpuStart, seconds, delivered);
        }
        return metrics;
    }

    static void putLatency(Map<Metric, Double> metrics, Histogram latency) {
        if (latency.getTotalCount() == 0) {
            return;
        }
        metrics.put(Metric.LATENCY_P50_MICROS, (double) latency.getValueAtPercentile(50));
        metrics.put(Metric.LATENCY_P90_MICROS, (double) latency.getValueAtPercentile(90));
        metrics.put(Metric.LATENCY_P99_MICROS, (double) latency.getValueAtPercentile(99));
        metrics.put(Metric.LATENCY_P999_MICROS, (double) latency.getValueAtPercentile(99.9));
        metrics.put(Metric.LATENCY_MAX_MICROS, (double) latency.getMaxValue());
    }

    private void putBrokerCpu(Map<Metric, Double> metrics, double cpuSeconds, double wallSeconds, long delivered) {
        metrics.put(Metric.BROKER_CPU_SECONDS, cpuSeconds);
        metrics.put(Metric.BROKER_CPU_UTILISATION, cpuSeconds / wallSeconds);
        if (delivered > 0) {
            metrics.put(Metric.BROKER_CPU_SECONDS_PER_MILLION, cpuSeconds / (delivered / 1e6));
        }
        metrics.put(Metric.BROKER_PEAK_RSS_KIB, (double) broker.peakRssKiB());
        metrics.put(Metric.BROKER_HWM_KIB, (double) broker.highWaterMarkKiB());
    }

    private static long[] stopPublishers(Publisher[] publishers) {
        long[] sent = new long[publishers.length];
        for (int i = 0; i < publishers.length; i++) {
            sent[i] = Fleet.await(publishers[i].stop(), 10, "stopping publisher " + i);
        }
        return sent;
    }

    /** Waits until every receiver has everything it should, or progress stalls, or time is up. */
    private void drain(Publisher[] publishers, List<DeliveryLedger> ledgers, Topology topology, long[] sent) {
        long expected = 0;
        for (int l = 0; l < ledgers.size(); l++) {
            for (int source : topology.sourcesOfLedger().get(l)) {
                expected += sent[source];
            }
        }
        long deadlineNanos = System.nanoTime() + options.drainSeconds() * 1_000_000_000L;
        long lastProgressNanos = System.nanoTime();
        long lastDistinct = -1;
        while (System.nanoTime() < deadlineNanos) {
            long distinct = 0;
            for (DeliveryLedger ledger : ledgers) {
                distinct += ledger.distinctTotal();
            }
            if (distinct >= expected && inflightTotal(publishers) == 0) {
                return;
            }
            if (distinct != lastDistinct) {
                lastDistinct = distinct;
                lastProgressNanos = System.nanoTime();
            } else if (options.qos() == QoS.AT_MOST_ONCE
                    && System.nanoTime() - lastProgressNanos > DRAIN_STALL_MILLIS * 1_000_000L) {
                return;
            }
            Fleet.sleepMillis(20);
        }
    }

    private static int inflightTotal(Publisher[] publishers) {
        int total = 0;
        for (Publisher publisher : publishers) {
            total += Fleet.await(publisher.inflightCount(), 10, "in-flight count");
        }
        return total;
    }

    private static void addCorrectness(
            Map<Metric, Double> metrics, List<DeliveryLedger> ledgers, Topology topology, long[] sent) {
        DeliveryLedger.Totals totals = DeliveryLedger.Totals.ZERO;
        for (int l = 0; l < ledgers.size(); l++) {
            long[] expected = new long[sent.length];
            java.util.Arrays.fill(expected, -1);
            for (int source : topology.sourcesOfLedger().get(l)) {
                expected[source] = sent[source];
            }
            totals = totals.plus(ledgers.get(l).totals(expected));
        }
        metrics.put(Metric.LOST, (double) totals.lost());
        metrics.put(Metric.DUPLICATES, (double) totals.duplicates());
        metrics.put(Metric.OUT_OF_ORDER, (double) totals.outOfOrder());
    }

    private static long totalSent(Publisher[] publishers) {
        long total = 0;
        for (Publisher publisher : publishers) {
            total += publisher.sentCount();
        }
        return total;
    }
}
