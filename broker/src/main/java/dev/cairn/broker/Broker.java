package dev.cairn.broker;

import dev.cairn.broker.admin.AdminServer;
import dev.cairn.broker.admin.Health;
import dev.cairn.broker.auth.AuthPool;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.bridge.Bridge;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.config.RuntimeLimits;
import dev.cairn.broker.core.BrokerStats;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.persistence.JournalPersistence;
import dev.cairn.broker.persistence.Persistence;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.reload.ReloadRegistry;
import dev.cairn.broker.reload.Reloadable;
import dev.cairn.broker.time.Clock;
import dev.cairn.broker.tls.ClientTls;
import dev.cairn.broker.transport.Listener;
import dev.cairn.protocol.TopicLimits;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens (and recovers) the data directory, wires the core loop and the
 * listener by hand, starts them, and stops them in order: stop accepting, let the core say
 * goodbye, sync, apply the index and close the store, then release the I/O threads. A restart
 * after a clean stop replays nothing. Start and stop from one thread; {@link #port()} from any.
 *
 * <p>A reload ({@link #reload}, SIGHUP in the process) re-reads the parts registered in
 * {@link #reloads()}: each TLS listener's certificates, key, CA bundle and CRLs first, then each
 * distinct password file and ACL file the listeners name.
 *
 * <p>A thread the broker cannot run without (the core, a Netty I/O thread) that dies of anything
 * makes the broker {@link #failed}: it stops, so that no port stays open with nothing behind it,
 * and the failure handler ({@link #onFailure}) runs; the process's handler ends it (exit 70).
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** How long a stop waits for each bridge to say DISCONNECT to its remote. */
    private static final long BRIDGE_STOP_MILLIS = 5_000;

    private final BrokerConfig config;
    private final Monitoring monitoring;
    private final ListenerSecurity security;
    private final CoreLoop core;
    private final Listener listener;
    private final ReloadRegistry reloads = new ReloadRegistry();
    private final Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
    private final List<Bridge> bridges = new ArrayList<>();
    /** Each bridge's TLS context by bridge name, read before anything starts; plain-TCP bridges have none. */
    private final Map<String, SslContext> bridgeTls = new HashMap<>();

    private final AtomicBoolean failed = new AtomicBoolean();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private volatile Consumer<Throwable> failureHandler = cause -> {};
    private volatile InetSocketAddress boundAddress;
    private boolean stopped;

    /**
     * Checks what of the config only the listeners and bridges can check (that the TLS files hold
     * usable certificates and keys) without opening anything; every bridge's problems are reported.
     *
     * @throws dev.cairn.broker.config.ConfigException naming the key and the file
     */
    public static void checkListeners(BrokerConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            Listener.checkTls(config);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        for (BridgeConfig b : config.bridges()) {
            try {
                ClientTls.open(b);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * Opens the data directory and recovers it; nothing listens yet.
     *
     * @throws RuntimeException (a {@code StoreOpenException}) when the directory is locked by
     *     another process or its journal is corrupt; the message says what to do
     */
    public Broker(BrokerConfig config) {
        this(config, Clock.SYSTEM);
    }

    /**
     * As {@link #Broker(BrokerConfig)} on the given clock: timers, record timestamps and the
     * journal's cycle files all follow it (the time seam for tests).
     */
    public Broker(BrokerConfig config, Clock clock) {
        // The password and ACL files first: a broker that cannot check clients does not open its data.
        this(config, clock, ListenerSecurity.open(config, clock));
    }

    private Broker(BrokerConfig config, Clock clock, ListenerSecurity security) {
        this(config, clock, security, Monitoring.start(config));
    }

    /** The admin listener answers (ready: 503) while the journal is recovered. */
    private Broker(BrokerConfig config, Clock clock, ListenerSecurity security, Monitoring monitoring) {
        this(config, clock, security, monitoring, openOrClose(config, clock, monitoring));
    }

    private static Persistence openOrClose(BrokerConfig config, Clock clock, Monitoring monitoring) {
        try {
            return JournalPersistence.open(config, clock);
        } catch (RuntimeException | Error e) {
            monitoring.close();
            throw e;
        }
    }

    /**
     * As {@link #Broker(BrokerConfig, Clock)} over the given persistence, which recovers from its
     * own state and which the broker closes when it stops; with an
     * {@link dev.cairn.broker.persistence.InMemoryPersistence} the broker keeps nothing on disk.
     */
    public Broker(BrokerConfig config, Clock clock, Persistence persistence) {
        this(
                config,
                clock,
                securityOrClose(config, clock, persistence),
                monitoringOrClose(config, persistence),
                persistence);
    }

    /**
     * As {@link #Broker(BrokerConfig)} with every listener's password and ACL files loaded already
     * (the process entry point loads them before the data directory, so that a bad file is a
     * configuration error).
     */
    public Broker(BrokerConfig config, ListenerSecurity security) {
        this(config, Clock.SYSTEM, security);
    }

    private static Monitoring monitoringOrClose(BrokerConfig config, Persistence persistence) {
        try {
            return Monitoring.start(config);
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    private Broker(
            BrokerConfig config,
            Clock clock,
            ListenerSecurity security,
            Monitoring monitoring,
            Persistence persistence) {
        this.config = config;
        this.monitoring = monitoring;
        monitoring.health().enter(Health.Stage.STARTING);
        this.security = security;
        this.core = new CoreLoop(
                config,
                clock,
                Listener.inboxHighDepth(),
                persistence,
                security,
                this::failed,
                AuthPool.create(config.auth().threads()));
        this.listener = new Listener(config, core, this::failed);
        for (BridgeConfig b : config.bridges()) {
            SslContext tls = ClientTls.open(b);
            if (tls != null) {
                bridgeTls.put(b.name(), tls);
            }
        }
        if (monitoring.admin() != null) {
            monitoring
                    .admin()
                    .registerBroker(
                            core.measures(),
                            config.listeners().stream()
                                    .map(ListenerConfig::name)
                                    .toList(),
                            listener::connectionsRefused,
                            listener::tlsHandshakeFailures,
                            config.dataDir());
            monitoring
                    .admin()
                    .registerApi(
                            core.admin(),
                            config.dataDir(),
                            new TopicLimits(config.topicLengthMaxBytes(), config.topicLevelsMax()),
                            config.auth());
        }
        for (Reloadable part : listener.reloadables()) {
            reloads.register(part);
        }
        for (Reloadable part : security.reloadables()) {
            reloads.register(part);
        }
        if (monitoring.admin() != null && config.monitoring().api().open()) {
            reloads.register(monitoring.admin().credentialsReloadable());
        }
    }

    /** The parts a reload re-reads: each TLS listener's material, then the password and ACL files. */
    public ReloadRegistry reloads() {
        return reloads;
    }

    /**
     * Re-reads every registered part (SIGHUP): new TLS handshakes use the new material, live
     * connections keep theirs; a part whose new files are bad keeps its old state and logs an
     * ERROR naming the file. Returns how many parts kept their old state. Any thread but the core's.
     */
    public int reload() {
        return reloads.reloadAll();
    }

    /**
     * Applies {@code fresh}'s run-time limits ({@link RuntimeLimits}): the listeners take theirs at
     * once, the core through its inbox in its next turn. Returns once the core has them, or false
     * when it did not take them within {@code timeoutMillis} (it still will, unless it has
     * stopped). Any thread but the core's.
     */
    public boolean applyLimits(BrokerConfig fresh, long timeoutMillis) throws InterruptedException {
        RuntimeLimits limits = RuntimeLimits.of(fresh);
        listener.applyLimits(limits);
        try {
            core.applyLimits(limits).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the core failed to take the limits", e.getCause());
        }
    }

    /**
     * Each listener's authenticator and topic ACL; reloading them ({@link #reload}) re-reads
     * every password and ACL file. Any thread.
     */
    public ListenerSecurity security() {
        return security;
    }

    /** The listeners' password and ACL files; when one is bad, closes {@code persistence} and throws. */
    private static ListenerSecurity securityOrClose(BrokerConfig config, Clock clock, Persistence persistence) {
        try {
            return ListenerSecurity.open(config, clock);
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    /**
     * What to do once a failed broker has stopped ({@link #failed}); by default nothing more. The
     * process entry point exits with a non-zero status. Set it before {@link #start}.
     */
    public void onFailure(Consumer<Throwable> handler) {
        this.failureHandler = handler;
    }

    /** Completes with the cause when a thread the broker cannot run without died; any thread. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /**
     * A thread the broker cannot run without died of {@code cause}. On a thread of its own (the
     * dying one may be an I/O thread the stop has to wait for): stop like {@link #close} (stop
     * accepting; the core, if it still runs, says goodbye, syncs and closes the store; the I/O
     * threads end, which closes every socket), then hand the cause to the failure handler.
     */
    public void failed(Throwable cause) {
        if (!failed.compareAndSet(false, true)) {
            return;
        }
        monitoring.health().failed();
        LOG.error("a thread the broker cannot run without failed ({}); stopping", cause.toString());
        Thread stopper = new Thread(
                () -> {
                    try {
                        close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error e) {
                        cause.addSuppressed(e);
                    } finally {
                        failure.complete(cause);
                        failureHandler.accept(cause);
                    }
                },
                "cairn-failure");
        stopper.start();
    }

    /**
     * Runs one journal retention step on the core thread now, besides the periodic ones; the
     * future completes with what it did (its relocations become durable with that turn).
     */
    public CompletableFuture<RetentionReport> runRetention() {
        CompletableFuture<RetentionReport> done = new CompletableFuture<>();
        core.submit(new Command.RunRetention(done));
        return done;
    }

    /** The core's counters as of its next turn (messages received, delivered, dropped, refused...). */
    public CompletableFuture<BrokerStats> stats() {
        CompletableFuture<BrokerStats> done = new CompletableFuture<>();
        core.submit(new Command.ReadStats(done));
        return done;
    }

    public Broker start() throws InterruptedException {
        core.start();
        // Only now: before it starts, the core thread is not alive, and live must stay 200.
        monitoring.health().watchCore(core::alive);
        List<Bridge> configured = new ArrayList<>();
        for (BridgeConfig b : config.bridges()) {
            Bridge bridge = new Bridge(
                    b,
                    core,
                    Listener.clientChannelType(),
                    config.packetSizeMaxBytes(),
                    config.inflightOutboundMax(),
                    config.inflightInboundMax(),
                    bridgeTls.get(b.name()));
            // Before any listener accepts: every message on an out topic is queued for the bridge.
            bridge.register();
            ClientTls.warnIfInsecure(b);
            configured.add(bridge);
        }
        List<Listener.Bound> all = listener.start();
        for (Listener.Bound b : all) {
            bound.put(b.listener().name(), b.address());
            LOG.info(
                    "Cairn listening on {}:{} (listener {}, {}; durability {}, data {})",
                    b.address().getHostString(),
                    b.address().getPort(),
                    b.listener().name(),
                    b.listener().type().configName(),
                    config.durability().configName(),
                    config.dataDir());
        }
        boundAddress = all.get(0).address();
        monitoring.health().enter(Health.Stage.READY);
        for (Listener.Bound b : all) {
            if (b.listener().auth().anonymousExplicitlyAllowed()
                    && !b.listener().closed()) {
                LOG.warn(
                        "allow_anonymous = true on listener {} ({}), which is not a loopback address: anyone"
                                + " who reaches port {} can connect without credentials",
                        b.listener().name(),
                        b.listener().bindAddress(),
                        b.address().getPort());
            }
        }
        for (Bridge bridge : configured) {
            bridge.start(listener.ioGroup().next());
            bridges.add(bridge);
        }
        if (monitoring.admin() != null) {
            monitoring
                    .admin()
                    .registerBridges(bridges.stream().map(Bridge::status).toList());
        }
        return this;
    }

    /**
     * The highest journal position known durable under the durability policy; every packet the
     * broker has released depends only on records at or below it. Any thread.
     */
    public long syncedJournalPosition() {
        return core.syncedJournalPosition();
    }

    /**
     * New sockets the named listener closed at accept because of its own {@code connections_max}
     * or {@code connections_per_second_per_address}. Any thread.
     */
    public long connectionsRefused(String listenerName) {
        return listener.connectionsRefused(listenerName);
    }

    /** The port of the first listener (the default one unless it is switched off). */
    public int port() {
        return boundAddress.getPort();
    }

    /** The port the named listener is bound to. */
    public int port(String listenerName) {
        InetSocketAddress address = bound.get(listenerName);
        if (address == null) {
            throw new IllegalArgumentException("no listener named " + listenerName + "; there are " + bound.keySet());
        }
        return address.getPort();
    }

    public String host() {
        return boundAddress.getHostString();
    }

    /** What {@code /health/live} and {@code /health/ready} answer; any thread. */
    public Health health() {
        return monitoring.health();
    }

    /** The admin listener's port (the one chosen when admin.port is 0); fails when admin.enabled is false. */
    public int adminPort() {
        if (monitoring.admin() == null) {
            throw new IllegalStateException("the admin listener is off (admin.enabled = false)");
        }
        return monitoring.admin().address().getPort();
    }

    /** The broker's health and, unless admin.enabled is false, the admin listener that shows it. */
    private record Monitoring(Health health, AdminServer admin) {
        static Monitoring start(BrokerConfig config) {
            Health health = new Health();
            return new Monitoring(
                    health, config.monitoring().adminEnabled() ? AdminServer.start(config.monitoring(), health) : null);
        }

        void close() {
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        monitoring.health().enter(Health.Stage.STOPPING);
        listener.stopAccepting();
        for (Bridge bridge : bridges) {
            bridge.stop(BRIDGE_STOP_MILLIS);
        }
        core.stop();
        listener.shutdown();
        monitoring.close();
        LOG.info("Cairn stopped");
    }
}
