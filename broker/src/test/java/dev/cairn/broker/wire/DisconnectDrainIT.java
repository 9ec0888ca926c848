package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A client that goes on sending after the broker's DISCONNECT must still read it. If the broker
 * closed its socket while the client's bytes keep arriving, the kernel would answer them with a
 * reset, the client's next write would fail, and a client library treats a failed write as a
 * lost connection and gives up without reading what arrived: it never learns the reason. The
 * broker half-closes instead (its DISCONNECT, then FIN) and reads and discards, for a bounded
 * time, until the client closes its side.
 *
 * <p>Each client here is single-threaded like an event loop: it writes, then reads what has
 * arrived, and a write that fails ends it.
 */
class DisconnectDrainIT {
    /** Receive Maximum we advertise: the third unacknowledged QoS 2 PUBLISH breaks it [MQTT-3.3.4-7]. */
    private static final int INFLIGHT_INBOUND_MAX = 2;
    /** The two PUBRECs, then DISCONNECT 0x93 Receive Maximum exceeded. */
    private static final String EXPECTED = Frames.normalize("50 03 00 01 10 50 03 00 02 10 E0 01 93");
    /** Only bounds a failing test; the broker's drain ends after at most two seconds. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("inflight_inbound_max", Integer.toString(INFLIGHT_INBOUND_MAX)));
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    /** Repeated: without the half-close, whether the reset beats the read is a race. */
    @RepeatedTest(5)
    void aClientStillSendingReadsTheDisconnectReason() throws IOException {
        try (Socket socket = connect("flood")) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] batch = publishBatch();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            // Act: write QoS 2 PUBLISHes that are never released, reading between writes.
            while (received.size() < Frames.bytes(EXPECTED).length) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "no DISCONNECT within " + DEADLINE + "; read " + Frames.hex(received.toByteArray()));
                try {
                    out.write(batch);
                } catch (IOException failed) {
                    throw new AssertionError(
                            "a write failed (" + failed.getMessage() + ") after reading only ["
                                    + Frames.hex(received.toByteArray()) + "]: the client gave up without the reason",
                            failed);
                }
                received.write(in.readNBytes(in.available()));
            }
            // Assert
            assertEquals(EXPECTED, Frames.hex(received.toByteArray()).substring(0, EXPECTED.length()));
        }
    }

    /**
     * The drain is bounded: a client that reads the DISCONNECT and end of stream, and keeps
     * writing anyway, is cut off soon after (its writes then fail), not served forever.
     */
    @Test
    void aClientThatNeverStopsSendingIsCutOffAfterTheDrain() throws IOException {
        try (Socket socket = connect("endless")) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout((int) DEADLINE.toMillis());
            byte[] batch = publishBatch();
            out.write(batch);
            // The broker's side ends with our DISCONNECT, then end of stream, while it still reads.
            assertEquals(EXPECTED, Frames.hex(in.readAllBytes()).substring(0, EXPECTED.length()));
            long endOfStream = System.nanoTime();
            // Act: keep writing until a write fails.
            IOException cutOff = null;
            while (cutOff == null) {
                assertTrue(System.nanoTime() - endOfStream < DEADLINE.toNanos(), "still accepted after " + DEADLINE);
                try {
                    out.write(batch);
                } catch (IOException e) {
                    cutOff = e;
                }
            }
            // Assert: within the drain's bound plus slack.
            Duration after = Duration.ofNanos(System.nanoTime() - endOfStream);
            assertTrue(after.compareTo(Duration.ofSeconds(5)) < 0, "cut off " + after + " after end of stream");
        }
    }

    private static Socket connect(String clientId) throws IOException {
        Socket socket = new Socket(broker.host(), broker.port());
        socket.getOutputStream()
                .write(Frames.bytes(packet("10", utf8("MQTT"), "05 02 00 3C", properties(), utf8(clientId))));
        InputStream in = socket.getInputStream();
        socket.setSoTimeout((int) DEADLINE.toMillis());
        byte[] header = in.readNBytes(2);
        assertEquals(0x20, header[0] & 0xFF, "CONNACK");
        assertEquals(0x00, in.readNBytes(header[1])[1], "CONNACK reason");
        return socket;
    }

    /** 256 QoS 2 PUBLISHes with ids 1..256, about 4 KB. */
    private static byte[] publishBatch() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int id = 1; id <= 256; id++) {
            batch.writeBytes(Frames.bytes(packet(
                    "34", utf8("a/b"), String.format("%02X %02X", id >> 8, id & 0xFF), properties(), "68 69 6A 6B")));
        }
        return batch.toByteArray();
    }
}
