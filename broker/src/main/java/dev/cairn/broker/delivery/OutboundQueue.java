package dev.cairn.broker.delivery;

import dev.cairn.broker.codec.QoS;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's outbound messages, in three tiers: {@code inflight} (sent, not yet acknowledged,
 * keyed by packet id in send order, bounded by the window the caller passes), {@code memory}
 * (next to send, at most {@code inMemoryMax}) and the {@code backlog} (journaled deliveries that
 * are only on disk: the index holds them and {@link Backlog} reads them back in order). A
 * disconnected session keeps nothing in memory beyond its in-flight messages, so heap use does
 * not grow with queued messages. Memory always holds a prefix of the queue and the backlog the
 * rest, so order [MQTT-4.6.0-6] holds across the tiers. The total (memory plus backlog) is
 * bounded in messages and in bytes ({@link QueueLimits}); in-flight messages count against
 * neither, as the index's depth minus them is what waits. Core thread only; no locks.
 */
public final class OutboundQueue {
    /** What {@link #pump} left behind. */
    public enum PumpResult {
        /** Nothing more can move now (empty, window full or connection unwritable). */
        IDLE,
        /** The backlog has entries the index has not applied yet; pump again after the next apply. */
        AWAITING_INDEX
    }

    // Made on first use, small: many sessions never receive (sensors that only publish), most
    // hold few messages, and idle connections are many. Empty means null or empty.
    private ArrayDeque<Delivery> memory;
    private LinkedHashMap<Integer, Delivery> inflight;
    /** In-flight PUBLISHes from an earlier connection not re-sent yet: the window was full. */
    private ArrayDeque<Integer> resendPending;

    private QueueLimits limits;
    private final DeliveryLog log;
    private final Backlog backlog;
    private long memoryBytes;
    private long backlogCount;
    private long backlogBytes;
    /** The queue key {@code (position, copy)} of the last journaled delivery in memory or in flight. */
    private long memoryTailPosition = -1;
    /**
     * The message position of the backlog's first entry while the backlog is not empty: exact
     * when {@link #backlogHeadExact}, else a lower bound ({@link #memoryTailPosition} after a
     * read back, the entries come after it).
     */
    private long backlogHeadPosition = -1;

    private boolean backlogHeadExact;

    private final QueueTotals totals;
    private OldestQueued.Mark mark;
    /** Whether this queue is on {@link #totals}' list of queues changed since its last update. */
    private boolean listed;
    /** What {@link #totals} last counted of this queue. */
    long countedMessages;

    long countedBytes;

    private int memoryTailCopy = -1;
    private int nextPacketId = 1;
    private long droppedCount;
    private long expiredCount;
    /** Whether a purge runs ({@link #startPurge}); it removes entries up to {@link #purgeThrough}. */
    private boolean purging;

    private long purgeThrough;

    /**
     * @param limits the bounds of the waiting messages
     * @param log where journaled deliveries report their state changes
     * @param backlog reads spilled deliveries back; null for a session that cannot spill
     */
    public OutboundQueue(QueueLimits limits, DeliveryLog log, Backlog backlog) {
        this(limits, log, backlog, null);
    }

    /**
     * As {@link #OutboundQueue(QueueLimits, DeliveryLog, Backlog)}, counted in {@code totals}
     * (shared by the broker's queues): its changes, and its mark while a journaled delivery waits
     * in it.
     */
    public OutboundQueue(QueueLimits limits, DeliveryLog log, Backlog backlog, QueueTotals totals) {
        this.limits = limits;
        this.log = log;
        this.backlog = backlog;
        this.totals = totals;
    }

    /** Puts this queue on the totals' list, once until their next update. */
    private void changed() {
        if (totals != null && !listed) {
            listed = true;
            totals.changed(this);
        }
    }

    /** The totals counted {@code messages} and {@code bytes} of this queue and took it off their list. */
    void counted(long messages, long bytes) {
        countedMessages = messages;
        countedBytes = bytes;
        listed = false;
    }

    /**
     * New bounds (a reload of queued_messages_max or queued_bytes_max): from the next message on. A
     * queue already beyond them keeps what it holds and takes nothing more until it is below.
     */
    public void limits(QueueLimits newLimits) {
        this.limits = newLimits;
    }

    /** A memory-only queue (no journal): everything beyond {@code queuedMax} is refused. */
    public OutboundQueue(int queuedMax) {
        this(new QueueLimits(queuedMax, Long.MAX_VALUE, queuedMax), DeliveryLog.NONE, null);
    }

