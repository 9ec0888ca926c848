package dev.cairn.broker.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.session.WillMessage;

/**
 * A CONNECT that passed every check but its credentials, waiting for them to be verified: the
 * packet, the client id it will use (assigned by the server if {@code assigned}), its parsed will,
 * and its place in the order CONNECTs arrived ({@code sequence}), so that of two CONNECTs for one
 * client id the later one wins even if its check ends first. Immutable.
 */
public record PendingConnect(
        Packet.Connect connect, String clientId, boolean assigned, WillMessage will, long sequence) {}
