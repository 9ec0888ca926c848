package dev.cairn.broker.transport;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Outbox;
import dev.cairn.broker.session.Wire;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Wire} over a Netty channel. The core buffers packets here during a turn; {@link
 * #seal()} takes the buffer, and its hand-over gives it to the channel's event loop in one task
 * that writes every packet and flushes once, so a turn costs one syscall per connection, not one
 * per packet.
 * Buffer and flags are core-thread only; the event loop only sees the handed-over list.
 */
final class NettyConnection implements Wire {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Channel channel;
    private final Outbox outbox;
    private final String remoteAddress;
    private List<Packet> pending = new ArrayList<>();
    private boolean dirty;
    private boolean closeRequested;

    NettyConnection(Channel channel, Outbox outbox) {
        this.channel = channel;
        this.outbox = outbox;
        SocketAddress remote = channel.remoteAddress();
        this.remoteAddress = remote == null ? "unknown" : remote.toString();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void send(Packet packet) {
        if (closeRequested) {
            return;
        }
        pending.add(packet);
        markDirty();
    }

    @Override
    public void close() {
        closeRequested = true;
        markDirty();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public Runnable seal() {
        List<Packet> batch = pending;
        boolean close = closeRequested;
        pending = batch.isEmpty() ? batch : new ArrayList<>();
        dirty = false;
        return () -> channel.eventLoop().execute(() -> writeAll(batch, close));
    }

    private void writeAll(List<Packet> batch, boolean close) {
        for (Packet p : batch) {
            channel.write(p, channel.voidPromise());
        }
        channel.flush();
        if (close) {
            channel.close();
        }
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            outbox.markDirty(this);
        }
    }
}
