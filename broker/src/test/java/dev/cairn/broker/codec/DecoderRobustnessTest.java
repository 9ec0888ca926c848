package dev.cairn.broker.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.Properties;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: no input makes the decoder throw; hostile bytes become DecodeError values. Method:
 * seeded random mutations (bit flips, truncation, random bytes) of valid packets of every type,
 * decoded in both roles and all versions. Deterministic, so a failure reproduces.
 */
class DecoderRobustnessTest {
    private static final int MUTATIONS_PER_PACKET = 600;

    @Test
    void mutatedPacketsDecodeToPacketsOrErrorsAndNeverThrow() {
        Random random = new Random(20_240_611L);
        List<byte[]> seeds = seeds();
        int errors = 0;
        for (byte[] seed : seeds) {
            for (int i = 0; i < MUTATIONS_PER_PACKET; i++) {
                byte[] mutated = mutate(seed, random);
                for (ProtocolVersion version : ProtocolVersion.values()) {
                    for (Role role : Role.values()) {
                        if (decodeMustNotThrow(mutated, version, role) instanceof DecodeError) {
                            errors++;
                        }
                    }
                }
            }
        }
        assertTrue(errors > 0, "mutations should produce some errors");
    }

    private static Object decodeMustNotThrow(byte[] packet, ProtocolVersion version, Role role) {
        int fixedHeader = packet.length == 0 ? 0 : packet[0] & 0xFF;
        ProtocolVersion connectionVersion = (fixedHeader >> 4) == 1 ? null : version;
        try {
            Object result = new PacketDecoder(role)
                    .decode(
                            fixedHeader,
                            Unpooled.wrappedBuffer(packet, 1, Math.max(0, packet.length - 1)),
                            connectionVersion);
            assertTrue(result instanceof Packet || result instanceof DecodeError, String.valueOf(result));
            return result;
        } catch (RuntimeException e) {
            throw new AssertionError("decoder threw on " + Wire.hex(packet) + " as " + role + " " + version, e);
        }
    }

    /** Valid packets without their remaining length byte(s): fixed header byte then body. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (ProtocolVersion version : ProtocolVersion.values()) {
            boolean v5 = version.isV5();
            Properties publishProperties = v5 ? SamplePackets.serverPublishProperties() : Properties.EMPTY;
            List<Packet> packets = List.of(
                    SamplePackets.connect(
                            version,
                            v5 ? SamplePackets.connectProperties() : Properties.EMPTY,
                            v5 ? SamplePackets.willProperties() : Properties.EMPTY),
                    new Packet.ConnAck(
                            true, ReasonCode.SUCCESS, v5 ? SamplePackets.connAckProperties() : Properties.EMPTY),
                    new Packet.Publish("a/b", QoS.EXACTLY_ONCE, true, true, 9, publishProperties, new byte[] {1, 2}),
                    new Packet.PubRec(3, ReasonCode.SUCCESS, v5 ? SamplePackets.reasonProperties() : Properties.EMPTY),
                    SamplePackets.subscribe(version, Properties.EMPTY),
                    new Packet.SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY),
                    new Packet.Unsubscribe(8, List.of("a/+"), Properties.EMPTY),
                    new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
            for (Packet packet : packets) {
                seeds.add(withoutRemainingLength(Wire.encode(packet, version)));
            }
        }
        return seeds;
    }

    private static byte[] withoutRemainingLength(byte[] packet) {
        int bodyStart = 1;
        while ((packet[bodyStart] & 0x80) != 0) {
            bodyStart++;
        }
        bodyStart++;
        byte[] stripped = new byte[packet.length - bodyStart + 1];
        stripped[0] = packet[0];
        System.arraycopy(packet, bodyStart, stripped, 1, packet.length - bodyStart);
        return stripped;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] copy = seed.clone();
        switch (random.nextInt(3)) {
            case 0:
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    int bit = random.nextInt(copy.length * 8);
                    copy[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return copy;
            case 1:
                return Arrays.copyOf(copy, 1 + random.nextInt(copy.length));
            default:
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                return copy;
        }
    }
}
