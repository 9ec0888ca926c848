package dev.cairn.benchmarks.load;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends stamped messages on one connection, paced by {@link Pacing} and bounded by the
 * connection's in-flight window and socket buffer, so the generator never queues more than a
 * window's worth of work in memory. Sending happens in {@link #pump}, which writes as many
 * messages as are allowed and then flushes once.
 *
 * <p>Thread safety: owned by its connection's event loop, except {@link #onDelivered} (called
 * by receivers on any loop), {@link #sentCount} and {@link #stop}.
 */
final class Publisher implements MqttConnection.Listener {
    /** Open-loop publishers wake this often to send what has fallen due. */
    private static final long TICK_MICROS = 1_000;

    private final int id;
    private final String topic;
    private final QoS qos;
    private final int payloadBytes;
    private final Pacing pacing;
    /** How many receivers get each message (fan-out); closed-loop pacing counts copies. */
    private final int copiesPerMessage;

    private final AtomicLong deliveredCopies = new AtomicLong();
    private final AtomicBoolean parked = new AtomicBoolean();
    /** The sequence number each in-flight packet id carries, to know which messages the broker acknowledged. */
    private final long[] sequenceOfPacketId = new long[65_536];
    /** Sequences the broker acknowledged (PUBACK or PUBREC without an error); guarded by itself. */
    private final BitSet acknowledged = new BitSet();

    private MqttConnection connection;
    private ScheduledFuture<?> tick;
    private long startNanos;
    private long sendLimit = Long.MAX_VALUE;
    private volatile long sentCount;
    private volatile boolean stopped = true;

    Publisher(int id, String topic, QoS qos, int payloadBytes, Pacing pacing, int copiesPerMessage) {
        this.id = id;
        this.topic = topic;
        this.qos = qos;
        this.payloadBytes = payloadBytes;
        this.pacing = pacing;
        this.copiesPerMessage = copiesPerMessage;
    }

    int id() {
        return id;
    }

    void attach(MqttConnection connection) {
        this.connection = connection;
    }

    /** Sends no more than {@code count} messages in all; call before {@link #start}. */
    void limitTo(long count) {
        sendLimit = count;
    }

    long sentCount() {
        return sentCount;
    }

    /** Starts sending on the connection's loop. */
    void start() {
        connection.execute(() -> {
            stopped = false;
            startNanos = System.nanoTime();
            if (pacing.isOpenLoop()) {
                tick = connection
                        .eventLoop()
                        .scheduleAtFixedRate(this::pumpAndFlush, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
            }
            pumpAndFlush();
        });
    }

    /** Stops sending; completes on the loop with the final sent count. */
    CompletableFuture<Long> stop() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        connection.execute(() -> {
            stopped = true;
            if (tick != null) {
                tick.cancel(false);
            }
            done.complete(sentCount);
        });
        return done;
    }

    /** Completes on the loop once every QoS>0 publish has been acknowledged. */
    CompletableFuture<Integer> inflightCount() {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        connection.execute(() -> count.complete(connection.inflightCount()));
        return count;
    }

    /** A receiver got one of our messages (not a duplicate). Any thread. */
    void onDelivered() {
        deliveredCopies.incrementAndGet();
        if (parked.get() && parked.compareAndSet(true, false)) {
            connection.execute(this::pumpAndFlush);
        }
    }

    @Override
    public void onMessage(MqttConnection from, Packet.Publish publish) {
        // Publishers subscribe to nothing.
    }

    @Override
    public void onPublishAcknowledged(MqttConnection from, int packetId, ReasonCode reason) {
        if (!reason.isError()) {
            synchronized (acknowledged) {
                acknowledged.set((int) sequenceOfPacketId[packetId]);
            }
        }
    }

    /** A copy of the sequences the broker has acknowledged so far. Any thread. */
    BitSet acknowledgedSequences() {
        synchronized (acknowledged) {
            return (BitSet) acknowledged.clone();
        }
    }

    @Override
    public void onPublishCompleted(MqttConnection from) {
        // Inside a read: the connection flushes when the read batch ends.
        pump();
    }

    @Override
    public void onWritable(MqttConnection from) {
        pumpAndFlush();
    }

    private void pumpAndFlush() {
        pump();
        connection.flush();
    }

    private void pump() {
        while (!stopped && sentCount < sendLimit && connection.canPublish(qos)) {
            long sendNanos;
            if (pacing.isOpenLoop()) {
                long dueNanos = startNanos + (long) (sentCount * 1e9 / pacing.ratePerSecond());
                if (dueNanos > System.nanoTime()) {
                    return;
                }
                sendNanos = dueNanos;
            } else {
                if (closedLoopFull()) {
                    return;
                }
                sendNanos = System.nanoTime();
            }
            byte[] payload = new MessageStamp(id, sentCount, sendNanos).toPayload(payloadBytes);
            int packetId = connection.publish(topic, qos, payload);
            sequenceOfPacketId[packetId] = sentCount;
            sentCount++;
        }
    }

    /**
     * True when too many of our messages are undelivered; then we park, and the receiver that
     * delivers the next one wakes us. Re-checked after parking, so a delivery racing with the
     * park cannot be missed.
     */
    private boolean closedLoopFull() {
        long limitCopies = (long) pacing.outstandingMax() * copiesPerMessage;
        if (sentCount * copiesPerMessage - deliveredCopies.get() < limitCopies) {
            return false;
        }
        parked.set(true);
        if (sentCount * copiesPerMessage - deliveredCopies.get() < limitCopies) {
            parked.set(false);
            return false;
        }
        return true;
    }
}
