package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link Outbox} lets a packet out only once the journal position its turn depends on is
 * synced, keeps each connection's packets in the order the core produced them across turns,
 * lets packets that depend on nothing new leave before the sync without overtaking anything, and
 * orders a close like a packet. Method: the outbox with {@link RecordingWire}s and no core: the
 * test plays the core loop's end of turn (seal with a position, release with a synced position)
 * and reads what each wire let out.
 */
class OutboxTest {
    private final Outbox outbox = new Outbox();

    private RecordingWire wire() {
        return new RecordingWire(outbox, w -> {});
    }

    private static Packet.PubAck ack(int packetId) {
        return new Packet.PubAck(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Test
    void aTurnsPacketsLeaveOnlyOnceTheSyncCoversItsPosition() {
        RecordingWire wire = wire();
        wire.send(ack(1));
        outbox.seal(10);
        // Act: a sync that stops short of the turn.
        outbox.release(9);
        // Assert: held back, so no acknowledgement overtakes its record.
        wire.assertNothingMore();
        assertTrue(outbox.hasSealed());
        outbox.release(10);
        assertEquals(1, wire.next(Packet.PubAck.class).packetId());
        assertFalse(outbox.hasSealed());
        assertEquals(List.of(10L), wire.releasedAt());
    }

    @Test
    void turnsLeaveOldestFirstAndOneSyncReleasesEveryTurnItCoversInOneBatch() {
        RecordingWire wire = wire();
        RecordingWire other = wire();
        wire.send(ack(1));
        outbox.seal(5);
        wire.send(ack(2));
        other.send(ack(3));
        outbox.seal(8);
        other.send(ack(4));
        outbox.seal(12);
        // Act
        outbox.release(8);
        // Assert: both turns up to 8, in order; the turn at 12 waits.
        assertEquals(List.of(1, 2), ids(wire.drain()));
        assertEquals(List.of(8L), wire.releasedAt(), "one write for the two turns");
        assertEquals(List.of(3), ids(other.drain()));
        outbox.release(12);
        assertEquals(List.of(4), ids(other.drain()));
    }

    @Test
    void packetsThatDependOnNoNewRecordLeaveBeforeTheSyncButNeverAheadOfAnEarlierTurn() {
        RecordingWire wire = wire();
        wire.sendIndependent(ack(1));
        wire.send(ack(2));
        wire.sendIndependent(ack(3));
        // Act: the end of the turn, before its sync.
        outbox.releaseReady();
        // Assert: only the prefix before the first dependent packet.
        assertEquals(List.of(1), ids(wire.drain()));
        outbox.seal(20);
        wire.sendIndependent(ack(4));
        outbox.releaseReady();
        // Assert: the sealed turn has not left, so nothing of the next turn may overtake it.
        wire.assertNothingMore();
        outbox.seal(20);
        outbox.release(20);
        assertEquals(List.of(2, 3, 4), ids(wire.drain()));
    }

    @Test
    void aCloseLeavesAfterThePacketsBeforeItAndNothingAfterIt() {
        List<RecordingWire> closed = new java.util.ArrayList<>();
        RecordingWire wire = new RecordingWire(outbox, closed::add);
        wire.send(new Packet.Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, Properties.EMPTY));
        wire.close();
        wire.send(ack(9));
        outbox.seal(3);
        // Act
        outbox.release(3);
        // Assert: the DISCONNECT, then the close; the later packet is dropped.
        assertEquals(
                ReasonCode.KEEP_ALIVE_TIMEOUT,
                wire.next(Packet.Disconnect.class).reason());
        wire.assertNothingMore();
        assertTrue(wire.isClosed());
        assertEquals(List.of(wire), closed);
    }

    private static List<Integer> ids(List<Packet> packets) {
        return packets.stream().map(p -> ((Packet.PubAck) p).packetId()).toList();
    }
}
