package dev.cairn.benchmarks.codec;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketDecoder;
import dev.cairn.broker.codec.PacketEncoder;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.Role;
import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of turning one PUBLISH body into a {@code Packet.Publish} and back. Every message the
 * broker carries is decoded once on the way in and encoded once per subscriber on the way out,
 * on the I/O threads, so these are per-message costs that fan-out multiplies. Run with
 * {@code -prof gc} to see the allocation per operation: decoding copies the topic and the payload
 * out of the buffer on purpose (so the network buffer can be released at once), and that copy is
 * expected to dominate as the payload grows.
 *
 * <p>The packet is QoS 1 with packet id 42 on a 7-level topic. For MQTT 5 it carries a Message
 * Expiry Interval, a Content Type and one User Property; for 3.1.1 it has no properties. Decode
 * reads a complete body from a heap buffer (the frame decoder has already split off the fixed
 * header); encode writes the whole packet, fixed header included, into a reused buffer, so it
 * measures the codec and not the allocator.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Thread)
public class PublishCodecBenchmark {
    static final String TOPIC = "site/3/line/7/sensor/42/temp";

    @Param({"16", "1024", "65536"})
    public int payloadBytes;

    @Param({"MQTT_5", "MQTT_3_1_1"})
    public ProtocolVersion version;

    private final PacketDecoder decoder = new PacketDecoder(Role.SERVER);
    private Packet.Publish publish;
    private int fixedHeaderByte;
    private ByteBuf body;
    private int bodyStart;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void prepare() {
        byte[] payload = new byte[payloadBytes];
        ThreadLocalRandom.current().nextBytes(payload);
        Properties properties = version.isV5()
                ? Properties.builder()
                        .messageExpiryIntervalSeconds(3600L)
                        .contentType("application/json")
                        .addUserProperty("trace-id", "4bf92f3577b34da6")
                        .build()
                : Properties.EMPTY;
        publish = new Packet.Publish(TOPIC, QoS.AT_LEAST_ONCE, false, false, 42, properties, payload);
        out = Unpooled.buffer(PacketEncoder.encodedSize(publish, version));
        PacketEncoder.encode(publish, version, out);
        fixedHeaderByte = out.getUnsignedByte(0);
        body = Unpooled.copiedBuffer(out);
        bodyStart = body.readerIndex() + 1 + remainingLengthBytes(body);
        Object decoded = decode();
        if (!(decoded instanceof Packet.Publish)) {
            throw new IllegalStateException("the sample PUBLISH does not decode: " + decoded);
        }
    }

    @TearDown(Level.Trial)
    public void release() {
        body.release();
        out.release();
    }

    /** Body bytes to a {@code Packet.Publish}: validation, strict UTF-8, properties, payload copy. */
    @Benchmark
    public Object decode() {
        body.readerIndex(bodyStart);
        return decoder.decode(fixedHeaderByte, body, version);
    }

    /** A {@code Packet.Publish} to bytes: sizing pass, fixed header, topic, properties, payload. */
    @Benchmark
    public int encode() {
        out.clear();
        PacketEncoder.encode(publish, version, out);
        return out.writerIndex();
    }

    /** Bytes of the Remaining Length field, which follows the first byte of the fixed header. */
    private static int remainingLengthBytes(ByteBuf packet) {
        int count = 1;
        while ((packet.getByte(packet.readerIndex() + count) & 0x80) != 0) {
            count++;
        }
        return count;
    }
}
