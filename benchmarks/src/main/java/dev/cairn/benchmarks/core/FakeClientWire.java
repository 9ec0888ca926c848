package dev.cairn.benchmarks.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.session.BufferedWire;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Handoff;
import dev.cairn.broker.session.Wire;
import dev.cairn.protocol.Properties;
import java.util.List;

/**
 * A client without a socket: the {@link Wire} the core writes to, standing in for the Netty
 * transport. Like the real one it is a {@link BufferedWire}: it buffers what the core sends and
 * registers with the outbox on the first packet of a turn; when the outbox releases it (the packets "leave the broker") it
 * counts them and, as a well-behaved subscriber, answers every QoS 1 PUBLISH with a
 * PUBACK submitted back to the core, so the broker's outbound window keeps moving. Nothing is
 * encoded: the benchmark measures the core, not the codec.
 *
 * <p>Threads: {@code send}, {@code seal} and {@code release} run on the core thread; counts are
 * published through the shared {@link Arrivals}.
 */
final class FakeClientWire extends BufferedWire {
    private final CoreLoop core;
    private final Arrivals control;
    private final Arrivals data;
    private Connection connection;

    /**
     * @param control counts CONNACK and SUBACK, awaited during setup
     * @param data counts PUBLISH delivered to this client and PUBACK received by it
     */
    FakeClientWire(CoreLoop core, Arrivals control, Arrivals data) {
        super(core.outbox()::markDirty);
        this.core = core;
        this.control = control;
        this.data = data;
    }

    /** Creates the connection that the core will see, over this wire. */
    Connection connect(long nowNanos) {
        connection = new Connection(this, nowNanos);
        return connection;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public String remoteAddress() {
        return "in-process:" + id();
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    /**
     * No I/O thread here: the packets "arrive" at once, on the core thread. A close is not acted
     * on: the core closes connections only when the benchmark stops it.
     */
    @Override
    protected void transmit(List<Packet> packets, boolean close, long syncedPosition, Handoff handoff) {
        arrive(packets);
    }

    private void arrive(List<Packet> batch) {
        long controlCount = 0;
        long dataCount = 0;
        for (Packet packet : batch) {
            switch (packet.type()) {
                case CONNACK:
                case SUBACK:
                    controlCount++;
                    break;
                case PUBLISH:
                    dataCount++;
                    acknowledge((Packet.Publish) packet);
                    break;
                case PUBACK:
                    dataCount++;
                    break;
                default:
                    break;
            }
        }
        control.add(controlCount);
        data.add(dataCount);
    }

    private void acknowledge(Packet.Publish publish) {
        if (publish.qos() == QoS.AT_LEAST_ONCE) {
            core.submit(new Command.PacketReceived(
                    connection, new Packet.PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY)));
        }
    }
}
