package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketDecoder;
import dev.cairn.broker.codec.PacketEncoder;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.Role;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSockets on the wire, with a hand-written HTTP upgrade and hand-made frames: packets
 * split across frames and several in one frame [MQTT-6.0.0-2], binary frames out [MQTT-6.0.0-1],
 * ping/pong and close frames, the frame size limit, text frames refused, requests that are not a
 * valid upgrade answered 4xx and closed, and an upgrade never finished closed within the connect
 * timeout. Paho 3.1.1 and 5.0 over {@code ws://} against a Paho publisher on TCP.
 */
class WebSocketIT extends Clients {
    private static final String WS = "web";
    private static final int BINARY = 2;
    private static final int TEXT = 1;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private static Map<String, String> wsListener(String... extra) {
        Map<String, String> s = new HashMap<>();
        s.put("listener.web.type", "ws");
        s.put("listener.web.port", "0");
        for (int i = 0; i < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    /** A WebSocket client written out by hand: HTTP upgrade, masked frames out, frames in. */
    static final class RawWebSocket implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;
        private final PacketDecoder decoder = new PacketDecoder(Role.CLIENT);
        private final ByteArrayOutputStream stream = new ByteArrayOutputStream();

        RawWebSocket(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        static String upgradeRequest(String path, String subprotocols) {
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + (subprotocols == null ? "" : "Sec-WebSocket-Protocol: " + subprotocols + "\r\n")
                    + "\r\n";
        }

        /** Sends {@code request} and returns the response head (status line and headers). */
        String http(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed in the response head: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        }

        RawWebSocket upgrade() throws IOException {
            String head = http(upgradeRequest("/mqtt", "mqtt"));
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            // [MQTT-6.0.0-4] The server selects "mqtt".
            assertTrue(head.toLowerCase().contains("sec-websocket-protocol: mqtt\r\n"), head);
            return this;
        }

        void frame(int opcode, boolean fin, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else {
                f.write(0x80 | 126);
                f.write(payload.length >> 8);
                f.write(payload.length & 0xff);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
            out.write(f.toByteArray());
            out.flush();
        }

        /** Reads one frame: its opcode, then its payload. */
        Frame readFrame() throws IOException {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("connection closed");
            }
            int second = in.readUnsignedByte();
            assertEquals(0, second & 0x80, "server frames are not masked");
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(first & 0x0f, (first & 0x80) != 0, payload);
        }

        /** The next MQTT packet the broker sent, out of binary frames [MQTT-6.0.0-1]. */
        Packet receive() throws IOException {
            while (true) {
                byte[] bytes = stream.toByteArray();
                int[] lengthAndSize = remainingLength(bytes);
                if (lengthAndSize != null && bytes.length >= 1 + lengthAndSize[1] + lengthAndSize[0]) {
                    int total = 1 + lengthAndSize[1] + lengthAndSize[0];
                    ByteBuf body = Unpooled.wrappedBuffer(bytes, 1 + lengthAndSize[1], lengthAndSize[0]);
                    stream.reset();
                    stream.write(bytes, total, bytes.length - total);
                    Object decoded = decoder.decode(bytes[0] & 0xff, body, ProtocolVersion.MQTT_5);
                    assertTrue(!(decoded instanceof DecodeError), String.valueOf(decoded));
                    return (Packet) decoded;
                }
                Frame f = readFrame();
                assertEquals(BINARY, f.opcode, "MQTT comes in binary frames: " + f);
                stream.write(f.payload);
            }
        }

        private static int[] remainingLength(byte[] bytes) {
            int value = 0;
            for (int i = 1; i < bytes.length && i <= 4; i++) {
                value |= (bytes[i] & 0x7f) << (7 * (i - 1));
                if ((bytes[i] & 0x80) == 0) {
                    return new int[] {value, i};
                }
            }
            return null;
        }

        /** Reads until the broker closes the TCP connection; returns the frames read meanwhile. */
        List<Frame> framesUntilClosed() throws IOException {
            List<Frame> frames = new java.util.ArrayList<>();
            while (true) {
                try {
                    frames.add(readFrame());
                } catch (EOFException e) {
                    return frames;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Frame(int opcode, boolean fin, byte[] payload) {
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        @Override
        public String toString() {
            return "Frame[opcode=" + opcode + ", fin=" + fin + ", " + payload.length + " bytes]";
        }
    }

    static byte[] encode(Packet packet) {
        ByteBuf buf = Unpooled.buffer();
        try {
            PacketEncoder.encode(packet, ProtocolVersion.MQTT_5, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private RawWebSocket open(TestBroker broker) throws IOException {
        return closeAfterTest(new RawWebSocket(broker.port(WS)));
    }

    @Test
    void packetsSplitAcrossFramesAndSeveralInOneFrameAreDecoded() throws Exception {
        TestBroker broker = broker(wsListener());
        RawWebSocket ws = open(broker).upgrade();
        byte[] connect = encode(connect(ProtocolVersion.MQTT_5, "ws-raw", true, Properties.EMPTY));
        byte[] subscribe = encode(subscribe(1, "plant/ws", QoS.AT_LEAST_ONCE));
        // [MQTT-6.0.0-2] CONNECT split over two frames, the second also carrying all of SUBSCRIBE.
        ws.frame(BINARY, true, Arrays.copyOfRange(connect, 0, 3));
        byte[] rest = new byte[connect.length - 3 + subscribe.length];
        System.arraycopy(connect, 3, rest, 0, connect.length - 3);
        System.arraycopy(subscribe, 0, rest, connect.length - 3, subscribe.length);
        ws.frame(BINARY, true, rest);
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
        assertInstanceOf(Packet.SubAck.class, ws.receive());

        // A PUBLISH in a fragmented message (a binary frame and two continuations), each cut mid-field.
        byte[] publish = encode(publish("plant/ws", QoS.AT_LEAST_ONCE, 7, "over websockets"));
        ws.frame(BINARY, false, Arrays.copyOfRange(publish, 0, 1));
        ws.frame(0, false, Arrays.copyOfRange(publish, 1, 9));
        ws.frame(0, true, Arrays.copyOfRange(publish, 9, publish.length));
        Packet first = ws.receive();
        Packet second = ws.receive();
        Packet.Publish echoed = (Packet.Publish) (first instanceof Packet.Publish ? first : second);
        assertInstanceOf(Packet.PubAck.class, first instanceof Packet.Publish ? second : first);
        assertEquals("over websockets", text(echoed.payload()));
    }

    @Test
    void pingIsAnsweredWithPongAndCloseWithClose() throws Exception {
        TestBroker broker = broker(wsListener());
        RawWebSocket ws = open(broker).upgrade();
        ws.frame(PING, true, utf8("are you there"));
        Frame pong = ws.readFrame();
        assertEquals(PONG, pong.opcode);
        assertArrayEquals(utf8("are you there"), pong.payload);

        ws.frame(BINARY, true, encode(connect(ProtocolVersion.MQTT_5, "ws-close", true, Properties.EMPTY)));
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
        ws.frame(CLOSE, true, new byte[] {0x03, (byte) 0xe8}); // 1000, normal closure
        List<Frame> frames = ws.framesUntilClosed();
        assertEquals(1, frames.size(), frames.toString());
        assertEquals(CLOSE, frames.get(0).opcode);
        assertEquals(1000, frames.get(0).closeCode());
    }

    @Test
    void theBrokerEndsAConnectionWithItsLastPacketThenACloseFrame() throws Exception {
        TestBroker broker = broker(wsListener());
        RawWebSocket ws = open(broker).upgrade();
        byte[] connect = encode(connect(ProtocolVersion.MQTT_5, "ws-twice", true, Properties.EMPTY));
        ws.frame(BINARY, true, connect);
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
        // [MQTT-3.1.0-2] A second CONNECT is a protocol error: DISCONNECT 0x82, then the close.
        ws.frame(BINARY, true, connect);
        Packet.Disconnect disconnect = assertInstanceOf(Packet.Disconnect.class, ws.receive());
        assertEquals(ReasonCode.PROTOCOL_ERROR, disconnect.reason());
        List<Frame> frames = ws.framesUntilClosed();
        assertEquals(1, frames.size(), frames.toString());
        assertEquals(CLOSE, frames.get(0).opcode, "the WebSocket closing handshake, not a bare TCP close");
        assertEquals(1000, frames.get(0).closeCode());
    }

    @Test
    void aTextFrameClosesTheConnection() throws Exception {
        TestBroker broker = broker(wsListener());
        RawWebSocket ws = open(broker).upgrade();
        ws.frame(BINARY, true, encode(connect(ProtocolVersion.MQTT_5, "ws-text", true, Properties.EMPTY)));
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
        // [MQTT-6.0.0-1] Any data frame but binary closes the connection.
        ws.frame(TEXT, true, utf8("hello"));
        List<Frame> frames = ws.framesUntilClosed();
        assertEquals(CLOSE, frames.get(frames.size() - 1).opcode, frames.toString());
        assertEquals(1003, frames.get(frames.size() - 1).closeCode());
    }

    @Test
    void aFrameLargerThanTheLargestPacketClosesTheConnection() throws Exception {
        TestBroker broker = broker(wsListener("packet_size_max_bytes", "128"));
        RawWebSocket ws = open(broker).upgrade();
        ws.frame(BINARY, true, new byte[129]);
        List<Frame> frames = ws.framesUntilClosed();
        assertEquals(CLOSE, frames.get(frames.size() - 1).opcode, frames.toString());
        assertEquals(1009, frames.get(frames.size() - 1).closeCode(), "message too big");
    }

    @Test
    void whatIsNotAValidUpgradeGetsA4xxAndIsClosed() throws Exception {
        TestBroker broker = broker(wsListener());
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put(RawWebSocket.upgradeRequest("/other", "mqtt"), "HTTP/1.1 404");
        refusals.put("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "HTTP/1.1 426");
        refusals.put(RawWebSocket.upgradeRequest("/mqtt", "chat, stomp"), "HTTP/1.1 400");
        refusals.put(RawWebSocket.upgradeRequest("/mqtt", null), "HTTP/1.1 400");
        refusals.put(RawWebSocket.upgradeRequest("/mqtt", "mqtt").replace("GET", "POST"), "HTTP/1.1 405");
        refusals.put(
                RawWebSocket.upgradeRequest("/mqtt", "mqtt")
                        .replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 99"),
                "HTTP/1.1 426");
        for (Map.Entry<String, String> r : refusals.entrySet()) {
            try (RawWebSocket ws = new RawWebSocket(broker.port(WS))) {
                String head = ws.http(r.getKey());
                assertTrue(head.startsWith(r.getValue()), r.getKey() + " -> " + head);
                readToClose(ws);
            }
        }
        // The older subprotocol name is accepted when "mqtt" is not offered.
        try (RawWebSocket ws = new RawWebSocket(broker.port(WS))) {
            String head = ws.http(RawWebSocket.upgradeRequest("/mqtt", "mqttv3.1"));
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.toLowerCase().contains("sec-websocket-protocol: mqttv3.1\r\n"), head);
        }
        // The broker still serves WebSocket clients.
        RawWebSocket ws = open(broker).upgrade();
        ws.frame(BINARY, true, encode(connect(ProtocolVersion.MQTT_5, "after", true, Properties.EMPTY)));
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
    }

    @Test
    void anOriginNotInHttpOriginsIsRefusedWith403() throws Exception {
        TestBroker broker = broker(wsListener("listener.web.http_origins", "https://hmi.plant.example"));
        String request = RawWebSocket.upgradeRequest("/mqtt", "mqtt");
        try (RawWebSocket other = new RawWebSocket(broker.port(WS))) {
            String head = other.http(request.replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n"));
            assertTrue(head.startsWith("HTTP/1.1 403"), head);
            readToClose(other);
        }
        try (RawWebSocket listed = new RawWebSocket(broker.port(WS))) {
            String head = listed.http(request.replace("\r\n\r\n", "\r\nOrigin: https://HMI.plant.example\r\n\r\n"));
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
        }
        // A client that is not a browser sends no Origin and is not affected.
        RawWebSocket noOrigin = open(broker).upgrade();
        noOrigin.frame(BINARY, true, encode(connect(ProtocolVersion.MQTT_5, "no-origin", true, Properties.EMPTY)));
        assertInstanceOf(Packet.ConnAck.class, noOrigin.receive());
    }

    /** Reads (and drops) what remains of the response until the broker closes. */
    private static void readToClose(RawWebSocket ws) throws IOException {
        try {
            while (ws.in.read() >= 0) {
                // the response body
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection in time", e);
        }
    }

    @Test
    void anUpgradeNeverFinishedIsClosedWithinTheConnectTimeout() throws Exception {
        TestBroker broker = broker(wsListener("connect_timeout_seconds", "1"));
        try (RawWebSocket idle = new RawWebSocket(broker.port(WS));
                RawWebSocket half = new RawWebSocket(broker.port(WS))) {
            half.out.write("GET /mqtt HTTP/1.1\r\nHost: 127.0.0".getBytes(StandardCharsets.US_ASCII));
            half.out.flush();
            long start = System.nanoTime();
            readToClose(idle);
            readToClose(half);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 3000, "closed after " + millis + " ms");
        }
        RawWebSocket ws = open(broker).upgrade();
        ws.frame(BINARY, true, encode(connect(ProtocolVersion.MQTT_5, "still-served", true, Properties.EMPTY)));
        assertInstanceOf(Packet.ConnAck.class, ws.receive());
    }

    @Test
    void pahoV3AndV5OverWebSocketsReceiveWhatAPahoClientPublishesOverTcp() throws Exception {
        TestBroker broker = broker(wsListener());
        String uri = "ws://127.0.0.1:" + broker.port(WS) + "/mqtt";
        Received got3 = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient sub3 = unconnectedPaho3(uri, "ws-sub3", got3);
        sub3.connect(options3(true));
        sub3.subscribe("plant/#", 1);
        Received got5 = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient sub5 = unconnectedPaho5(uri, "ws-sub5", got5);
        sub5.connect(options5(true, 0));
        sub5.subscribe("plant/#", 1);

        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "tcp-pub", null);
        pub.publish("plant/line1", utf8("from tcp"), 1, false);
        assertEquals("from tcp", got3.next(1).get(0).payload());
        assertEquals("from tcp", got5.next(1).get(0).payload());

        // And back: a WebSocket publisher reaches the other WebSocket subscriber.
        sub3.publish("plant/line2", utf8("from ws"), 1, false);
        assertEquals("from ws", got5.next(1).get(0).payload());
    }
}