    /**
     * The one rule for what fits in the queue, which {@link #offer} applies and the router asks
     * before it journals (to apply queue_overflow): {@code copies} deliveries of one message of
     * {@code messageBytes} fit when the waiting messages stay within queued_messages_max and
     * queued_bytes_max (memory and disk together), and each can be kept: a delivery that can
     * spill to disk ({@code journaled}, in a queue with a backlog) always can; any other only
     * in memory, while the session is connected, nothing is spilled and memory holds fewer than
     * queued_messages_in_memory_max.
     */
    public boolean fits(int copies, long messageBytes, boolean journaled, boolean connected) {
        if (queuedCount() + copies > limits.messagesMax()
                || queuedBytes() + copies * messageBytes > limits.bytesMax()) {
            return false;
        }
        return (journaled && backlog != null) || (connected && hasMemoryRoom(copies));
    }

    private boolean hasMemoryRoom(int copies) {
        return backlogCount == 0 && inMemoryCount() + copies <= limits.inMemoryMax();
    }

    /**
     * Adds a delivery at the tail if it {@link #fits}: to memory while the session is connected
     * and memory has room and nothing is spilled, else to the backlog. Returns false, and keeps
     * nothing, when it does not fit.
     */
    public boolean offer(Delivery delivery, boolean connected) {
        long bytes = delivery.message().queuedBytes();
        if (!fits(1, bytes, delivery.journaled(), connected)) {
            droppedCount++;
            return false;
        }
        if (connected && hasMemoryRoom(1)) {
            addToMemory(delivery, bytes);
        } else {
            if (backlogCount == 0) {
                backlogHeadPosition = delivery.position();
                backlogHeadExact = true;
            }
            backlogCount++;
            backlogBytes += bytes;
        }
        if (delivery.journaled()) {
            markWaiting(delivery.position());
        }
        changed();
        return true;
    }

    private void markWaiting(long position) {
        if (totals != null && mark == null) {
            mark = totals.oldest().mark(this, position);
        }
    }

    /** {@link OldestQueued} dropped this queue's mark: nothing journaled waits in it. */
    void unmarked() {
        mark = null;
    }

    /**
     * The message position of the first journaled delivery waiting (not in flight); -1 when none
     * waits. When it is the backlog's first entry and that is not known since a read back, one
     * read finds it; if the index has not applied it yet, the answer is a lower bound.
     */
    long firstWaitingPosition() {
        if (memory != null) {
            for (Delivery d : memory) {
                if (d.journaled()) {
                    return d.position();
                }
            }
        }
        if (backlogCount == 0) {
            return -1;
        }
        if (!backlogHeadExact && backlog != null) {
            List<Delivery> first = backlog.read(memoryTailPosition, memoryTailCopy, 1);
            if (!first.isEmpty()) {
                backlogHeadPosition = first.get(0).position();
                backlogHeadExact = true;
            }
        }
        return Math.max(0, backlogHeadPosition);
    }

    /**
     * When the oldest delivery waiting was received (wall-clock milliseconds), read from the
     * backlog's store; -1 when none waits, or the store has not applied it yet.
     */
    long oldestQueuedAtMillis() {
        return backlog == null ? -1 : backlog.oldestQueuedAtMillis();
    }

    private void addToMemory(Delivery delivery, long bytes) {
        memory().addLast(delivery);
        memoryBytes += bytes;
        if (delivery.journaled()) {
            memoryTailPosition = delivery.position();
            memoryTailCopy = delivery.copy();
        }
    }

    /**
     * Recovery: the session's queue has {@code count} journaled entries of {@code bytes} after the
     * key {@code (afterPosition, afterCopy)}.
     */
    public void restoreBacklog(long count, long bytes, long afterPosition, int afterCopy) {
        restoreBacklog(count, bytes, afterPosition, afterCopy, -1);
    }

    /**
     * As {@link #restoreBacklog(long, long, long, int)}, with the message position of the first
     * waiting entry ({@code -1}: not known, the entries come after {@code afterPosition}).
     */
    public void restoreBacklog(long count, long bytes, long afterPosition, int afterCopy, long firstPosition) {
        backlogCount = count;
        backlogBytes = bytes;
        memoryTailPosition = afterPosition;
        memoryTailCopy = afterCopy;
        backlogHeadPosition = firstPosition >= 0 ? firstPosition : afterPosition;
        backlogHeadExact = firstPosition >= 0;
        if (count > 0) {
            markWaiting(Math.max(0, backlogHeadPosition));
        }
        changed();
    }

