package dev.cairn.broker.admin;

import dev.cairn.broker.bridge.BridgeStatus;
import dev.cairn.broker.core.BrokerStats;
import dev.cairn.broker.core.CoreAdmin;
import dev.cairn.broker.core.CoreFigures;
import dev.cairn.broker.core.CoreMeasures;
import dev.cairn.broker.measure.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The broker's own metrics (docs/operations.md lists each), built at each scrape on the admin
 * listener's thread from what the core published ({@link CoreMeasures}), the listeners' accept
 * counters and the file system; nothing here touches core state.
 */
final class BrokerMetrics implements MultiCollector {
    private static final String[] QOS = {"0", "1", "2"};

    private final CoreMeasures core;
    private final List<String> listeners;
    private final ToLongFunction<String> connectionsRefused;
    private final ToLongFunction<String> tlsHandshakeFailures;
    private final Path dataDir;
    private final Supplier<List<BridgeStatus>> bridges;

    /**
     * @param listeners the names of the broker's listeners
     * @param connectionsRefused sockets a listener (by name) closed at accept; any thread
     * @param tlsHandshakeFailures TLS handshakes that failed on a listener (by name), 0 for one
     *     without TLS; any thread
     * @param bridges the bridges' link status, empty until they start; any thread
     */
    BrokerMetrics(
            CoreMeasures core,
            List<String> listeners,
            ToLongFunction<String> connectionsRefused,
            ToLongFunction<String> tlsHandshakeFailures,
            Path dataDir,
            Supplier<List<BridgeStatus>> bridges) {
        this.core = core;
        this.bridges = bridges;
        this.listeners = List.copyOf(listeners);
        this.connectionsRefused = connectionsRefused;
        this.tlsHandshakeFailures = tlsHandshakeFailures;
        this.dataDir = dataDir;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> all = new ArrayList<>();
        CoreFigures figures = core.figures();
        if (figures != null) {
            coreFigures(figures, all);
        }
        bridges(figures, all);
        all.add(histogram(
                "cairn_journal_sync_seconds",
                "Duration of each journal sync (group commit); under durability = fsync the msync and fsync",
                core.syncNanos().read(),
                1e-9));
        all.add(histogram(
                "cairn_journal_records_per_sync",
                "Records each journal sync made durable (the group-commit size)",
                core.recordsPerSync().read(),
                1));
        all.add(histogram(
                "cairn_core_turn_seconds",
                "Duration of each core-loop turn, from its first command to the release of its packets",
                core.turnNanos().read(),
                1e-9));
        all.add(histogram(
                "cairn_core_figures_copy_seconds",
                "Duration of each copy of the core's figures for /metrics and $SYS, on the core thread",
                core.figuresCopyNanos().read(),
                1e-9));
        all.add(counter(
                "cairn_journal_sync_slow", "Journal syncs that took longer than fsync_warn_ms", core.slowSyncs()));
        all.add(perListener(
                "cairn_connections_refused",
                "Sockets a listener closed at accept because of its connections_max or connection rate limit",
                connectionsRefused));
        all.add(perListener(
                "cairn_tls_handshake_failures",
                "TLS handshakes that failed, by listener (0 on a listener without TLS)",
                tlsHandshakeFailures));
        disk(all);
        return new MetricSnapshots(all);
    }

