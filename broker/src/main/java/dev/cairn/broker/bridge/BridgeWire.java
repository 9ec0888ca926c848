package dev.cairn.broker.bridge;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Outbox;
import dev.cairn.broker.session.BufferedWire;
import dev.cairn.broker.session.Handoff;
import java.util.List;

/**
 * The core's side of one link of a bridge: what the core sends the bridge's local session
 * (CONNACK, SUBACK, the queued PUBLISHes, PUBREL) goes, once the journal sync covers it, to the
 * bridge's event loop as one task per release, which forwards it to the remote ({@link
 * Bridge#fromCore}). One wire per remote connection: a task that arrives after its remote
 * connection ended is dropped, and the core re-sends what was in flight on the next link.
 * Core thread only, except {@link #isWritable}.
 */
final class BridgeWire extends BufferedWire {
    private final Bridge bridge;
    private final Bridge.Link link;

    BridgeWire(Outbox outbox, Bridge bridge, Bridge.Link link) {
        super(outbox::markDirty);
        this.bridge = bridge;
        this.link = link;
    }

    @Override
    public String remoteAddress() {
        return "bridge " + bridge.name() + " to " + link.address();
    }

    @Override
    public boolean isWritable() {
        return link.channel().isWritable();
    }

    @Override
    protected void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff) {
        handoff.add(link.channel().eventLoop(), () -> bridge.fromCore(link, packets, close));
    }
}