    /** Recovery: a delivery that was in flight when the broker stopped. */
    public void restoreInflight(Delivery delivery) {
        inflight().put(delivery.packetId(), delivery);
        if (delivery.isAfter(memoryTailPosition, memoryTailCopy)) {
            memoryTailPosition = delivery.position();
            memoryTailCopy = delivery.copy();
        }
    }

    /** As {@link #pump(DeliverySink, int, long, ReadCheck)} with every message readable. */
    public PumpResult pump(DeliverySink sink, int window, long nowNanos) {
        return pump(sink, window, nowNanos, ReadCheck.ANY);
    }

    /**
     * Sends waiting deliveries while the connection is writable and QoS 1/2 deliveries fit the
     * window; QoS 0 needs no window [MQTT-4.9.0-2]. Expired messages are dropped unsent
     * [MQTT-3.3.2-5], and so are messages {@code readCheck} refuses (the topic ACL): both leave
     * the queue for good, a journaled one with its finished record, so a restart does not send it
     * either. Refills memory from the backlog as it empties. In-flight messages are not judged
     * again: they were sent already, and the protocol requires their re-sending [MQTT-4.4.0-1].
     */
    public PumpResult pump(DeliverySink sink, int window, long nowNanos, ReadCheck readCheck) {
        changed();
        resendPending(sink, window);
        if (purging) {
            return PumpResult.IDLE; // What waits is being purged; the purge's end pumps again.
        }
        while (sink.isWritable()) {
            if (inMemoryCount() == 0 && !refill()) {
                return backlogCount > 0 ? PumpResult.AWAITING_INDEX : PumpResult.IDLE;
            }
            Delivery next = memory.peekFirst();
            if (next.qos() != QoS.AT_MOST_ONCE && inflightCount() >= window) {
                return PumpResult.IDLE;
            }
            memory.pollFirst();
            memoryBytes -= next.message().queuedBytes();
            if (next.message().isExpired(nowNanos)) {
                expiredCount++;
                discard(next);
                continue;
            }
            if (!readCheck.mayRead(next.message())) {
                discard(next);
                continue;
            }
            send(next, sink);
        }
        return PumpResult.IDLE;
    }

    private void send(Delivery next, DeliverySink sink) {
        if (next.qos() == QoS.AT_MOST_ONCE) {
            sink.sendPublish(next, false);
            return;
        }
        int packetId = allocatePacketId();
        next.assign(packetId, DeliveryState.sent(next.qos()));
        if (!sink.sendPublish(next, false)) {
            discard(next); // Larger than the client accepts: as if delivered [MQTT-3.1.2-25].
            return;
        }
        inflight().put(packetId, next);
        if (next.journaled()) {
            log.sent(next);
        }
    }

    private boolean refill() {
        if (backlogCount == 0 || backlog == null) {
            return false;
        }
        List<Delivery> loaded =
                backlog.read(memoryTailPosition, memoryTailCopy, (int) Math.min(limits.inMemoryMax(), backlogCount));
        for (Delivery d : loaded) {
            long bytes = d.message().queuedBytes();
            addToMemory(d, bytes);
            backlogBytes -= bytes;
        }
        backlogCount -= loaded.size();
        backlogHeadPosition = memoryTailPosition;
        backlogHeadExact = false;
        return !loaded.isEmpty();
    }

    private void discard(Delivery d) {
        droppedCount++;
        if (d.journaled()) {
            log.finished(d);
        }
    }

    /**
     * Re-sends every unacknowledged delivery in its original order with its original packet id:
     * PUBLISH with DUP=1, or PUBREL where PUBREC already came back [MQTT-4.4.0-1].
     */
    public void resendInflight(DeliverySink sink, int window) {
        resendPending = null;
        if (inflightCount() == 0) {
            return;
        }
        List<Integer> tooLarge = new ArrayList<>();
        int resent = 0;
        for (Map.Entry<Integer, Delivery> e : inflight.entrySet()) {
            Delivery d = e.getValue();
            if (d.state() == DeliveryState.AWAITING_PUBCOMP) {
                sink.sendPubRel(d.packetId());
            } else if (resent >= window) {
                // Re-sent PUBLISHes count against the client's new Receive Maximum too
                // (section 4.9): the rest wait until acknowledgements open the window.
                if (resendPending == null) {
                    resendPending = new ArrayDeque<>(4);
                }
                resendPending.addLast(e.getKey());
            } else if (sink.sendPublish(d, true)) {
                resent++;
            } else {
                tooLarge.add(e.getKey());
            }
        }
        for (Integer id : tooLarge) {
            discard(inflight.remove(id));
        }
    }

