package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Section 3.14.2.2.2: a non-zero Session Expiry Interval in DISCONNECT is a Protocol Error only
 * if the CONNECT's was zero. The check must use what the client sent, not what our cap
 * (session_expiry_max_seconds, here 0) granted, or a well-behaved client is thrown out.
 */
class DisconnectSessionExpiryIT {
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("session_expiry_max_seconds", "0"));
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    @Test
    void disconnectMayRaiseSessionExpiryWhenConnectAskedForOneButTheCapGrantedZero() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            Packet.ConnAck ack = WireHarness.connect(
                    client, packet("10", utf8("MQTT"), "05 02 00 3C", properties("11 00 00 00 0A"), utf8("capped")));
            assertEquals(0L, ack.properties().sessionExpiryIntervalSeconds(), "granted expiry in CONNACK");
            client.sendHex(packet("E0", "00", properties("11 00 00 00 14")));
            assertEquals(
                    "",
                    Frames.hex(client.awaitClose(WireHarness.ANSWER_TIMEOUT).toByteArray()),
                    "a normal close, not DISCONNECT 0x82");
        }
    }

    @Test
    void disconnectMayNotSetSessionExpiryWhenConnectHadNone() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            WireHarness.connect(client, packet("10", utf8("MQTT"), "05 02 00 3C", properties(), utf8("uncapped")));
            client.sendHex(packet("E0", "00", properties("11 00 00 00 14")));
            assertEquals(
                    "E0 01 82",
                    Frames.hex(client.awaitClose(WireHarness.ANSWER_TIMEOUT).toByteArray()));
        }
    }
}
