package dev.cairn.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
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

    private static Packet comp(int id) {
        return new Packet.PubComp(id, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Test
    void independentPacketsAtTheHeadOfATurnLeaveBeforeItsSyncAndTheRestWait() {
        PacketBuffer buffer = new PacketBuffer();
        assertTrue(buffer.addIndependent(comp(1)), "an independent packet starts the turn like any other");
        buffer.addIndependent(comp(2));
        buffer.add(ack(3));
        buffer.addIndependent(comp(4)); // After a dependent packet: must not overtake it.

        assertEquals(List.of(comp(1), comp(2)), buffer.takeReady());
        assertNull(buffer.takeReady(), "the ready prefix leaves once");
        buffer.seal(10);
        assertNull(buffer.takeThrough(9));
        assertEquals(List.of(ack(3), comp(4)), buffer.takeThrough(10).packets);
    }

    @Test
    void aTurnThatStartsWithADependentPacketHasNoReadyPrefix() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.add(ack(1));
        buffer.addIndependent(comp(2));
        assertNull(buffer.takeReady());
        buffer.seal(10);
        assertEquals(List.of(ack(1), comp(2)), buffer.takeThrough(10).packets);
    }

    @Test
    void aReadyPrefixNeverOvertakesAnEarlierTurnStillWaitingForItsSync() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.addIndependent(comp(1));
        buffer.seal(10); // Not taken before the seal: it leaves with its turn.
        assertTrue(buffer.addIndependent(comp(2)), "a new turn starts after a seal");
        buffer.add(ack(3));

        assertNull(buffer.takeReady(), "turn 10 has not left yet");
        assertEquals(List.of(comp(1)), buffer.takeThrough(10).packets);
        assertEquals(List.of(comp(2)), buffer.takeReady(), "only this turn's own prefix, once turn 10 left");
    }

    @Test
    void nothingIsAddedAfterACloseRequestIndependentOrNot() {
        PacketBuffer buffer = new PacketBuffer();
        buffer.close();
        assertFalse(buffer.addIndependent(comp(1)));
        assertNull(buffer.takeReady());
    }
}