    /** Re-sends waiting in-flight PUBLISHes, oldest first, while the window has room for them. */
    private void resendPending(DeliverySink sink, int window) {
        while (resendPending != null
                && !resendPending.isEmpty()
                && sink.isWritable()
                && inflight.size() - resendPending.size() < window) {
            Integer id = resendPending.pollFirst();
            Delivery d = inflight.get(id);
            if (d != null && !sink.sendPublish(d, true)) {
                discard(inflight.remove(id));
            }
        }
    }

    /**
     * Where the delivery sent under {@code packetId} stands, or null when nothing is in flight
     * under that id, so an acknowledgement can be checked against its flow before it is applied.
     */
    public DeliveryState inflightState(int packetId) {
        Delivery d = inflightGet(packetId);
        return d == null ? null : d.state();
    }

    /** PUBACK received; returns the delivery it completes, or null for an unknown packet id. */
    public Delivery onPubAck(int packetId) {
        Delivery d = inflightGet(packetId);
        if (d == null || d.state() != DeliveryState.AWAITING_PUBACK) {
            return null;
        }
        return finish(packetId);
    }

    /**
     * PUBREC received. A success moves the delivery to AWAITING_PUBCOMP and returns it (the
     * caller sends PUBREL); an error reason ends the flow (section 4.3.3): the delivery is
     * removed. A repeated PUBREC for a released delivery returns it again so PUBREL is re-sent.
     * Returns null for an unknown packet id.
     */
    public Delivery onPubRec(int packetId, boolean errorReason) {
        Delivery d = inflightGet(packetId);
        if (d == null) {
            return null;
        }
        if (d.state() == DeliveryState.AWAITING_PUBCOMP) {
            return d;
        }
        if (d.state() != DeliveryState.AWAITING_PUBREC) {
            return null;
        }
        if (errorReason) {
            return finish(packetId);
        }
        d.transition(DeliveryState.AWAITING_PUBREC, DeliveryState.AWAITING_PUBCOMP);
        if (d.journaled()) {
            log.released(d);
        }
        return d;
    }

    /** PUBCOMP received; returns the completed delivery or null for an unknown packet id. */
    public Delivery onPubComp(int packetId) {
        Delivery d = inflightGet(packetId);
        if (d == null || d.state() != DeliveryState.AWAITING_PUBCOMP) {
            return null;
        }
        return finish(packetId);
    }

    private Delivery finish(int packetId) {
        if (resendPending != null) {
            resendPending.remove(packetId);
        }
        Delivery d = inflight.remove(packetId);
        if (d.journaled()) {
            log.finished(d);
        }
        return d;
    }

    /**
     * The session lost its connection: memory is emptied, QoS 0 deliveries are dropped and
     * journaled ones go back to the backlog (they are still in the index), so a disconnected
     * session holds no waiting messages in memory.
     */
    public void disconnected() {
        changed();
        long firstSpilled = -1;
        int firstSpilledCopy = 0;
        if (memory == null) {
            return;
        }
        Iterator<Delivery> it = memory.iterator();
        while (it.hasNext()) {
            Delivery d = it.next();
            if (d.journaled() && backlog != null) {
                if (firstSpilled < 0) {
                    firstSpilled = d.position();
                    firstSpilledCopy = d.copy();
                }
                backlogCount++;
                backlogBytes += d.message().queuedBytes();
            } else {
                droppedCount++;
            }
            it.remove();
        }
        memoryBytes = 0;
        if (firstSpilled >= 0) {
            // Read back from the first spilled entry (from the key just before it); the backlog
            // skips entries already in flight.
            memoryTailPosition = firstSpilled;
            memoryTailCopy = firstSpilledCopy - 1;
            backlogHeadPosition = firstSpilled;
            backlogHeadExact = true;
        }
    }

