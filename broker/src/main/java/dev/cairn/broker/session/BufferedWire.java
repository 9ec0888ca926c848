package dev.cairn.broker.session;

import dev.cairn.broker.codec.Packet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Wire} that buffers what the core sends in a {@link PacketBuffer}: it registers with the
 * outbox on its first packet (or close request) since the last seal, seals at the end of each
 * turn, and hands out what a release lets go, the turn's ready prefix before the sync and the
 * sealed turns the sync covers. Subclasses supply only what differs: where released packets go,
 * and how a released close happens ({@link #transmit}), and the connection's address and
 * writability. Core thread only, except {@link #isWritable}.
 */
public abstract class BufferedWire implements Wire {
    /** The {@code syncedPosition} {@link #transmit} gets for a ready prefix, which leaves before the sync. */
    protected static final long BEFORE_SYNC = Long.MIN_VALUE;

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final PacketBuffer buffer = new PacketBuffer();
    private final Consumer<Wire> markDirty;

    /** @param markDirty the outbox's registration of a wire with something to seal ({@code outbox::markDirty}) */
    protected BufferedWire(Consumer<Wire> markDirty) {
        this.markDirty = markDirty;
    }

    /**
     * Sends {@code packets} on their way, in order, then closes the connection if {@code close}:
     * on the core thread, typically as a task added to {@code handoff} for the connection's I/O
     * thread.
     *
     * @param syncedPosition the synced journal position that released them, or {@link #BEFORE_SYNC}
     *                       for a turn's ready prefix
     */
    protected abstract void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff);

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final void send(Packet packet) {
        if (buffer.add(packet)) {
            markDirty.accept(this);
        }
    }

    @Override
    public final void sendIndependent(Packet packet) {
        if (buffer.addIndependent(packet)) {
            markDirty.accept(this);
        }
    }

    @Override
    public final void releaseReady(Handoff handoff) {
        List<Packet> ready = buffer.takeReady();
        if (ready != null) {
            transmit(ready, false, BEFORE_SYNC, handoff);
        }
    }

    @Override
    public final void close() {
        if (buffer.close()) {
            markDirty.accept(this);
        }
    }

    @Override
    public final void seal(long position) {
        buffer.seal(position);
    }

    @Override
    public final void release(long syncedPosition, Handoff handoff) {
        PacketBuffer.Release release = buffer.takeThrough(syncedPosition);
        if (release != null) {
            transmit(release.packets, release.close, syncedPosition, handoff);
        }
    }
}
