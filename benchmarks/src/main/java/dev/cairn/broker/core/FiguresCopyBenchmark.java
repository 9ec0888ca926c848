package dev.cairn.broker.core;

import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.persistence.InMemoryPersistence;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.Wire;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.Properties;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one copy of the core's figures ({@link CoreMeasures#copyFigures}, run on the core thread at
 * most every 250 ms) costs with many sessions and connections: the time the core thread spends
 * on it, which every command waiting in that turn waits for too.
 *
 * <p>The state is built directly (this class sits in the core's package for that; no loop, no
 * sockets): {@code sessions} offline persistent sessions, each with {@code queued} journaled QoS 1
 * deliveries of a 100-byte message waiting in its backlog, and {@code connections} connections
 * that have sent no CONNECT yet, on an in-memory store. Before each copy {@code changed}
 * sessions (the next ones in turn) get one more delivery, standing for what the clients did since
 * the previous copy; that setup is not timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// No journal: the in-memory store needs none of Chronicle's JVM flags.
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.log.dev.cairn=warn")
@State(Scope.Thread)
public class FiguresCopyBenchmark {
    @Param({"1000", "100000"})
    public int sessions;

    @Param({"0", "10000"})
    public int connections;

    @Param({"0", "1000"})
    public int changed;

    /** Deliveries waiting for each session at the start. */
    static final int QUEUED = 1;

    private BrokerState state;
    private CoreMeasures measures;
    private Session[] all;
    private Message message;
    private long nextPosition;
    private int nextChanged;

    @Setup(Level.Trial)
    public void build() {
        BrokerConfig config = ConfigLoader.load(null, Map.of("data_dir", "unused-by-in-memory-persistence"));
        state = new BrokerState(
                config,
                Clock.SYSTEM,
                new InMemoryPersistence(Clock.SYSTEM),
                ListenerSecurity.open(config, Clock.SYSTEM));
        measures = new CoreMeasures(
                config.monitoring().fsyncWarnMillis(), config.monitoring().diskFreeWarnBytes());
        message = new Message(
                "bench/offline",
                QoS.AT_LEAST_ONCE,
                false,
                new byte[100],
                Properties.EMPTY,
                "pub",
                Message.NEVER_EXPIRES);
        all = new Session[sessions];
        for (int i = 0; i < sessions; i++) {
            Session s = state.newSession("offline-" + i);
            state.sessions.put(s.clientId(), s);
            all[i] = s;
            for (int q = 0; q < QUEUED; q++) {
                offer(s);
            }
        }
        for (int i = 0; i < connections; i++) {
            state.connections.add(new Connection(new IdleWire(), System.nanoTime()));
        }
        measures.copyFigures(state, System.nanoTime());
    }

    private void offer(Session s) {
        Delivery d = new Delivery(message.withPosition(nextPosition++), QoS.AT_LEAST_ONCE, false, null, true);
        if (!s.outbound().offer(d, false)) {
            throw new IllegalStateException("the queue of " + s.clientId() + " is full");
        }
    }

    @Setup(Level.Invocation)
    public void change() {
        for (int i = 0; i < changed; i++) {
            Session s = all[nextChanged];
            nextChanged = (nextChanged + 1) % all.length;
            if (s.outbound().queuedCount() >= state.queueLimits.messagesMax()) {
                s.outbound().clear();
            }
            offer(s);
        }
    }

    @Benchmark
    public CoreFigures copy() {
        measures.copyFigures(state, System.nanoTime());
        return measures.figures();
    }

    /** A connection that never writes: the copy only counts it. */
    private static final class IdleWire implements Wire {
        private static long ids;
        private final long id = ++ids;

        @Override
        public long id() {
            return id;
        }

        @Override
        public void send(Packet packet) {
            throw new UnsupportedOperationException("the benchmark sends nothing");
        }

        @Override
        public void seal(long position) {}

        @Override
        public void release(long syncedPosition, Handoff handoff) {}

        @Override
        public void close() {}

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public String remoteAddress() {
            return "in-process";
        }
    }
}
