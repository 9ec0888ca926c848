package dev.cairn.broker.core;

import dev.cairn.broker.session.Wire;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections with packets waiting to leave. Wires register here on their first buffered
 * packet of a batch; {@link #release()} runs once per core-loop turn, after the journal sync,
 * and is the only place packets leave the broker (DESIGN.md, "the promise"). Core thread only.
 */
public final class Outbox {
    private List<Wire> dirty = new ArrayList<>();

    /** Called by a wire when it buffers its first packet since the last release. */
    public void markDirty(Wire wire) {
        dirty.add(wire);
    }

    public boolean isEmpty() {
        return dirty.isEmpty();
    }

    /** Flushes every dirty wire: one write-and-flush hand-over per connection per batch. */
    public void release() {
        if (dirty.isEmpty()) {
            return;
        }
        List<Wire> toFlush = dirty;
        dirty = new ArrayList<>(Math.max(16, toFlush.size()));
        for (Wire wire : toFlush) {
            wire.flush();
        }
    }
}
