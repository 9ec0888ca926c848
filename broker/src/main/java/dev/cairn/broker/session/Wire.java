package dev.cairn.broker.session;

import dev.cairn.broker.codec.Packet;

/**
 * The core's view of one network connection: packets go out through it, nothing else. The
 * transport implements it over a Netty channel. {@link #send} only buffers; buffered packets
 * leave when the core loop releases its outbox after the journal sync, so no acknowledgement
 * can overtake the record it depends on. Core thread only, except {@link #isWritable}.
 */
public interface Wire {
    /** A process-unique connection number, for logs. */
    long id();

    String remoteAddress();

    /** Buffers a packet to be written when the core releases its outbox. */
    void send(Packet packet);

    /** Writes and flushes everything buffered, in one hand-over to the I/O thread. */
    void flush();

    /** Closes the connection after everything buffered has been written. */
    void close();

    /** Whether the socket can take more bytes now (Netty channel writability). */
    boolean isWritable();
}
