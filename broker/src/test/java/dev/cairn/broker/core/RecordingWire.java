package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.session.BufferedWire;
import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The core's output boundary without a socket: a {@link BufferedWire}, so it buffers like the
 * Netty one ({@link PacketBuffer}, registered with the outbox on its first packet of a turn) and, where the
 * transport would hand released packets to an I/O thread, records them, in order, as what the
 * client received; a released close marks the wire closed and, as the closed channel would,
 * reports it to {@code onClose}. The test reads what arrived with {@link #next} after the core has
 * settled ({@link CoreHarness#settle}).
 *
 * <p>Threads: send, seal and release run on the core thread; the test reads from its own (the
 * queue is concurrent, the closed flag volatile).
 */
final class RecordingWire extends BufferedWire {
    private final Consumer<RecordingWire> onClose;
    private final ConcurrentLinkedQueue<Packet> arrived = new ConcurrentLinkedQueue<>();
    /** The synced journal position each released batch was let out at, in release order. */
    private final ConcurrentLinkedQueue<Long> releasedAt = new ConcurrentLinkedQueue<>();

    private final String host;
    private volatile boolean closed;

    RecordingWire(Outbox outbox, Consumer<RecordingWire> onClose) {
        this(outbox, onClose, "in-process");
    }

    /** A wire whose peer is at {@code host} (what failed logins are counted by). */
    RecordingWire(Outbox outbox, Consumer<RecordingWire> onClose, String host) {
        super(outbox::markDirty);
        this.onClose = onClose;
        this.host = host;
    }

    @Override
    public String remoteAddress() {
        return "in-process:" + id();
    }

    @Override
    public String remoteHost() {
        return host;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    protected void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff) {
        arrived.addAll(packets);
        releasedAt.add(syncedPosition);
        if (close && !closed) {
            closed = true;
            onClose.accept(this);
        }
    }

    /** The next packet the client received, which must be a {@code type}; consumed. */
    <T extends Packet> T next(Class<T> type) {
        Packet p = arrived.poll();
        assertNotNull(p, "expected a " + type.getSimpleName() + " but nothing more arrived");
        return assertInstanceOf(type, p, "next packet");
    }

    /** Fails if anything arrived that the test has not consumed. */
    void assertNothingMore() {
        assertTrue(arrived.isEmpty(), "unexpected packets: " + arrived);
    }

    /** Everything not consumed yet, consumed. */
    List<Packet> drain() {
        List<Packet> out = new ArrayList<>();
        Packet p;
        while ((p = arrived.poll()) != null) {
            out.add(p);
        }
        return out;
    }

    /** Whether the core closed the connection (released a close). */
    boolean isClosed() {
        return closed;
    }

    void assertOpen() {
        assertEquals(false, closed, "connection " + id() + " was closed");
    }

    /** The synced positions released batches went out at ({@link #BEFORE_SYNC}: before the sync). */
    List<Long> releasedAt() {
        return new ArrayList<>(releasedAt);
    }
}
