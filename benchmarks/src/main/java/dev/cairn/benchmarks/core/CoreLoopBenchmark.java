package dev.cairn.benchmarks.core;

import dev.cairn.benchmarks.storage.ChronicleJvmFlags;
import dev.cairn.benchmarks.storage.ScratchDirectory;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.persistence.JournalPersistence;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.Properties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages per second through the broker's core loop, without sockets or the codec: what the
 * single core thread can route, journal, sync, release and index, which bounds the broker's
 * throughput however many I/O threads feed it. Comparing it with the end-to-end load runs shows
 * how much of a message's cost is the network path.
 *
 * <p>Setup starts a {@link CoreLoop} over a real store in a temporary directory and connects
 * 2 × {@code pairs} fake MQTT 5 clients ({@link FakeClientWire}) with {@code Command}s, as the
 * transport would: publisher i publishes to {@code bench/pair/i}, which subscriber i alone
 * subscribes to at QoS 1 with a persistent session (Session Expiry 300 s), so QoS 1 messages are
 * queued, sent and acknowledged in the journal and the index. One operation is one PUBLISH of
 * 100 bytes: each invocation submits {@value #MESSAGES_PER_INVOCATION} of them from the
 * benchmark thread, round-robin over the publishers, and waits until every one has been handed
 * to its subscriber's wire and, at QoS 1, every PUBACK to its publisher's wire. The subscribers
 * acknowledge each delivery with a PUBACK command. QoS 0 is never journaled, so its two
 * durability rows should agree; QoS 1 under {@code fsync} pays a sync per core-loop turn.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            ChronicleJvmFlags.OPEN_REFLECT,
            ChronicleJvmFlags.EXPORT_NIO,
            ChronicleJvmFlags.EXPORT_REF,
            ChronicleJvmFlags.NO_ANALYTICS,
            ChronicleJvmFlags.NO_ANNOUNCER,
            ChronicleJvmFlags.NO_DISK_MONITOR,
            ChronicleJvmFlags.QUIET_LOG,
            CoreLoopBenchmark.QUIET_CAIRN_LOG
        })
@State(Scope.Thread)
public class CoreLoopBenchmark {
    /** The core logs recovery and shutdown at INFO, which would land between JMH's iteration lines. */
    static final String QUIET_CAIRN_LOG = "-Dorg.slf4j.simpleLogger.log.dev.cairn=warn";

    /**
     * PUBLISHes per invocation. Below the default Receive Maximum (inflight_inbound_max, 1,000)
     * even with one publisher, so a publisher never has more unacknowledged QoS 1 messages than
     * the broker allows.
     */
    static final int MESSAGES_PER_INVOCATION = 512;

    static final int PAYLOAD_BYTES = 100;
    static final long SESSION_EXPIRY_SECONDS = 300;
    static final long TIMEOUT_SECONDS = 60;
    static final int INBOX_HIGH_DEPTH = 65_536;

    @Param({"process", "fsync"})
    public String durability;

    @Param({"0", "1"})
    public int qos;

    /** Publisher and subscriber pairs. */
    @Param({"1", "16"})
    public int pairs;

    private final Arrivals control = new Arrivals();
    private final Arrivals data = new Arrivals();
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private ScratchDirectory directory;
    private CoreLoop core;
    private FakeClientWire[] publishers;
    private String[] topics;
    private int[] nextPacketIds;
    private QoS publishQos;
    private long dataExpected;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        directory = ScratchDirectory.create("cairn-jmh-core-");
        BrokerConfig config = ConfigLoader.load(
                null, Map.of("data_dir", directory.path().resolve("data").toString(), "durability", durability));
        core = new CoreLoop(config, Clock.SYSTEM, INBOX_HIGH_DEPTH, JournalPersistence.open(config, Clock.SYSTEM));
        core.start();
        publishQos = QoS.fromValue(qos);
        publishers = new FakeClientWire[pairs];
        topics = new String[pairs];
        nextPacketIds = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            topics[i] = "bench/pair/" + i;
            FakeClientWire subscriber = open("subscriber-" + i);
            publishers[i] = open("publisher-" + i);
            core.submit(new Command.PacketReceived(
                    subscriber.connection(),
                    new Packet.Subscribe(
                            1,
                            List.of(new Packet.Subscription(
                                    topics[i], QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                            Properties.EMPTY)));
        }
        // One CONNACK per client and one SUBACK per subscriber.
        control.awaitAtLeast(3L * pairs, TIMEOUT_SECONDS);
        dataExpected = data.count();
    }

    private FakeClientWire open(String clientId) {
        FakeClientWire wire = new FakeClientWire(core, control, data);
        core.submit(new Command.Opened(wire.connect(System.nanoTime())));
        Properties properties = Properties.builder()
                .sessionExpiryIntervalSeconds(SESSION_EXPIRY_SECONDS)
                .build();
        core.submit(new Command.PacketReceived(
                wire.connection(),
                new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 0, null, null, null, properties)));
        return wire;
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        core.stop();
        directory.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_INVOCATION)
    public long publish() {
        for (int i = 0; i < MESSAGES_PER_INVOCATION; i++) {
            int pair = i % pairs;
            core.submit(new Command.PacketReceived(
                    publishers[pair].connection(),
                    new Packet.Publish(
                            topics[pair], publishQos, false, false, nextPacketId(pair), Properties.EMPTY, payload)));
        }
        // Every message reaches its subscriber; at QoS 1 its PUBACK also reaches the publisher.
        dataExpected += (long) MESSAGES_PER_INVOCATION * (publishQos == QoS.AT_MOST_ONCE ? 1 : 2);
        data.awaitAtLeast(dataExpected, TIMEOUT_SECONDS);
        return dataExpected;
    }

    /** 0 for QoS 0; otherwise 1 to 65,535 in turn, never 0 [MQTT-2.2.1-3]. */
    private int nextPacketId(int pair) {
        if (publishQos == QoS.AT_MOST_ONCE) {
            return 0;
        }
        int id = nextPacketIds[pair] % 65_535 + 1;
        nextPacketIds[pair] = id;
        return id;
    }
}
