package dev.cairn.broker.testing;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketDecoder;
import dev.cairn.broker.codec.PacketEncoder;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.Role;
import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A blocking byte-level MQTT client for wire tests: it sends exactly the bytes a test gives
 * (including malformed ones) or an encoded packet, and reads back whole packets decoded with
 * the client-side decoder. Every read has a deadline, so a test never hangs.
 */
public final class RawMqttClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final PacketDecoder decoder = new PacketDecoder(Role.CLIENT);
    private ProtocolVersion version;

    public RawMqttClient(String host, int port, ProtocolVersion version) throws IOException {
        this.socket = new Socket(host, port);
        this.socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.version = version;
    }

    public static RawMqttClient connect(TestBroker broker, ProtocolVersion version) throws IOException {
        return new RawMqttClient(broker.host(), broker.port(), version);
    }

    /**
     * Sends an MQTT 5 CONNECT (keep alive 60 s, no credentials, no will) with {@code properties}
     * and returns the CONNACK.
     */
    public Packet.ConnAck connect5(String clientId, boolean cleanStart, Properties properties) throws IOException {
        send(new Packet.Connect(ProtocolVersion.MQTT_5, clientId, cleanStart, 60, null, null, null, properties));
        return receive(Packet.ConnAck.class);
    }

    /** Sends raw bytes written as hex, spaces allowed ("10 0c 00 04 4d 51 54 54 ..."). */
    public RawMqttClient sendHex(String hex) throws IOException {
        return sendBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    public RawMqttClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawMqttClient send(Packet packet) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            PacketEncoder.encode(packet, version, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return sendBytes(bytes);
        } finally {
            buf.release();
        }
    }

    /** Reads the next packet; fails the test if none arrives in time or it does not decode. */
    public Packet receive() throws IOException {
        return receive(DEFAULT_TIMEOUT);
    }

    public Packet receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed by the broker");
        }
        int remaining = readRemainingLength();
        byte[] body = new byte[remaining];
        in.readFully(body);
        Object decoded = decoder.decode(first, Unpooled.wrappedBuffer(body), version);
        if (decoded instanceof DecodeError) {
            throw new IOException("broker sent an undecodable packet: " + decoded);
        }
        return (Packet) decoded;
    }

    /** Reads a packet of the given type, failing on anything else. */
    public <T extends Packet> T receive(Class<T> type) throws IOException {
        Packet p = receive();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but received " + p);
        }
        return type.cast(p);
    }

    /**
     * Waits until the broker closes the connection, returning every packet it sent first.
     * Fails if the connection is still open after the timeout.
     */
    public ByteArrayOutputStream awaitClose(Duration timeout) throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[4096];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("broker did not close the connection within " + timeout);
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return rest; // Connection reset: closed.
            }
            if (n < 0) {
                return rest;
            }
            rest.write(buf, 0, n);
        }
    }

    /**
     * Reads exactly {@code count} raw bytes, for tests that compare the broker's answer byte for
     * byte. Fails if they do not all arrive before the deadline or the broker closes first.
     */
    public byte[] receiveBytes(int count, Duration timeout) throws IOException {
        byte[] bytes = new byte[count];
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        while (read < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("received " + read + " of " + count + " bytes within " + timeout);
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(bytes, read, count - read);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                throw new EOFException("connection closed by the broker after " + read + " of " + count + " bytes");
            }
            read += n;
        }
        return bytes;
    }

    public void setVersion(ProtocolVersion version) {
        this.version = version;
    }

    private int readRemainingLength() throws IOException {
        int value = 0;
        int shift = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
        throw new IOException("remaining length longer than 4 bytes");
    }

    public InputStream rawInput() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
