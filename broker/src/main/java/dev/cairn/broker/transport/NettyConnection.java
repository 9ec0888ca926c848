package dev.cairn.broker.transport;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Outbox;
import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.PacketBuffer;
import dev.cairn.broker.session.Wire;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Wire} over a Netty channel. The core buffers packets here during a turn and seals them
 * at its end ({@link PacketBuffer}); {@link #release} gives everything the journal sync covers to
 * the channel's event loop as one task that writes every packet and flushes once, so a sync costs
 * one syscall per connection, not one per packet (and the {@link Handoff} wakes each event loop
 * once per sync). The buffer is core-thread only; the event loop
 * only sees the handed-over list.
 */
final class NettyConnection implements Wire {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Channel channel;
    private final Outbox outbox;
    private final PacketBuffer buffer = new PacketBuffer();

    NettyConnection(Channel channel, Outbox outbox) {
        this.channel = channel;
        this.outbox = outbox;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        // Formatted on demand (for logs): Netty keeps the address, a string per idle connection is waste.
        SocketAddress remote = channel.remoteAddress();
        return remote == null ? "unknown" : remote.toString();
    }

    @Override
    public String remoteHost() {
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return remoteAddress();
    }

    @Override
    public void send(Packet packet) {
        if (buffer.add(packet)) {
            outbox.markDirty(this);
        }
    }

    @Override
    public void sendIndependent(Packet packet) {
        if (buffer.addIndependent(packet)) {
            outbox.markDirty(this);
        }
    }

    @Override
    public void releaseReady(Handoff handoff) {
        List<Packet> ready = buffer.takeReady();
        if (ready != null) {
            handoff.add(channel.eventLoop(), () -> writeAll(ready, false));
        }
    }

    @Override
    public void close() {
        if (buffer.close()) {
            outbox.markDirty(this);
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void seal(long position) {
        buffer.seal(position);
    }

    @Override
    public void release(long syncedPosition, Handoff handoff) {
        PacketBuffer.Release release = buffer.takeThrough(syncedPosition);
        if (release != null) {
            handoff.add(channel.eventLoop(), () -> writeAll(release.packets, release.close));
        }
    }

    private void writeAll(List<Packet> batch, boolean close) {
        for (Packet p : batch) {
            channel.write(p, channel.voidPromise());
        }
        channel.flush();
        if (close) {
            HalfClose.closeAfterDrain(channel); // The peer reads our last packet before any reset.
        }
    }
}
