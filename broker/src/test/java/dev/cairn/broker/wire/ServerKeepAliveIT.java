package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static dev.cairn.broker.wire.WireHarness.assertAnswer;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * keep_alive_max_seconds on the wire: a 5.0 client asking for a longer keep alive, or for none
 * (0), is told the granted value in Server Keep Alive [MQTT-3.2.2-21]; one asking for less keeps
 * its own and gets no property. An operator sets the limit so that dead connections are found,
 * so keep alive 0 must not be a way around it.
 */
class ServerKeepAliveIT {
    private static final String CONNACK_PROPERTIES_WITHOUT_KEEP_ALIVE =
            "21 03 E8 22 04 00 25 01 27 00 10 00 00 28 01 29 01 2A 01";

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("keep_alive_max_seconds", "60"));
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    private static String connect5(String keepAlive) {
        return packet("10", utf8("MQTT"), "05 02", keepAlive, properties(), utf8("ka"));
    }

    @Test
    void keepAliveAboveTheMaximumIsLoweredWithServerKeepAlive() throws IOException {
        assertConnAck(connect5("01 2C"), "20 19 00 00 16 13 00 3C " + CONNACK_PROPERTIES_WITHOUT_KEEP_ALIVE);
    }

    @Test
    void keepAliveZeroIsRaisedToTheMaximumWithServerKeepAlive() throws IOException {
        assertConnAck(connect5("00 00"), "20 19 00 00 16 13 00 3C " + CONNACK_PROPERTIES_WITHOUT_KEEP_ALIVE);
    }

    @Test
    void keepAliveWithinTheMaximumIsKeptWithoutServerKeepAlive() throws IOException {
        assertConnAck(connect5("00 1E"), "20 16 00 00 13 " + CONNACK_PROPERTIES_WITHOUT_KEEP_ALIVE);
    }

    private static void assertConnAck(String connectHex, String expectedConnAck) throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            client.sendHex(connectHex);
            assertAnswer(client, Frames.normalize(expectedConnAck));
        }
    }
}
