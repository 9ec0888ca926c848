package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a bridge case ({@link BenchmarkCase.Bridge}): a fresh remote mosquitto (the same
 * configuration whichever edge is tested), the broker under test started as an edge that
 * bridges {@link BrokerSettings#BRIDGED_TOPICS} out at QoS 1 to it, and the load generator with
 * its publishers on the edge and its subscribers on the remote ({@code --subscriber-port}), so
 * "delivered" means forwarded by the edge and delivered by the remote. Before the load starts,
 * QoS 1 probes on the edge wait until the bridge's link is up, so neither edge is charged for
 * messages published before its first connect. The kill variant hands the run to
 * {@link BridgeKillRun} with a way to kill and restart the edge.
 *
 * <p>Thread safety: the runner's one thread.
 */
final class BridgeRun {
    private static final long LINK_TIMEOUT_MILLIS = 60_000;
    private static final long PROBE_INTERVAL_MILLIS = 100;

    private BridgeRun() {}

    static RunResult run(BenchmarkCase benchmarkCase, BrokerUnderTest edgeBroker, Path dataDir, List<String> flags) {
        Map<String, String> settings = Map.of("label", benchmarkCase.name(), "broker", edgeBroker.name());
        BrokerUnderTest.Running remote;
        try {
            remote = BrokerUnderTest.mosquitto().start(dataDir.resolve("remote"));
        } catch (IOException e) {
            return RunResult.failed(settings, "remote mosquitto did not start: " + e.getMessage());
        }
        Path edgeDir = dataDir.resolve("edge");
        Edge edge = new Edge(edgeBroker, edgeDir, remote.port());
        try {
            edge.start();
            LoadOptions options =
                    LoadOptions.parse(arguments(benchmarkCase, flags, edge.port, edge.running.pid(), remote.port()));
            awaitLinked(options);
            RunResult result = benchmarkCase.bridge() == BenchmarkCase.Bridge.KILL
                    ? BridgeKillRun.run(options, edge::killAndRestart)
                    : LoadGenerator.run(options);
            if (!result.succeeded()) {
                return RunResult.failed(
                        settings,
                        result.error() + " [edge log: " + edge.running.logTail() + "] [remote log: " + remote.logTail()
                                + "]");
            }
            return result;
        } catch (IOException | LoadRunException | IllegalArgumentException | IllegalStateException e) {
            String edgeLog = edge.running == null ? "" : " [edge log: " + edge.running.logTail() + "]";
            return RunResult.failed(settings, e.getMessage() + edgeLog);
        } finally {
            if (edge.running != null) {
                edge.running.stop();
            }
            remote.stop();
        }
    }

    /** The load generator's arguments: the case's, publishers on the edge, subscribers on the remote. */
    static String[] arguments(
            BenchmarkCase benchmarkCase, List<String> flags, int edgePort, long edgePid, int remotePort) {
        List<String> args = new ArrayList<>(List.of(benchmarkCase.arguments(flags, edgePort, edgePid, null)));
        args.addAll(List.of("--subscriber-port", Integer.toString(remotePort)));
        return args.toArray(new String[0]);
    }

    /** The edge broker, which the kill variant kills and restarts on the same port and data. */
    private static final class Edge {
        final BrokerUnderTest broker;
        final Path dir;
        final int remotePort;
        final int port;
        BrokerUnderTest.Running running;

        Edge(BrokerUnderTest broker, Path dir, int remotePort) {
            this.broker = broker;
            this.dir = dir;
            this.remotePort = remotePort;
            try {
                this.port = BrokerUnderTest.freePort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port for the edge", e);
            }
        }

        void start() throws IOException {
            running = broker.startBridgeEdge(dir, port, remotePort);
        }

        long killAndRestart() {
            running.kill9();
            try {
                start();
            } catch (IOException e) {
                throw new LoadRunException("the edge did not restart after SIGKILL: " + e.getMessage(), e);
            }
            return running.pid();
        }
    }

    /**
     * Publishes QoS 1 probes on the edge, one every {@link #PROBE_INTERVAL_MILLIS}, until one
     * reaches a subscriber on the remote: the bridge is linked. The probe topic is in the bridged
     * tree but outside every topic of the run.
     */
    static void awaitLinked(LoadOptions options) {
        String topic = "cairn-bench/probe-" + Long.toHexString(System.nanoTime());
        AtomicBoolean arrived = new AtomicBoolean();
        try (Transport transport = new Transport(1, options.wire());
                Fleet fleet = new Fleet(transport, options)) {
            MqttConnection subscriber = fleet.connectAll(
                            1,
                            i -> ClientSettings.clean(topic.substring(12) + "-s", options.protocol()),
                            i -> (connection, publish) -> arrived.set(true))
                    .get(0);
            Fleet.await(
                    subscriber.subscribe(List.of(new Packet.Subscription(
                            topic, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE))),
                    Fleet.CONNECT_TIMEOUT_SECONDS,
                    "SUBSCRIBE on the remote");
            MqttConnection publisher = fleet.connect(
                    ClientSettings.clean(topic.substring(12) + "-p", options.protocol()), MqttConnection.NO_MESSAGES);
            long deadline = System.currentTimeMillis() + LINK_TIMEOUT_MILLIS;
            while (!arrived.get()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new LoadRunException("no probe reached the remote within " + LINK_TIMEOUT_MILLIS
                            + " ms: the bridge never linked");
                }
                publisher.execute(() -> {
                    if (publisher.canPublish(QoS.AT_LEAST_ONCE)) {
                        publisher.publish(topic, QoS.AT_LEAST_ONCE, new byte[] {'p'});
                        publisher.flush();
                    }
                });
                Fleet.sleepMillis(PROBE_INTERVAL_MILLIS); // The probes' pace; the exit is an arrival.
            }
        }
    }
}