    /**
     * An operator empties the queue (the admin API), in steps of {@link #purgeStep}: every
     * delivery waiting now, in memory and in the backlog, whose message is at journal position
     * {@code throughPosition} or before, leaves it for good, a journaled one with its finished
     * record as an expired one does, so a restart does not bring it back. Messages queued later
     * stay. In-flight deliveries stay: they were sent, and the protocol requires their re-sending
     * until acknowledged [MQTT-4.4.0-1]. Until the purge ends nothing waiting is sent ({@link
     * #pump} moves only in-flight re-sends), so the purge removes a prefix of the queue and the
     * caller pumps again once it has ended. A purge already running is extended to the later
     * position.
     */
    public void startPurge(long throughPosition) {
        purgeThrough = purging ? Math.max(purgeThrough, throughPosition) : throughPosition;
        purging = true;
    }

    /** Whether a purge started and has not ended yet. */
    public boolean purging() {
        return purging;
    }

    /**
     * One step of the running purge ({@link #startPurge}): removes at most {@code max} waiting
     * deliveries from the head of the queue, memory first, then the backlog, read from the index
     * in pages of at most queued_messages_in_memory_max. The purge ends (and {@link #purging}
     * turns false) when the queue is empty, when its head was queued after the purge's position,
     * or when the backlog has entries the index has not applied yet (queued in the last turn,
     * after the purge began). Returns how many deliveries left in this step.
     */
    public long purgeStep(int max) {
        changed();
        long tailBefore = memoryTailPosition;
        long purged = removeForPurge(max);
        if (memoryTailPosition != tailBefore) {
            // Backlog entries left: what is known of its head is a lower bound again.
            backlogHeadPosition = memoryTailPosition;
            backlogHeadExact = false;
        }
        return purged;
    }

    private long removeForPurge(int max) {
        long purged = 0;
        while (inMemoryCount() > 0 && purged < max) {
            Delivery d = memory.peekFirst();
            if (d.position() > purgeThrough) {
                purging = false;
                return purged;
            }
            memory.pollFirst();
            memoryBytes -= d.message().queuedBytes();
            if (d.journaled()) {
                log.finished(d);
            }
            purged++;
        }
        while (purged < max && backlogCount > 0 && backlog != null) {
            List<Delivery> loaded = backlog.read(
                    memoryTailPosition, memoryTailCopy, (int) Math.min(max - purged, limits.inMemoryMax()));
            if (loaded.isEmpty()) {
                break;
            }
            for (Delivery d : loaded) {
                if (d.position() > purgeThrough) {
                    purging = false;
                    return purged;
                }
                log.finished(d);
                backlogCount--;
                backlogBytes -= d.message().queuedBytes();
                // The index still holds the entries until this turn is applied: read on after them.
                memoryTailPosition = d.position();
                memoryTailCopy = d.copy();
                purged++;
            }
        }
        if (purged < max) {
            purging = false;
        }
        return purged;
    }

    public void clear() {
        changed();
        if (mark != null) {
            totals.oldest().unmark(mark);
            mark = null;
        }
        backlogHeadPosition = -1;
        backlogHeadExact = false;
        purging = false;
        memory = null;
        inflight = null;
        resendPending = null;
        memoryBytes = 0;
        backlogCount = 0;
        backlogBytes = 0;
    }

    /** Messages waiting to be sent, in memory and on disk. */
    public long queuedCount() {
        return inMemoryCount() + backlogCount;
    }

    /** Bytes ({@link Message#queuedBytes()}) of the messages waiting to be sent, in memory and on disk. */
    public long queuedBytes() {
        return memoryBytes + backlogBytes;
    }

    public int inMemoryCount() {
        return memory == null ? 0 : memory.size();
    }

    public long backlogCount() {
        return backlogCount;
    }

    public int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    private Delivery inflightGet(int packetId) {
        return inflight == null ? null : inflight.get(packetId);
    }

    private ArrayDeque<Delivery> memory() {
        if (memory == null) {
            memory = new ArrayDeque<>(4);
        }
        return memory;
    }

    private LinkedHashMap<Integer, Delivery> inflight() {
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }

    public long droppedCount() {
        return droppedCount;
    }

    /** Messages that left the queue unsent because they expired while waiting [MQTT-3.3.2-5]. */
    public long expiredCount() {
        return expiredCount;
    }

    private int allocatePacketId() {
        // The window is at most 65,535, so a free id always exists when this is called.
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (inflightGet(id) == null) {
                return id;
            }
        }
    }
}
