package dev.cairn.broker.core;

import dev.cairn.broker.session.Wire;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Packets waiting to leave the broker. Wires register here on their first buffered packet of a
 * turn; at the end of the turn {@link #seal} takes every dirty wire's buffer and tags it with the
 * journal position the turn appended up to; {@link #release} hands sealed turns to the I/O
 * threads, oldest first, once the synced position covers them. It is the only place packets
 * leave (DESIGN.md, "the promise"), and releasing whole turns in order keeps every connection's
 * packets in the order the core produced them. Core thread only.
 */
public final class Outbox {
    private List<Wire> dirty = new ArrayList<>();
    private final ArrayDeque<SealedTurn> sealed = new ArrayDeque<>();

    /** The hand-overs of one turn and the journal position they depend on. */
    private static final class SealedTurn {
        final long position;
        final Runnable[] handOvers;

        SealedTurn(long position, Runnable[] handOvers) {
            this.position = position;
            this.handOvers = handOvers;
        }
    }

    /** Called by a wire when it buffers its first packet since the last seal. */
    public void markDirty(Wire wire) {
        dirty.add(wire);
    }

    /** Whether packets are buffered that no seal has taken yet. */
    public boolean hasUnsealed() {
        return !dirty.isEmpty();
    }

    /** Whether sealed packets wait for the journal. */
    public boolean hasSealed() {
        return !sealed.isEmpty();
    }

    /**
     * Ends a turn: everything buffered depends on journal records up to {@code position} (the last
     * one appended) and may leave once they are durable.
     */
    public void seal(long position) {
        if (dirty.isEmpty()) {
            return;
        }
        List<Wire> wires = dirty;
        dirty = new ArrayList<>(Math.max(16, wires.size()));
        Runnable[] handOvers = new Runnable[wires.size()];
        for (int i = 0; i < handOvers.length; i++) {
            handOvers[i] = wires.get(i).seal();
        }
        sealed.addLast(new SealedTurn(position, handOvers));
    }

    /**
     * Hands over every sealed turn whose records are durable ({@code position <= syncedPosition}),
     * in seal order: one write-and-flush per connection per turn.
     */
    public void release(long syncedPosition) {
        SealedTurn turn;
        while ((turn = sealed.peekFirst()) != null && turn.position <= syncedPosition) {
            sealed.removeFirst();
            for (Runnable handOver : turn.handOvers) {
                handOver.run();
            }
        }
    }
}
