package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.acl.AclStore;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.auth.PasswordAuthenticator;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.persistence.InMemoryPersistence;
import dev.cairn.broker.persistence.Persistence;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The real core loop without sockets, disk or real time: a {@link CoreLoop} over an
 * {@link InMemoryPersistence} on a {@link ManualClock#stopped() stopped clock}, driven through its
 * command inbox exactly as the transport drives it (Opened, PacketReceived, Closed), with
 * {@link RecordingWire}s as the clients' connections. Every step waits until the core has
 * {@link #settle settled}, so what a test then reads from a wire is everything the core let out,
 * and the absence of a packet needs no fence. {@link #advance} lets protocol time pass (keep
 * alive, CONNECT timeout, will delay, session and message expiry); {@link #restart} stops the core
 * and starts a new one on the same persistence, as a broker restart on the same data does.
 *
 * <p>Threads: the test thread calls everything; the core runs on its own thread.
 */
final class CoreHarness implements AutoCloseable {
    private static final int INBOX_HIGH_DEPTH = 65_536;
    private static final long WAIT_SECONDS = 30;

    final ManualClock clock = ManualClock.stopped();
    final BrokerConfig config;
    final Persistence persistence;
    /** Each listener's password file and topic ACL from the settings, kept across restarts; tests may reload them. */
    final ListenerSecurity security;
    /** The first listener's topic ACL (the default listener's unless it is switched off). */
    final AclStore acl;

    private final Map<RecordingWire, Connection> connections = new ConcurrentHashMap<>();
    /** Why the core thread died, if it did (it also logs the cause at ERROR, which fails the test). */
    private final AtomicReference<Throwable> coreFailure = new AtomicReference<>();

    /**
     * The auth pool: credential checks the core hands off wait here until the test runs them (on
     * its own thread, never the core's). Unless {@link #holdAuthChecks} was called, every step
     * runs them and settles again, as a pool that answers at once would.
     */
    final HeldExecutor authPool = new HeldExecutor();
    /** Who may connect to the first listener, from the settings' password_file and allow_anonymous. */
    final PasswordAuthenticator authenticator;

    private boolean holdAuthChecks;
    private CoreLoop core;

    private CoreHarness(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        // Never opened: the in-memory persistence has no directory.
        all.putIfAbsent("data_dir", "unused-by-in-memory-persistence");
        this.config = ConfigLoader.load(null, all);
        this.persistence = new InMemoryPersistence(clock);
        this.security = ListenerSecurity.open(config, clock);
        this.acl = security.acl(config.listeners().get(0).name());
        this.authenticator = security.authenticator(config.listeners().get(0).name());
        this.core = startCore();
    }

    /** Credential checks handed to the pool wait until {@link HeldExecutor#runAll} runs them. */
    void holdAuthChecks() {
        holdAuthChecks = true;
    }

    /** Runs the waiting credential checks on this thread, then lets the core take their answers. */
    void runAuthChecks() {
        authPool.runAll();
        settle();
    }

    /** An executor whose tasks wait until the test runs them; counts every task it was given. */
    static final class HeldExecutor implements Executor {
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicInteger submitted = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            submitted.incrementAndGet();
            waiting.add(task);
        }

        /** Runs every waiting task, and any they submit, on the calling thread; returns how many ran. */
        int runAll() {
            int ran = 0;
            Runnable task;
            while ((task = waiting.poll()) != null) {
                task.run();
                ran++;
            }
            return ran;
        }

        int waiting() {
            return waiting.size();
        }

        /** Tasks ever handed to the pool. */
        int submitted() {
            return submitted.get();
        }
    }

    static CoreHarness start() {
        return start(Map.of());
    }

    /** A core with these settings over the defaults, as {@code --set key=value} gives them. */
    static CoreHarness start(Map<String, String> settings) {
        return new CoreHarness(settings);
    }

    private CoreLoop startCore() {
        CoreLoop loop =
                new CoreLoop(config, clock, INBOX_HIGH_DEPTH, persistence, security, coreFailure::set, authPool);
        try {
            loop.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the core restored its state", e);
        }
        return loop;
    }

    /** A new network connection that has sent nothing yet. */
    RecordingWire open() {
        return open(Origin.DEFAULT, "in-process");
    }

    /** A new connection from {@code origin} (a listener, and the username its client certificate gives). */
    RecordingWire open(Origin origin) {
        return open(origin, "in-process");
    }

    /** As {@link #open()}, for a client at {@code host}. */
    RecordingWire open(String host) {
        return open(Origin.DEFAULT, host);
    }

    private RecordingWire open(Origin origin, String host) {
        RecordingWire wire = new RecordingWire(core.outbox(), this::closedByServer, host);
        Connection connection = new Connection(wire, origin, clock.nanoTime());
        connections.put(wire, connection);
        core.submit(new Command.Opened(connection));
        settle();
        return wire;
    }

    /** The core's connection behind {@code wire}; read its fields only after a settled step. */
    Connection connectionOf(RecordingWire wire) {
        return connections.get(wire);
    }

    /** As the transport does when the channel the core closed becomes inactive. */
    private void closedByServer(RecordingWire wire) {
        core.submit(new Command.Closed(connections.get(wire)));
    }

    /** A connection whose CONNECT was accepted; returns it with the CONNACK consumed. */
    RecordingWire connect(Packet.Connect connect) {
        RecordingWire wire = open();
        accepted(wire, connect);
        return wire;
    }

    /** As {@link #connect}, for a client whose session must still be there [MQTT-3.2.2-2]. */
    RecordingWire resume(Packet.Connect connect) {
        RecordingWire wire = open();
        assertTrue(accepted(wire, connect).sessionPresent(), "session present for " + connect.clientId());
        return wire;
    }

    /** As {@link #connect}, for a client whose session must be gone: Session Present 0 [MQTT-3.2.2-3]. */
    RecordingWire connectWithoutSession(Packet.Connect connect) {
        RecordingWire wire = open();
        assertFalse(accepted(wire, connect).sessionPresent(), "no session present for " + connect.clientId());
        return wire;
    }

    private Packet.ConnAck accepted(RecordingWire wire, Packet.Connect connect) {
        Packet.ConnAck ack = send(wire, connect).next(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason(), "CONNACK of " + connect.clientId());
        return ack;
    }

    /** A client subscribed to {@code will/#}, to see which wills are published. */
    RecordingWire watchWills() {
        RecordingWire watcher = connect(connect5("watcher", true, 0));
        subscribe(watcher, "will/#", QoS.AT_LEAST_ONCE);
        return watcher;
    }

    /**
     * A persistent 5.0 session (expiry 60 s) subscribed to {@code filter}, whose connection then
     * went away: what is published meanwhile is queued for it.
     */
    void offlineSubscriber(String clientId, String filter, QoS qos) {
        RecordingWire wire = connect(connect5(clientId, false, 60));
        subscribe(wire, filter, qos);
        drop(wire);
    }

    /** The client sends {@code packet}; returns its wire once the core has settled. */
    RecordingWire send(RecordingWire wire, Packet packet) {
        core.submit(new Command.PacketReceived(connections.get(wire), packet));
        settle();
        return wire;
    }

    /** The client sends {@code packet}; returns at once, without waiting for the core. */
    void post(RecordingWire wire, Packet packet) {
        core.submit(new Command.PacketReceived(connections.get(wire), packet));
    }

    /** The client sends every packet, one command each, without waiting between them; then settles. */
    RecordingWire sendAll(RecordingWire wire, List<? extends Packet> packets) {
        for (Packet packet : packets) {
            core.submit(new Command.PacketReceived(connections.get(wire), packet));
        }
        settle();
        return wire;
    }

    /** What the admin API asks of this core. */
    CoreAdmin admin() {
        return core.admin();
    }

    /**
     * Submits {@code operation} to run on the core thread as an admin request does, and returns
     * at once; the future completes after the sync of the turn it ran in.
     */
    <T> CompletableFuture<T> onCoreLater(Function<AdminDesk, T> operation) {
        CompletableFuture<T> done = new CompletableFuture<>();
        core.submit(new Command.AdminCall<>(operation, done));
        return done;
    }

    /** Subscribes and checks that the SUBACK grants {@code qos}. */
    void subscribe(RecordingWire wire, String filter, QoS qos) {
        Packet.SubAck ack = send(wire, Packets.subscribe(1, filter, qos)).next(Packet.SubAck.class);
        assertEquals(List.of(ReasonCode.granted(qos)), ack.reasons(), "SUBACK for " + filter);
    }

    /** The client's socket goes away without DISCONNECT (the transport reports the close). */
    void drop(RecordingWire wire) {
        core.submit(new Command.Closed(connections.get(wire)));
        settle();
    }

    /** Lets {@code by} pass on the core's clock, then lets the core run its timers. */
    void advance(Duration by) {
        clock.advance(by);
        settle();
    }

    /**
     * Waits until the core has finished every turn that began before this call and the one after
     * it. A command completes during its turn's apply step, before the turn's timers and sync; the
     * second round trip therefore proves the first one's turn ended (its packets released, its
     * records applied), and the third that packets the first turn's backlog pumps buffered after
     * its sync were released by the next turn.
     */
    void settle() {
        for (int i = 0; i < 3; i++) {
            stats();
        }
        if (!holdAuthChecks && authPool.waiting() > 0) {
            runAuthChecks();
        }
    }

    /** Runs {@code operation} on the core thread, as the admin API does, and returns its answer. */
    <T> T onCore(java.util.function.Function<AdminDesk, T> operation) {
        CompletableFuture<T> done = new CompletableFuture<>();
        core.submit(new Command.AdminCall<>(operation, done));
        return answer(done);
    }

    /** The core's counters, read on the core thread. */
    BrokerStats stats() {
        CompletableFuture<BrokerStats> done = new CompletableFuture<>();
        core.submit(new Command.ReadStats(done));
        return answer(done);
    }

    private <T> T answer(CompletableFuture<T> done) {
        try {
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the core", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable died = coreFailure.get();
            throw new IllegalStateException(
                    "the core did not answer: " + (died != null ? "it died of " + died : e), died != null ? died : e);
        }
    }

    /**
     * Stops the core (it disconnects everyone with 0x8B, as on SIGTERM) and starts a new one on
     * the same persistence and clock, which restores what the records say.
     */
    void restart() {
        stopCore();
        connections.clear();
        core = startCore();
    }

    private void stopCore() {
        try {
            core.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the core", e);
        }
    }

    @Override
    public void close() {
        stopCore();
    }

    // ---- Packets ----

    static Packet.Connect connect(
            ProtocolVersion version,
            String clientId,
            boolean cleanStart,
            int keepAliveSeconds,
            Packet.Will will,
            Properties properties) {
        return new Packet.Connect(version, clientId, cleanStart, keepAliveSeconds, null, null, will, properties);
    }

    /** A 5.0 CONNECT with keep alive 60 and the given Session Expiry Interval (0: ends with the connection). */
    static Packet.Connect connect5(String clientId, boolean cleanStart, long sessionExpirySeconds) {
        return connect(
                ProtocolVersion.MQTT_5, clientId, cleanStart, 60, null, Packets.sessionExpiry(sessionExpirySeconds));
    }

    static Packet.Will will(String topic, String payload, Properties properties) {
        return new Packet.Will(topic, Packets.utf8(payload), QoS.AT_LEAST_ONCE, false, properties);
    }
}
