package dev.cairn.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.Properties;
import dev.cairn.broker.codec.ReasonCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Goal: a connection's packets leave only once their turn's records are durable, in order, once per sync. */
class PacketBufferTest {
    private static Packet ack(int id) {
        return new Packet.PubAck(id, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Test
    void aSealedTurnIsHeldUntilTheSyncedPositionCoversIt() {
        PacketBuffer buffer = new PacketBuffer();
        assertTrue(buffer.add(ack(1)), "the first packet of a turn must mark the wire dirty");
        assertFalse(buffer.add(ack(2)), "later packets of the same turn must not");
        buffer.seal(10);

        assertNull(buffer.takeThrough(9));
        PacketBuffer.Release release = buffer.takeThrough(10);
        assertEquals(List.of(ack(1), ack(2)), release.packets);
        assertFalse(release.close);
        assertNull(buffer.takeThrough(10), "a released turn must not leave twice");
    }

    @Test
    void turnsCoveredByOneSyncLeaveTogetherInOrderAndLaterOnesWait() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.add(ack(1));
        buffer.seal(10);
        assertTrue(buffer.add(ack(2)), "a new turn starts after a seal");
        buffer.seal(20);
        buffer.add(ack(3));
        buffer.seal(30);

        assertEquals(List.of(ack(1), ack(2)), buffer.takeThrough(25).packets);
        assertEquals(List.of(ack(3)), buffer.takeThrough(30).packets);
    }

    @Test
    void packetsBufferedButNotSealedNeverLeave() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.add(ack(1));
        assertNull(buffer.takeThrough(Long.MAX_VALUE));
        buffer.seal(5);
        assertEquals(List.of(ack(1)), buffer.takeThrough(Long.MAX_VALUE).packets);
    }

    @Test
    void aCloseLeavesWithItsTurnAfterItsPacketsAndLaterPacketsAreDropped() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.add(ack(1));
        assertFalse(buffer.close(), "the turn is already dirty");
        assertFalse(buffer.add(ack(2)), "nothing is buffered after a close request");
        buffer.seal(7);

        PacketBuffer.Release release = buffer.takeThrough(7);
        assertEquals(List.of(ack(1)), release.packets);
        assertTrue(release.close);
    }

    @Test
    void aCloseAloneMarksTheWireDirtyAndIsReleased() {
        PacketBuffer buffer = new PacketBuffer();
        assertTrue(buffer.close());
        buffer.seal(3);
        PacketBuffer.Release release = buffer.takeThrough(3);
        assertEquals(List.of(), release.packets);
        assertTrue(release.close);
    }
}
