package dev.cairn.broker.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.time.Duration;

/**
 * Runs {@link WireCase} rows against a real broker over a real socket: optionally a valid
 * CONNECT first, then the row's bytes, then a byte-exact check of everything the broker sends
 * back and whether it closes. After each row a fresh client must still connect and ping, so
 * no malformed input may take the broker down with it.
 */
final class WireHarness {
    /** Generous: closes normally arrive within milliseconds; this only bounds a failing test. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a row that sends an incomplete packet checks that the broker stays quiet. This is
     * an assertion of absence, not synchronisation: no answer may arrive in this window.
     */
    static final Duration QUIET_WINDOW = Duration.ofMillis(150);

    static final String PINGREQ = "C0 00";
    static final String PINGRESP = "D0 00";

    private final TestBroker broker;
    private final ProtocolVersion version;
    private final String validConnectHex;

    WireHarness(TestBroker broker, ProtocolVersion version, String validConnectHex) {
        this.broker = broker;
        this.version = version;
        this.validConnectHex = validConnectHex;
    }

    void run(WireCase row) throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, version)) {
            if (row.start() == WireCase.Start.AFTER_CONNECT) {
                connect(client, validConnectHex);
            }
            client.sendHex(row.sendHex());
            check(client, row);
        }
        assertStillServing();
    }

    /** Sends a CONNECT and requires CONNACK 0x00. */
    static Packet.ConnAck connect(RawMqttClient client, String connectHex) throws IOException {
        client.sendHex(connectHex);
        Packet.ConnAck ack = client.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reason(), "CONNACK for the valid CONNECT");
        return ack;
    }

    private static void check(RawMqttClient client, WireCase row) throws IOException {
        Outcome expected = row.outcome();
        switch (expected.kind()) {
            case CLOSED:
                assertEquals(
                        expected.answerHex(),
                        Frames.hex(client.awaitClose(ANSWER_TIMEOUT).toByteArray()),
                        "bytes the broker sent before closing");
                break;
            case STAYS_OPEN:
                assertAnswer(client, expected.answerHex());
                assertPingAnswered(client);
                break;
            case ACCEPTED:
                assertEquals(
                        ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
                assertPingAnswered(client);
                break;
            case BROKER_WAITS:
                assertFalse(answersWithin(client, QUIET_WINDOW), "the broker answered an incomplete packet");
                break; // The client hangs up mid-packet when the try-with-resources closes it.
            default:
                throw new IllegalArgumentException("unknown outcome " + expected.kind());
        }
    }

    static void assertAnswer(RawMqttClient client, String expectedHex) throws IOException {
        int length = Frames.bytes(expectedHex).length;
        assertEquals(expectedHex, Frames.hex(client.receiveBytes(length, ANSWER_TIMEOUT)), "bytes the broker sent");
    }

    static void assertPingAnswered(RawMqttClient client) throws IOException {
        client.sendHex(PINGREQ);
        assertAnswer(client, PINGRESP);
    }

    private static boolean answersWithin(RawMqttClient client, Duration window) throws IOException {
        try {
            client.receiveBytes(1, window);
            return true;
        } catch (AssertionError nothingArrived) {
            return false;
        }
    }

    /** A fresh 3.1.1 client connects and gets PINGRESP: the broker survived the last row. */
    void assertStillServing() throws IOException {
        try (RawMqttClient probe = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            probe.sendHex(Frames.packet("10", Frames.utf8("MQTT"), "04 02 00 3C", Frames.utf8("probe")));
            assertAnswer(probe, "20 02 00 00");
            assertPingAnswered(probe);
            probe.sendHex("E0 00");
            assertEquals("", Frames.hex(probe.awaitClose(ANSWER_TIMEOUT).toByteArray()));
        }
    }
}
