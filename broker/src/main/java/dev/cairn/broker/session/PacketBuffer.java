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
 * kept. Core thread only.
 */
public final class PacketBuffer {
    private List<Packet> open = new ArrayList<>();
    private boolean closeOpen;
    private boolean closed;
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
        if (closed) {
            return false;
        }
        boolean first = open.isEmpty() && !closeOpen;
        open.add(packet);
        return first;
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
