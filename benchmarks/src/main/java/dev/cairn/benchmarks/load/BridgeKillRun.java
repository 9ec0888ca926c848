package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.RetainHandling;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The kill variant of a bridge case: pairwise publishers on the edge, their subscribers on the
 * remote; after the warm-up and the measured window the edge gets SIGKILL while it forwards, and
 * is restarted on the same data directory and port. Every subscriber keeps the exact set of
 * sequence numbers it received; every publisher the exact set the edge acknowledged (PUBACK).
 * Once everything acknowledged has arrived, or nothing new arrived for {@code --drain-seconds},
 * the run reports: {@link Metric#ACKNOWLEDGED} (acknowledged before the kill),
 * {@link Metric#UNFORWARDED_AT_KILL} (of those, not yet at the remote when the edge died: what it
 * held), {@link Metric#LOST} (acknowledged and never received), {@link Metric#DUPLICATES}, and
 * the forwarded rate of the measured window ({@link Metric#DELIVERED_PER_SECOND}). The
 * publishers do not reconnect: the question is what happens to what the edge had already
 * accepted.
 *
 * <p>Thread safety: {@link #run} is called once, by one thread; the receivers' sets are guarded
 * by their own monitors.
 */
final class BridgeKillRun {
    private static final long DRAIN_MAX_MILLIS = 120_000;

    /** What one subscriber received of its publisher: the sequences, exactly. */
    private static final class Received implements MqttConnection.Listener {
        private final Publisher[] publishers;
        private final BitSet seen = new BitSet();
        private long distinct;
        private long duplicates;

        Received(Publisher[] publishers) {
            this.publishers = publishers;
        }

        @Override
        public void onMessage(MqttConnection connection, Packet.Publish publish) {
            MessageStamp stamp = MessageStamp.fromPayload(publish.payload());
            if (stamp == null || stamp.publisherId() < 0 || stamp.publisherId() >= publishers.length) {
                return;
            }
            boolean first;
            synchronized (this) {
                first = !seen.get((int) stamp.sequence());
                if (first) {
                    seen.set((int) stamp.sequence());
                    distinct++;
                } else {
                    duplicates++;
                }
            }
            if (first) {
                publishers[stamp.publisherId()].onDelivered();
            }
        }

        synchronized long distinct() {
            return distinct;
        }

        synchronized long duplicates() {
            return duplicates;
        }

        /** How many of {@code acknowledged} this subscriber has not received. */
        synchronized long missing(BitSet acknowledged) {
            BitSet missing = (BitSet) acknowledged.clone();
            missing.andNot(seen);
            return missing.cardinality();
        }
    }

    private BridgeKillRun() {}

    /**
     * @param killAndRestart kills the edge with SIGKILL, starts it again on its data and port, and
     *     returns the new process id
     */
    static RunResult run(LoadOptions options, LongSupplier killAndRestart) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(options.describe());
        settings.put("edge_killed", "SIGKILL after warm-up + duration, then restarted");
        try (Transport transport = new Transport(options.ioThreads(), options.wire())) {
            settings.put("transport", transport.name());
            return new RunResult(settings, measure(options, transport, killAndRestart), null);
        } catch (LoadRunException | IllegalArgumentException | IllegalStateException e) {
            return RunResult.failed(settings, e.getMessage());
        }
    }

    private static Map<Metric, Double> measure(LoadOptions options, Transport transport, LongSupplier killAndRestart) {
        String runId = "ck" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
        int count = options.publishers();
        Topology topology = Topology.of(Scenario.PAIRWISE, count, count, "cairn-bench/" + runId);
        Pacing pacing = options.pacing().perPublisher(count);
        Publisher[] publishers = new Publisher[count];
        List<Received> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            publishers[i] = new Publisher(
                    i, topology.publisherTopics().get(i), options.qos(), options.payloadBytes(), pacing, 1);
            received.add(new Received(publishers));
        }
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        try (Fleet fleet = new Fleet(transport, options)) {
            List<MqttConnection> subscribers = fleet.connectAll(
                    count, j -> ClientSettings.clean(runId + "-s" + j, options.protocol()), received::get);
            for (int j = 0; j < count; j++) {
                Fleet.await(
                        subscribers
                                .get(j)
                                .subscribe(List.of(new Packet.Subscription(
                                        topology.subscriberFilters().get(j),
                                        options.qos(),
                                        false,
                                        false,
                                        RetainHandling.SEND_ON_SUBSCRIBE))),
                        Fleet.CONNECT_TIMEOUT_SECONDS,
                        "SUBSCRIBE on the remote");
            }
            List<MqttConnection> publisherConnections = new ArrayList<>();
            for (Publisher publisher : publishers) {
                MqttConnection connection = fleet.connect(
                        ClientSettings.clean(runId + "-p" + publisher.id(), options.protocol()), publisher);
                publisher.attach(connection);
                publisherConnections.add(connection);
            }
            for (Publisher publisher : publishers) {
                publisher.start();
            }
            Fleet.sleepMillis(options.warmupSeconds() * 1_000L);
            long distinctStart = distinct(received);
            long startNanos = System.nanoTime();
            Fleet.sleepMillis(options.durationSeconds() * 1_000L);
            metrics.put(
                    Metric.DELIVERED_PER_SECOND,
                    (distinct(received) - distinctStart) / ((System.nanoTime() - startNanos) / 1e9));

            // Act: kill -9 of the edge while it forwards; the publishers' connections die with it.
            killAndRestart.getAsLong();
            for (MqttConnection connection : publisherConnections) {
                Fleet.await(connection.closeFuture(), 30, "the publishers' connections to close");
            }
            BitSet[] acknowledged = new BitSet[count];
            long acknowledgedTotal = 0;
            long unforwardedAtKill = 0;
            for (int i = 0; i < count; i++) {
                Fleet.await(publishers[i].stop(), 10, "stopping publisher " + i);
                acknowledged[i] = publishers[i].acknowledgedSequences();
                acknowledgedTotal += acknowledged[i].cardinality();
                unforwardedAtKill += received.get(i).missing(acknowledged[i]);
            }
            awaitDrained(options, received, acknowledged);
            long lost = 0;
            long duplicates = 0;
            for (int i = 0; i < count; i++) {
                lost += received.get(i).missing(acknowledged[i]);
                duplicates += received.get(i).duplicates();
            }
            metrics.put(Metric.ACKNOWLEDGED, (double) acknowledgedTotal);
            metrics.put(Metric.UNFORWARDED_AT_KILL, (double) unforwardedAtKill);
            metrics.put(Metric.LOST, (double) lost);
            metrics.put(Metric.DUPLICATES, (double) duplicates);
            return metrics;
        }
    }

    /**
     * Returns when every subscriber has all its publisher's acknowledged messages, or nothing new
     * arrived for {@code --drain-seconds}, or {@link #DRAIN_MAX_MILLIS} passed.
     */
    private static void awaitDrained(LoadOptions options, List<Received> received, BitSet[] acknowledged) {
        long deadline = System.currentTimeMillis() + DRAIN_MAX_MILLIS;
        long lastProgress = System.currentTimeMillis();
        long lastDistinct = distinct(received);
        while (System.currentTimeMillis() < deadline) {
            long missing = 0;
            for (int i = 0; i < received.size(); i++) {
                missing += received.get(i).missing(acknowledged[i]);
            }
            if (missing == 0) {
                return;
            }
            long distinct = distinct(received);
            if (distinct != lastDistinct) {
                lastDistinct = distinct;
                lastProgress = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastProgress > options.drainSeconds() * 1_000L) {
                return;
            }
            Fleet.sleepMillis(50);
        }
    }

    private static long distinct(List<Received> received) {
        long total = 0;
        for (Received r : received) {
            total += r.distinct();
        }
        return total;
    }
}
