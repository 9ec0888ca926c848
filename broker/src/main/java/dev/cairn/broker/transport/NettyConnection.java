package dev.cairn.broker.transport;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Outbox;
import dev.cairn.broker.session.BufferedWire;
import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.PacketBuffer;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * A {@link BufferedWire} over a Netty channel. The core buffers packets here during a turn and seals them
 * at its end ({@link PacketBuffer}); a release gives everything the journal sync covers to
 * the channel's event loop as one task that writes every packet and flushes once, so a sync costs
 * one syscall per connection, not one per packet (and the {@link Handoff} wakes each event loop
 * once per sync). The buffer is core-thread only; the event loop
 * only sees the handed-over list.
 */
final class NettyConnection extends BufferedWire {
    private final Channel channel;

    NettyConnection(Channel channel, Outbox outbox) {
        super(outbox::markDirty);
        this.channel = channel;
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
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    protected void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff) {
        handoff.add(channel.eventLoop(), () -> writeAll(packets, close));
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
