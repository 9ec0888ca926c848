package dev.cairn.broker.core;

import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.Wire;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Packets waiting to leave the broker. Wires register here on their first buffered packet of a
 * turn; at the end of the turn {@link #seal} seals every dirty wire's buffer with the journal
 * position the turn appended up to; {@link #release} hands the sealed turns the synced position
 * covers to the I/O threads, oldest first. It is the only place packets leave (ARCHITECTURE.md, "The
 * promise"), and releasing whole turns in order keeps every connection's packets in the order the
 * core produced them. Core thread only.
 */
public final class Outbox {
    private List<Wire> dirty = new ArrayList<>();
    private final ArrayDeque<SealedTurn> sealed = new ArrayDeque<>();
    private final Handoff handoff = new Handoff();

    /** The wires one turn wrote to and the journal position their packets depend on. */
    private static final class SealedTurn {
        final long position;
        final List<Wire> wires;

        SealedTurn(long position, List<Wire> wires) {
            this.position = position;
            this.wires = wires;
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
     * Before the turn's sync: hands each dirty wire's ready prefix (packets that depend on no
     * record of this turn, {@link Wire#sendIndependent}) to the I/O threads. Every earlier turn
     * was released by its own sync, so these follow everything their connection was sent before.
     */
    public void releaseReady() {
        for (Wire wire : dirty) {
            wire.releaseReady(handoff);
        }
        handoff.dispatch();
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
        for (Wire wire : wires) {
            wire.seal(position);
        }
        sealed.addLast(new SealedTurn(position, wires));
    }

    /**
     * Releases every sealed turn whose records are durable ({@code position <= syncedPosition}).
     * A wire hands over all its covered turns at its first release call, so a wire in several
     * released turns still writes and flushes once, and each I/O thread gets one task.
     */
    public void release(long syncedPosition) {
        SealedTurn turn;
        while ((turn = sealed.peekFirst()) != null && turn.position <= syncedPosition) {
            sealed.removeFirst();
            for (Wire wire : turn.wires) {
                wire.release(syncedPosition, handoff);
            }
        }
        handoff.dispatch();
    }
}
