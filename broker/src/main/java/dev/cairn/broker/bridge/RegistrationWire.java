package dev.cairn.broker.bridge;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.core.Outbox;
import dev.cairn.broker.session.BufferedWire;
import dev.cairn.broker.session.Handoff;
import java.util.List;

/**
 * The wire of a bridge's registration ({@link Bridge#register}): never writable, so the core puts
 * nothing new in flight on it, and what it does send (CONNACK, SUBACK, a re-send of what was in
 * flight, which stays in flight) goes nowhere. Core thread only.
 */
final class RegistrationWire extends BufferedWire {
    private final String description;

    RegistrationWire(Outbox outbox, String description) {
        super(outbox::markDirty);
        this.description = description;
    }

    @Override
    public String remoteAddress() {
        return description;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    @Override
    protected void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff) {
        // Nothing leaves: the session's real link re-sends whatever was in flight.
    }
}
