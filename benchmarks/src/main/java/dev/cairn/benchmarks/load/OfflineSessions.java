package dev.cairn.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fills a broker with {@code count} offline persistent sessions, each holding one queued QoS 1
 * message, before a run (on 32 threads, so that Cairn's group commit covers many at once): client {@code bench-offline-<i>} connects with MQTT 3.1.1 and clean
 * session 0, subscribes to {@value #TOPIC} at QoS 1 and disconnects; then one QoS 1 PUBLISH of
 * 100 bytes to that topic is acknowledged, which queues a copy for each of them (mosquitto with
 * {@code max_queued_messages 0} and Cairn both keep it; Cairn journals it before the PUBACK). The
 * run's own clients use other topics, so these sessions only add state: what the broker must keep
 * and, for Cairn, what its figures for {@code /metrics} cover. Plain blocking sockets on a few
 * threads; each packet is written and its acknowledgement awaited.
 */
final class OfflineSessions {
    static final String TOPIC = "bench/offline";
    private static final int THREADS = 32;

    private OfflineSessions() {}

    /** Creates the sessions and queues the message; throws if the broker refuses or fails any step. */
    static void create(int port, int count) throws IOException {
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(
                    () -> {
                        try {
                            for (int i = next.getAndIncrement();
                                    i < count && failure.get() == null;
                                    i = next.getAndIncrement()) {
                                subscribeAndLeave(port, "bench-offline-" + i);
                            }
                        } catch (IOException | RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "offline-sessions-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating offline sessions", e);
            }
        }
        if (failure.get() != null) {
            throw new IOException("creating offline sessions failed: " + failure.get(), failure.get());
        }
        try (Socket s = open(port)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connect("bench-offline-publisher", true));
            expect(in, 0x20, "CONNACK");
            out.write(publish(TOPIC, new byte[100]));
            expect(in, 0x40, "PUBACK");
            out.write(new byte[] {(byte) 0xE0, 0});
        }
        System.out.printf(
                "created %,d offline sessions with a queued QoS 1 message in %.1f s%n",
                count, (System.nanoTime() - started) / 1e9);
    }

    private static void subscribeAndLeave(int port, String clientId) throws IOException {
        try (Socket s = open(port)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connect(clientId, false));
            expect(in, 0x20, "CONNACK");
            out.write(subscribe(TOPIC));
            expect(in, 0x90, "SUBACK");
            out.write(new byte[] {(byte) 0xE0, 0});
            // The broker closes first, so this side keeps no TIME_WAIT socket: 100,000 of them
            // would use up the ephemeral ports.
            while (in.read() >= 0) {
                // Nothing more is sent; wait for the end of the stream.
            }
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return s;
    }

    /** Reads one packet and checks its type; a CONNACK must be 0 (accepted), a SUBACK grant QoS 1. */
    private static void expect(DataInputStream in, int type, String name) throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        if ((first & 0xF0) != type) {
            throw new IOException("expected " + name + ", got packet type " + (first >> 4));
        }
        if (type == 0x20 && body[1] != 0) {
            throw new IOException("CONNACK refused with return code " + body[1]);
        }
        if (type == 0x90 && body[2] != 1) {
            throw new IOException("SUBACK granted " + body[2] + ", not QoS 1");
        }
    }

    private static byte[] connect(String clientId, boolean cleanSession) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, "MQTT");
        v.write(4); // 3.1.1
        v.write(cleanSession ? 0x02 : 0x00);
        v.write(0);
        v.write(60); // keep alive 60 s
        string(v, clientId);
        return packet(0x10, v.toByteArray());
    }

    private static byte[] subscribe(String filter) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(0);
        v.write(1); // packet id 1
        string(v, filter);
        v.write(1); // QoS 1
        return packet(0x82, v.toByteArray());
    }

    private static byte[] publish(String topic, byte[] payload) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, topic);
        v.write(0);
        v.write(1); // packet id 1
        v.writeBytes(payload);
        return packet(0x32, v.toByteArray()); // QoS 1
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
