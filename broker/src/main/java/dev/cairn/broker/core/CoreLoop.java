package dev.cairn.broker.core;

import dev.cairn.broker.auth.AuthPool;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.RuntimeLimits;
import dev.cairn.broker.delivery.QueueLimits;
import dev.cairn.broker.persistence.Persistence;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns all broker state. Other threads only {@link #submit} commands.
 * Each turn of {@link #runOnce()} is the checklist in ARCHITECTURE.md: take a batch, apply it (which
 * appends journal records), run the timers, then end the turn: seal the turn's packets with the
 * last appended position, make the turn's records durable with one sync (group commit), release
 * the packets the synced position covers, apply the records to the index, and move backlogs that
 * waited for that index. Packets therefore leave only after the records they depend on are
 * durable, in the order they were produced, and every packet of a turn for one connection leaves
 * in one write-and-flush.
 *
 * <p>Thread-safety: {@code submit}, {@code inboxDepth}, {@code whenDrained} and {@code stop} may be
 * called from any thread; everything else runs on the core thread, which {@link #onCoreThread}
 * asserts.
 */
public final class CoreLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CoreLoop.class);
    /** Most commands applied per turn, so timers and the outbox are never starved. */
    static final int BATCH_COMMANDS_MAX = 4096;

    private final Queue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxDepth = new AtomicInteger();
    private final Queue<Runnable> resumeWhenDrained = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch restored = new CountDownLatch(1);
    private final List<Command> batch = new ArrayList<>(BATCH_COMMANDS_MAX);
    private final int inboxResumeDepth;
    private final BrokerState state;
    private final PacketDispatcher dispatcher;
    private final Lifecycle lifecycle;
    private final Deliveries deliveries;
    private final Timers timers;
    private final SysTopics sysTopics;
    private final Restorer restorer;
    private final Thread thread;
    private final CoreMeasures measures;
    private final AdminDesk adminDesk;
    /** Answers to the admin API's requests of this turn, sent once its records are durable. */
    private final List<Runnable> adminAnswers = new ArrayList<>();

    private final Consumer<Throwable> onFailure;
    private final Executor authPool;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * The loop takes ownership of {@code persistence}: it appends, syncs and finally closes it.
     * Credentials and topics are checked as the config's listeners say ({@link ListenerSecurity#open}) on
     * an auth pool of {@code auth_threads} that the loop owns and stops.
     */
    public CoreLoop(BrokerConfig config, Clock clock, int inboxHighDepth, Persistence persistence) {
        this(
                config,
                clock,
                inboxHighDepth,
                persistence,
                ListenerSecurity.open(config, clock),
                failure -> {},
                AuthPool.create(config.auth().threads()));
    }

    /**
     * As {@link #CoreLoop(BrokerConfig, Clock, int, Persistence)}; {@code onFailure} runs on the
     * core thread when the loop dies of any throwable after it started serving (the store is
     * closed by then): the broker cannot go on without its core, and must not stay up looking
     * alive (the composition root ends the process). {@code security} holds each listener's topic ACL
     * (the caller may reload them at any time) and authenticator, which decides who may connect
     * there; its slow checks run on {@code authPool}, never on the core thread. An
     * {@link ExecutorService} pool is shut down when the loop ends.
     */
    public CoreLoop(
            BrokerConfig config,
            Clock clock,
            int inboxHighDepth,
            Persistence persistence,
            ListenerSecurity security,
            Consumer<Throwable> onFailure,
            Executor authPool) {
        this.onFailure = onFailure;
        this.authPool = authPool;
        this.state = new BrokerState(config, clock, persistence, security);
        this.inboxResumeDepth = inboxHighDepth / 2;
        this.lifecycle = new Lifecycle(state);
        this.deliveries = new Deliveries(state);
        Router router = new Router(state, deliveries);
        lifecycle.setRouter(router);
        ConnectHandler connects = new ConnectHandler(state, lifecycle, deliveries, security, authPool, this::submit);
        this.dispatcher = new PacketDispatcher(
                state,
                lifecycle,
                connects,
                new PublishHandler(state, lifecycle, router, deliveries),
                new SubscribeHandler(state, lifecycle, deliveries));
        this.measures = new CoreMeasures(
                config.monitoring().fsyncWarnMillis(), config.monitoring().diskFreeWarnBytes());
        this.sysTopics =
                new SysTopics(state, router, measures, config.monitoring().sysIntervalSeconds());
        this.timers = new Timers(state, lifecycle, connects, sysTopics);
        this.restorer = new Restorer(state, lifecycle);
        this.thread = new Thread(this::run, "cairn-core");
        this.adminDesk = new AdminDesk(state, lifecycle, deliveries);
    }

    /**
     * Hands a reload's limits to the core through its inbox; completes once the core has taken
     * them. Any thread.
     */
    public CompletableFuture<Void> applyLimits(RuntimeLimits limits) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Command.ApplyLimits(limits, done));
        return done;
    }

    /** What the admin API asks of the core, through this loop's inbox; any thread. */
    public CoreAdmin admin() {
        return new CoreAdmin(this::submit);
    }

    /** What the core measures and the figures it publishes for the admin listener; any thread. */
    public CoreMeasures measures() {
        return measures;
    }

    /**
     * Whether the core thread runs: false before {@link #start} and once the loop has stopped or
     * died. Any thread.
     */
    public boolean alive() {
        return thread.isAlive() && failure == null;
    }

    public Outbox outbox() {
        return state.outbox;
    }

    /** Starts the thread and waits until it has loaded the recovered state. */
    public void start() throws InterruptedException {
        thread.start();
        restored.await();
        if (failure != null) {
            throw new IllegalStateException(
                    "the core could not load the recovered state: " + failure.getMessage(), failure);
        }
    }

    /** Queues a command for the core thread; callable from any thread. */
    public void submit(Command command) {
        inbox.add(command);
        inboxDepth.incrementAndGet();
        if (parked.get()) {
            LockSupport.unpark(thread);
        }
    }

    /** The highest journal position known durable (for monitoring and tests); any thread. */
    public long syncedJournalPosition() {
        return state.persistence.syncedPosition();
    }

    public int inboxDepth() {
        return inboxDepth.get();
    }

    /** Runs {@code resume} on the core thread once the inbox has drained below half its high mark. */
    public void whenDrained(Runnable resume) {
        resumeWhenDrained.add(resume);
    }

    /** Asks the loop to disconnect everyone (5.0: 0x8B) and stop; waits for it. */
    public void stop() throws InterruptedException {
        submit(new Command.Stop());
        stopped.await();
    }

    boolean onCoreThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        try {
            state.nowNanos = state.clock.nanoTime();
            state.persistence.checkSpace(state.nowNanos);
            restorer.restore(state.persistence.recovered());
            endTurn();
            measures.copyFigures(state, System.nanoTime());
        } catch (Throwable t) {
            failure = t;
            LOG.error("loading the recovered state failed", t);
            stopAuthPool();
            closePersistence();
            stopped.countDown();
            return;
        } finally {
            restored.countDown();
        }
        Throwable died = null;
        try {
            while (running) {
                runOnce();
            }
            endTurn();
        } catch (Throwable t) {
            // Any throwable, Errors included (an InternalError from a fault in the journal's memory
            // map, say): the loop cannot continue from an unknown state. The journal is not synced:
            // every packet released so far depends only on records synced before, and the records
            // of this turn may end in a partial one. Recovery on restart discards a torn tail.
            died = t;
            failure = t;
            LOG.error("core loop failed; the broker cannot continue and stops", t);
        } finally {
            stopAuthPool();
            closePersistence();
            stopped.countDown();
        }
        if (died != null) {
            onFailure.accept(died);
        }
    }

    private void stopAuthPool() {
        if (authPool instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    private void closePersistence() {
        try {
            state.persistence.close();
        } catch (RuntimeException | Error e) {
            LOG.error("closing the store failed", e);
        }
    }

    void runOnce() {
        assert onCoreThread();
        takeBatch();
        measures.turnStarted();
        state.persistence.checkSpace(state.nowNanos);
        applyBatch();
        timers.run();
        endTurn();
        resumeReaders();
        measures.turnEnded(state);
    }

    /**
     * Group commit: first lets out the packets that depend on no record of this turn (a ready
     * prefix per connection, {@link Outbox#releaseReady}), then seals the rest with the position
     * of the last record appended, makes
     * every record of the turn durable with one sync, and releases the turn. The sync runs here,
     * on the core thread (ADR 0005: a background syncer thread measured more CPU per message and
     * no more throughput on the 2-core machines Cairn is benchmarked on).
     */
    private void endTurn() {
        state.outbox.releaseReady();
        state.outbox.seal(state.persistence.lastAppendedPosition());
        if (state.persistence.hasUnsynced()) {
            long started = System.nanoTime();
            state.persistence.syncNow();
            measures.synced(System.nanoTime() - started, state.persistence.appendedRecords());
        }
        releaseDurable();
        assert !state.outbox.hasSealed() : "a sealed turn outlived the sync that covers it";
        answerAdmin();
    }

    /** The admin API's answers of this turn: every record their requests appended is durable now. */
    private void answerAdmin() {
        for (Runnable answer : adminAnswers) {
            answer.run();
        }
        adminAnswers.clear();
    }

    /**
     * The only place packets leave: sealed turns the synced position covers, oldest first. Then
     * the index catches up to the same position, and backlogs that waited for it move.
     */
    private void releaseDurable() {
        long synced = state.persistence.syncedPosition();
        state.outbox.release(synced);
        if (state.persistence.applyIndex(synced)) {
            pumpAwaitingIndex();
        }
    }

    /** Whether a turn has work without a new command: packets a backlog pump buffered after the sync. */
    private boolean durableWorkPending() {
        return state.outbox.hasUnsealed() || state.persistence.hasUnsynced();
    }

    /** Sessions whose backlog waited for records the index has now applied. */
    private void pumpAwaitingIndex() {
        if (state.awaitingIndex.isEmpty()) {
            return;
        }
        List<Session> waiting = new ArrayList<>(state.awaitingIndex);
        state.awaitingIndex.clear();
        for (Session s : waiting) {
            deliveries.pump(s);
        }
    }

    private void takeBatch() {
        Command c = inbox.poll();
        if (c == null && !durableWorkPending()) {
            parked.set(true);
            c = inbox.poll();
            if (c == null) {
                LockSupport.parkNanos(this, Math.max(1_000_000L, timers.nanosUntilDue()));
                c = inbox.poll();
            }
            parked.set(false);
        }
        state.nowNanos = state.clock.nanoTime();
        while (c != null) {
            batch.add(c);
            if (batch.size() >= BATCH_COMMANDS_MAX) {
                break;
            }
            c = inbox.poll();
        }
        inboxDepth.addAndGet(-batch.size());
    }

    private void applyBatch() {
        for (Command command : batch) {
            apply(command);
        }
        batch.clear();
    }

    private void apply(Command command) {
        switch (command.kind()) {
            case OPENED:
                Connection opened = ((Command.Opened) command).connection();
                if (state.connections.add(opened)) {
                    state.connectionCounts.opened(opened);
                }
                break;
            case PACKET:
                Command.PacketReceived p = (Command.PacketReceived) command;
                dispatcher.onPacket(p.connection(), p.packet());
                break;
            case DECODE_FAILED:
                Command.DecodeFailed d = (Command.DecodeFailed) command;
                dispatcher.onDecodeError(d.connection(), d.error());
                break;
            case CLOSED:
                lifecycle.close(((Command.Closed) command).connection(), Lifecycle.WillAction.PUBLISH);
                break;
            case WRITABLE:
                Connection w = ((Command.Writable) command).connection();
                if (w.session() != null) {
                    deliveries.pump(w.session());
                }
                break;
            case STOP:
                shutdown();
                break;
            case RUN_RETENTION:
                runRetention((Command.RunRetention) command);
                break;
            case AUTHENTICATED:
                dispatcher.onAuthenticated((Command.Authenticated) command);
                break;
            case ADMIN:
                runAdmin((Command.AdminCall<?>) command);
                break;
            case READ_STATS:
                ((Command.ReadStats) command).done().complete(state.stats.snapshot());
                break;
            case APPLY_LIMITS:
                Command.ApplyLimits apply = (Command.ApplyLimits) command;
                takeLimits(apply.limits());
                apply.done().complete(null);
                break;
            default:
                throw new IllegalStateException("unknown command " + command.kind());
        }
    }

    /**
     * Takes a reload's limits: the queue bounds of every session (from its next message on), the
     * $SYS interval, the slow-sync threshold and the disk-space thresholds (checked at the start of
     * the next turn); the others are read where they apply (a CONNECT, an expiry interval, a full
     * queue).
     */
    private void takeLimits(RuntimeLimits limits) {
        state.limits = limits;
        if (limits.queuedMessagesMax() != state.queueLimits.messagesMax()
                || limits.queuedBytesMax() != state.queueLimits.bytesMax()) {
            state.queueLimits = new QueueLimits(
                    limits.queuedMessagesMax(), limits.queuedBytesMax(), state.queueLimits.inMemoryMax());
            for (Session s : state.sessions.values()) {
                s.outbound().limits(state.queueLimits);
            }
        }
        sysTopics.interval(limits.sysIntervalSeconds());
        measures.syncWarnMillis(limits.fsyncWarnMillis());
        state.persistence.spaceThresholds(limits.diskFreeMinBytes(), limits.diskFreeWarnBytes());
        measures.diskFreeWarnBytes(limits.diskFreeWarnBytes());
    }

    private void runRetention(Command.RunRetention request) {
        try {
            request.done().complete(timers.runRetention());
        } catch (RuntimeException e) {
            request.done().completeExceptionally(e);
            throw e;
        }
    }

    private <T> void runAdmin(Command.AdminCall<T> call) {
        T answer;
        try {
            answer = call.operation().apply(adminDesk);
        } catch (RuntimeException e) {
            call.done().completeExceptionally(e);
            throw e;
        }
        adminAnswers.add(() -> call.done().complete(answer));
    }

    private void shutdown() {
        LOG.info("core stopping: disconnecting {} connections", state.connections.size());
        for (Connection c : new ArrayList<>(state.connections)) {
            lifecycle.serverDisconnect(c, ReasonCode.SERVER_SHUTTING_DOWN, Lifecycle.WillAction.DISCARD);
        }
        running = false;
    }

    private void resumeReaders() {
        if (inboxDepth.get() > inboxResumeDepth) {
            return;
        }
        Runnable r;
        while ((r = resumeWhenDrained.poll()) != null) {
            r.run();
        }
    }
}
