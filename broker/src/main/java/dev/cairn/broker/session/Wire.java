package dev.cairn.broker.session;

import dev.cairn.broker.codec.Packet;

/**
 * The core's view of one network connection: packets go out through it, nothing else. The
 * transport implements it over a Netty channel. {@link #send} only buffers; at the end of a
 * core-loop turn the buffer is sealed, and it leaves when the journal sync covers the turn, so no
 * acknowledgement can overtake the record it depends on. Core thread only, except {@link #isWritable}.
 */
public interface Wire {
    /** A process-unique connection number, for logs. */
    long id();

    String remoteAddress();

    /**
     * The peer's address without its port (e.g. {@code 192.0.2.7}): what failed logins are
     * counted by. The default is {@link #remoteAddress}.
     */
    default String remoteHost() {
        return remoteAddress();
    }

    /** Buffers a packet to be written when the core releases its outbox. */
    void send(Packet packet);

    /**
     * Buffers a packet that depends on no journal record appended in this turn; it may leave
     * before the turn's sync ({@link #releaseReady}) if no dependent packet precedes it. The
     * default treats it as dependent, which is always safe.
     */
    default void sendIndependent(Packet packet) {
        send(packet);
    }

    /** Hands this turn's ready prefix, if any, to the I/O thread now, before the sync. */
    default void releaseReady(Handoff handoff) {}

    /**
     * Ends the core-loop turn for this wire: everything buffered since the last seal (and a
     * requested close) depends on journal records up to {@code position}.
     */
    void seal(long position);

    /**
     * Hands every turn sealed at or below {@code syncedPosition} to the I/O thread, oldest first,
     * as one write-and-flush task added to {@code handoff}; nothing if there is none.
     */
    void release(long syncedPosition, Handoff handoff);

    /** Closes the connection after everything buffered has been written. */
    void close();

    /** Whether the socket can take more bytes now (Netty channel writability). */
    boolean isWritable();
}