    private static void coreFigures(CoreFigures f, List<MetricSnapshot> all) {
        BrokerStats s = f.stats();
        CoreFigures.QosCounts q = f.byQos();
        all.add(byQos(
                "cairn_messages_received", "Messages published to the broker (PUBLISHes and wills)", q.received()));
        all.add(byQos("cairn_messages_received_bytes", "Payload bytes of the messages received", q.receivedBytes()));
        all.add(byQos(
                "cairn_messages_delivered",
                "Copies of messages queued for a subscriber, by the QoS of the delivery",
                q.delivered()));
        all.add(byQos("cairn_messages_delivered_bytes", "Payload bytes of the copies delivered", q.deliveredBytes()));
        all.add(CounterSnapshot.builder()
                .name("cairn_messages_dropped")
                .help("Messages or copies not delivered, by cause")
                .dataPoint(point("cause", "queue_full", s.messagesDroppedQueueFull()))
                .dataPoint(point("cause", "no_session", s.messagesDroppedNoSession()))
                .dataPoint(point("cause", "expired", s.messagesDroppedExpired()))
                .dataPoint(point("cause", "too_large", s.messagesDroppedTooLarge()))
                .dataPoint(point("cause", "acl", s.aclDeniedDelivery() + s.aclDeniedPublish() + s.aclDeniedWill()))
                .build());
        all.add(CounterSnapshot.builder()
                .name("cairn_messages_rejected")
                .help("QoS 1/2 PUBLISHes refused before they were stored or acknowledged, by cause")
                .dataPoint(point("cause", "queue_full", s.messagesRejectedQueueFull()))
                .dataPoint(point("cause", "disk_full", s.messagesRejectedDiskFull()))
                .build());
        all.add(CounterSnapshot.builder()
                .name("cairn_acl_denied")
                .help("What the topic ACL refused, by what was asked")
                .dataPoint(point("action", "subscribe", s.aclDeniedSubscribe()))
                .dataPoint(point("action", "publish", s.aclDeniedPublish()))
                .dataPoint(point("action", "delivery", s.aclDeniedDelivery()))
                .dataPoint(point("action", "will", s.aclDeniedWill()))
                .build());
        all.add(CounterSnapshot.builder()
                .name("cairn_auth")
                .help("CONNECTs judged by their credentials, by outcome")
                .dataPoint(point("outcome", "accepted", s.authAccepted()))
                .dataPoint(point("outcome", "bad_credentials", s.authRefusedBadCredentials()))
                .dataPoint(point("outcome", "not_authorized", s.authRefusedNotAuthorized()))
                .build());
        all.add(counter("cairn_connects_accepted", "CONNECTs accepted (CONNACK 0x00)", s.connectsAccepted()));
        all.add(gauge(
                "cairn_clients_connected_max",
                "The most clients connected at the same time since the broker started",
                s.clientsConnectedMax()));
        all.add(counter(
                "cairn_journal_retention_deleted_files",
                "Journal cycle files retention deleted",
                s.journalFilesDeleted()));
        all.add(counter(
                "cairn_journal_retention_deleted_bytes",
                "Bytes of the journal cycle files retention deleted",
                s.journalBytesDeleted()));
        all.add(counter(
                "cairn_journal_retention_relocated_messages",
                "Queued messages retention copied to the journal head",
                s.messagesRelocated()));
        all.add(counter("cairn_journal_appends", "Records appended to the journal", f.journalAppends()));
        all.add(counter("cairn_journal_appended_bytes", "Bytes appended to the journal", f.journalAppendedBytes()));
        GaugeSnapshot.Builder connections =
                GaugeSnapshot.builder().name("cairn_connections").help("Open connections by listener and protocol");
        for (Map.Entry<CoreFigures.ListenerProtocol, Long> e : f.connections().entrySet()) {
            connections.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of(
                            "listener",
                            e.getKey().listener(),
                            "protocol",
                            e.getKey().protocol()))
                    .value(e.getValue())
                    .build());
        }
        all.add(connections.build());
        all.add(GaugeSnapshot.builder()
                .name("cairn_sessions")
                .help("Sessions by whether their client is connected")
                .dataPoint(gaugePoint("state", "online", f.sessionsOnline()))
                .dataPoint(gaugePoint("state", "offline", f.sessionsOffline()))
                .build());
        all.add(gauge("cairn_subscriptions", "Subscriptions held by all sessions", f.subscriptions()));
        all.add(gauge("cairn_retained_messages", "Retained messages", f.retained()));
        all.add(gauge("cairn_queued_messages", "Messages waiting to be sent, all sessions", f.queuedMessages()));
        all.add(gauge("cairn_queued_bytes", "Bytes of the messages waiting to be sent, all sessions", f.queuedBytes()));
        all.add(gauge(
                "cairn_queued_messages_largest_session",
                "Messages waiting for the session with the most",
                f.largestQueueMessages()));
        all.add(gauge(
                "cairn_queued_bytes_largest_session",
                "Bytes waiting for the session with the most",
                f.largestQueueBytes()));
        all.add(GaugeSnapshot.builder()
                .name("cairn_queued_oldest_message_age_seconds")
                .help("Age of the oldest QoS 1/2 message waiting for any session (not in flight); 0 when none waits")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value(Math.max(0, f.oldestQueuedAgeMillis()) / 1e3)
                        .build())
                .build());
        all.add(gauge(
                "cairn_index_lag_records",
                "Records appended to the journal and not yet applied to the index",
                f.indexUnappliedRecords()));
        all.add(GaugeSnapshot.builder()
                .name("cairn_core_figures_age_seconds")
                .help("Age of the core's figures this scrape shows (copied at most every 250 ms)")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value((System.nanoTime() - f.publishedAtNanos()) / 1e9)
                        .build())
                .build());
    }

    /**
     * Each bridge's series, labelled {@code bridge}: its link from the bridge's own status, its
     * queue from the core's last figures (none before the first copy).
     */
    private void bridges(CoreFigures figures, List<MetricSnapshot> all) {
        List<BridgeStatus.Snapshot> links =
                bridges.get().stream().map(BridgeStatus::snapshot).toList();
        if (links.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder connected = GaugeSnapshot.builder()
                .name("cairn_bridge_connected")
                .help("Whether the bridge's link to its remote is up (1) or not (0)");
        GaugeSnapshot.Builder since = GaugeSnapshot.builder()
                .name("cairn_bridge_state_since_seconds")
                .help("Unix time of the bridge's last connect while connected, else of its last disconnect");
        GaugeSnapshot.Builder info = GaugeSnapshot.builder()
                .name("cairn_bridge_remote_info")
                .help("1, labelled with the remote address the bridge uses or tries");
        CounterSnapshot.Builder sent = CounterSnapshot.builder()
                .name("cairn_bridge_sent_messages")
                .help("PUBLISH packets the bridge wrote to its remote, re-sends included");
        CounterSnapshot.Builder acknowledged = CounterSnapshot.builder()
                .name("cairn_bridge_acknowledged_messages")
                .help("QoS 1/2 messages the remote acknowledged (PUBACK, PUBCOMP) and so left the queue");
        CounterSnapshot.Builder reconnects = CounterSnapshot.builder()
                .name("cairn_bridge_reconnects")
                .help("Links the bridge made after its first since the broker started");
        CounterSnapshot.Builder failures = CounterSnapshot.builder()
                .name("cairn_bridge_failures")
                .help("Connect attempts that failed and links that ended, but for the broker's stop");
        GaugeSnapshot.Builder queued = GaugeSnapshot.builder()
                .name("cairn_bridge_queued_messages")
                .help("Messages waiting in the bridge's session $bridge/NAME, in memory and on disk");
        GaugeSnapshot.Builder queuedBytes = GaugeSnapshot.builder()
                .name("cairn_bridge_queued_bytes")
                .help("Bytes (topic plus payload) of the messages waiting in the bridge's session");
        GaugeSnapshot.Builder oldest = GaugeSnapshot.builder()
                .name("cairn_bridge_oldest_queued_age_seconds")
                .help("Age of the oldest message waiting in the bridge's session on disk (0: none)");
        GaugeSnapshot.Builder inflight = GaugeSnapshot.builder()
                .name("cairn_bridge_inflight_messages")
                .help("Messages sent to the remote and not yet acknowledged");
        for (BridgeStatus.Snapshot b : links) {
            Labels bridge = Labels.of("bridge", b.name());
            connected.dataPoint(gaugePoint(bridge, b.connected() ? 1 : 0));
            since.dataPoint(gaugePoint(bridge, b.sinceMillis() / 1e3));
            info.dataPoint(
                    gaugePoint(Labels.of("bridge", b.name(), "remote", b.remote() == null ? "" : b.remote()), 1));
            sent.dataPoint(counterPoint(bridge, b.sent()));
            acknowledged.dataPoint(counterPoint(bridge, b.acknowledged()));
            reconnects.dataPoint(counterPoint(bridge, b.reconnects()));
            failures.dataPoint(counterPoint(bridge, b.failures()));
            CoreAdmin.SessionInfo session =
                    figures == null ? null : figures.bridgeSessions().get(b.name());
            if (session != null) {
                queued.dataPoint(gaugePoint(bridge, session.queued()));
                queuedBytes.dataPoint(gaugePoint(bridge, session.queuedBytes()));
                oldest.dataPoint(gaugePoint(bridge, Math.max(0, session.oldestQueuedAgeMillis()) / 1e3));
                inflight.dataPoint(gaugePoint(bridge, session.inflight()));
            }
        }
        for (GaugeSnapshot.Builder g : List.of(connected, since, info, queued, queuedBytes, oldest, inflight)) {
            all.add(g.build());
        }
        for (CounterSnapshot.Builder c : List.of(sent, acknowledged, reconnects, failures)) {
            all.add(c.build());
        }
    }

    private static GaugeDataPointSnapshot gaugePoint(Labels labels, double v) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(v).build();
    }

    private static CounterDataPointSnapshot counterPoint(Labels labels, long v) {
        return CounterDataPointSnapshot.builder().labels(labels).value(v).build();
    }

    /** A counter with one point per listener, labelled with its name. */
    private CounterSnapshot perListener(String name, String help, ToLongFunction<String> count) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (String listener : listeners) {
            b.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("listener", listener))
                    .value(count.applyAsLong(listener))
                    .build());
        }
        return b.build();
    }

    private void disk(List<MetricSnapshot> all) {
        try {
            FileStore store = Files.getFileStore(dataDir);
            all.add(gauge(
                    "cairn_disk_free_bytes",
                    "Space usable on the file system of the data directory",
                    store.getUsableSpace()));
            all.add(gauge(
                    "cairn_disk_total_bytes", "Size of the file system of the data directory", store.getTotalSpace()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + dataDir, e);
        }
        all.add(gauge(
                "cairn_disk_free_warn_bytes",
                "disk_free_warn_bytes: below it a WARN is logged (0: off)",
                core.diskFreeWarnBytes())); // As the core last took it: a reload changes it.
        all.add(GaugeSnapshot.builder()
                .name("cairn_data_directory_bytes")
                .help("Bytes of the files in the data directory, by its part (journal, index)")
                .dataPoint(gaugePoint("part", "journal", directoryBytes(dataDir.resolve("journal"))))
                .dataPoint(gaugePoint("part", "index", directoryBytes(dataDir.resolve("index"))))
                .build());
    }

    /** The sizes of the regular files under {@code dir}; files deleted meanwhile count as 0. */
    static long directoryBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                total += sizeOrZero(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // A file deleted while walking (a RocksDB compaction, journal retention): count what is left.
            return total;
        }
        return total;
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CounterSnapshot byQos(String name, String help, long[] values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (int i = 0; i < QOS.length; i++) {
            b.dataPoint(point("qos", QOS[i], values[i]));
        }
        return b.build();
    }

    private static CounterDataPointSnapshot point(String label, String value, long count) {
        return CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, value))
                .value(count)
                .build();
    }

    private static GaugeDataPointSnapshot gaugePoint(String label, String value, long v) {
        return GaugeDataPointSnapshot.builder()
                .labels(Labels.of(label, value))
                .value(v)
                .build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
                .build();
    }

    private static GaugeSnapshot gauge(String name, String help, long value) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }

    /** A histogram in the base unit: the recorded values times {@code scale} (1e-9 for nanoseconds to seconds). */
    private static HistogramSnapshot histogram(String name, String help, Histogram.Counts counts, double scale) {
        double[] bounds = new double[counts.upperBounds().length + 1];
        for (int i = 0; i < counts.upperBounds().length; i++) {
            bounds[i] = counts.upperBounds()[i] * scale;
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts.buckets()))
                        .sum(counts.sum() * scale)
                        .build())
                .build();
    }
}
