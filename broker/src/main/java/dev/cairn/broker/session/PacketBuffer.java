package dev.cairn.broker.session;

import dev.cairn.broker.codec.Packet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's outgoing packets on their way out: buffered during a core-loop turn, sealed at
 * its end with the journal position the turn appended up to, and taken for writing once that
 * position is durable. Several sealed turns released by one sync come out as one list, so the
 * connection writes and flushes once per sync, not once per turn. A close request is ordered
 * like a packet: it is taken with the turn that requested it, and nothing buffered after it is
 * kept.
 *
 * <p>A packet added with {@link #addIndependent} depends on no journal record of its own turn
 * (e.g. PUBCOMP to a session that journals nothing for it). While such packets are all the turn
 * has buffered so far, they form the turn's ready prefix, which {@link #takeReady} hands out
 * before the turn's sync; the first dependent packet ends the prefix, so order is kept. Core
 * thread only.
 */
public final class PacketBuffer {
    private List<Packet> open = new ArrayList<>();
    private boolean closeOpen;
    private boolean closed;
    /** How many packets at the head of {@link #open} depend on no record of this turn. */
    private int ready;
    /** Sealed turns waiting for the sync, oldest first; created on first use (idle connections are many). */
    private ArrayDeque<Segment> sealed;

    private static final class Segment {
        final long position;
        final List<Packet> packets;
        final boolean close;

        Segment(long position, List<Packet> packets, boolean close) {
            this.position = position;
            this.packets = packets;
            this.close = close;
        }
    }

    /** What one release hands to the I/O thread: packets in order, then possibly a close. */
    public static final class Release {
        public final List<Packet> packets;
        public final boolean close;

        Release(List<Packet> packets, boolean close) {
            this.packets = packets;
            this.close = close;
        }
    }

    /**
     * Buffers {@code packet}; returns whether the buffer was empty before, i.e. whether the wire
     * must tell the outbox it has something to seal. Ignored after a close request.
     */
    public boolean add(Packet packet) {
        return add(packet, false);
    }

    /**
     * As {@link #add}, for a packet that depends on no journal record appended in this turn (the
     * records it does depend on were made durable by an earlier turn's sync, which every turn
     * ends with). It may leave before this turn's sync if nothing dependent was buffered before it.
     */
    public boolean addIndependent(Packet packet) {
        return add(packet, true);
    }

    private boolean add(Packet packet, boolean independent) {
        if (closed) {
            return false;
        }
        boolean first = open.isEmpty() && !closeOpen;
        if (independent && ready == open.size()) {
            ready++;
        }
        open.add(packet);
        return first;
    }

    /**
     * Takes the turn's ready prefix ({@link #addIndependent}), to leave before the sync; null if
     * none, or while an earlier turn is still sealed (the prefix must not overtake it).
     */
    public List<Packet> takeReady() {
        if (ready == 0 || (sealed != null && !sealed.isEmpty())) {
            return null;
        }
        List<Packet> taken;
        if (ready == open.size()) {
            taken = open;
            open = new ArrayList<>();
        } else {
            taken = new ArrayList<>(open.subList(0, ready));
            open.subList(0, ready).clear();
        }
        ready = 0;
        return taken;
    }

    /** Requests a close after everything buffered; returns as {@link #add} does. */
    public boolean close() {
        if (closed) {
            return false;
        }
        boolean first = open.isEmpty();
        closed = true;
        closeOpen = true;
        return first;
    }

    /** Ends the turn: everything buffered depends on journal records up to {@code position}. */
    public void seal(long position) {
        if (open.isEmpty() && !closeOpen) {
            return;
        }
        if (sealed == null) {
            sealed = new ArrayDeque<>(4);
        }
        sealed.addLast(new Segment(position, open, closeOpen));
        open = new ArrayList<>();
        closeOpen = false;
        ready = 0;
    }

    /** Takes every sealed turn at or below {@code syncedPosition}, oldest first; null if none. */
    public Release takeThrough(long syncedPosition) {
        Segment first = sealed == null ? null : sealed.peekFirst();
        if (first == null || first.position > syncedPosition) {
            return null;
        }
        sealed.removeFirst();
        List<Packet> packets = first.packets;
        boolean close = first.close;
        Segment next;
        while ((next = sealed.peekFirst()) != null && next.position <= syncedPosition) {
            sealed.removeFirst();
            if (packets == first.packets) {
                packets = new ArrayList<>(first.packets);
            }
            packets.addAll(next.packets);
            close |= next.close;
        }
        return new Release(packets, close);
    }
}
