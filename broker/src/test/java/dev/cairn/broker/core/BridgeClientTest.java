package dev.cairn.broker.core;

import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: a 3.1.1 client whose CONNECT carried the bridge mark (mosquitto's {@code try_private})
 * has its subscriptions treated as No Local [MQTT-3.8.3-3] and Retain As Published
 * [MQTT-3.3.1-12], which 3.1.1 itself cannot ask for, as mosquitto treats them; an unmarked 3.1.1
 * client keeps 3.1.1's rules: its own messages come back, and the RETAIN flag of a message sent
 * because of an established subscription is 0 [MQTT-3.3.1-9]. Method: the core without sockets
 * ({@link CoreHarness}).
 */
class BridgeClientTest {
    private CoreHarness core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.close();
        }
    }

    private static Packet.Connect connect311(String clientId, boolean bridge) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_3_1_1, clientId, true, 60, null, null, null, Properties.EMPTY, bridge);
    }

    @Test
    void aMarkedClientIsNotSentWhatItPublishedAndGetsTheRetainFlagAsPublished() {
        core = CoreHarness.start();
        RecordingWire bridge = core.connect(connect311("central-bridge", true));
        core.subscribe(bridge, "plant/#", QoS.AT_LEAST_ONCE);
        RecordingWire plain = core.connect(connect311("plain", false));
        core.subscribe(plain, "plant/#", QoS.AT_LEAST_ONCE);
        RecordingWire other = core.connect(connect311("other", false));

        // Act: the bridge publishes on its own subscription; another client publishes a retained message.
        core.send(bridge, publish("plant/from-bridge", QoS.AT_LEAST_ONCE, 1, "b"));
        core.send(other, publish("plant/from-other", QoS.AT_LEAST_ONCE, true, 1, "o", Properties.EMPTY));

        // Assert: the bridge gets its PUBACK and only the other client's message, retained as published.
        assertEquals(1, bridge.next(Packet.PubAck.class).packetId());
        Packet.Publish atBridge = bridge.next(Packet.Publish.class);
        assertEquals("o", text(atBridge.payload()));
        assertTrue(atBridge.retain(), "Retain As Published for the bridge");
        bridge.assertNothingMore();
        // The unmarked subscriber: both messages, neither with RETAIN.
        Packet.Publish first = plain.next(Packet.Publish.class);
        Packet.Publish second = plain.next(Packet.Publish.class);
        assertEquals("b", text(first.payload()));
        assertEquals("o", text(second.payload()));
        assertFalse(second.retain(), "3.1.1 [MQTT-3.3.1-9]");
    }

    @Test
    void withAllowBridgeMarkerFalseTheMarkIsRefusedAsAnUnknownLevel() {
        core = CoreHarness.start(Map.of("allow_bridge_marker", "false"));
        RecordingWire marked = core.open();

        core.send(marked, connect311("central-bridge", true));

        // CONNACK return code 0x01, as for any level the server does not speak [MQTT-3.1.2-2].
        Packet.ConnAck ack = marked.next(Packet.ConnAck.class);
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, ack.reason());
        assertFalse(ack.sessionPresent());
        // An unmarked CONNECT is still accepted.
        core.connect(connect311("central-bridge", false));
    }

    @Test
    void anUnmarkedClientGetsItsOwnMessagesBack() {
        core = CoreHarness.start();
        RecordingWire plain = core.connect(connect311("plain", false));
        core.subscribe(plain, "plant/#", QoS.AT_LEAST_ONCE);

        core.send(plain, publish("plant/x", QoS.AT_LEAST_ONCE, 1, "own"));

        // The copy to its subscription may leave before the PUBACK: order is not the point here.
        List<Packet> arrived = plain.drain();
        assertEquals(2, arrived.size(), arrived::toString);
        assertTrue(
                arrived.stream().anyMatch(p -> p instanceof Packet.PubAck a && a.packetId() == 1), arrived::toString);
        assertTrue(
                arrived.stream()
                        .anyMatch(p -> p instanceof Packet.Publish m
                                && text(m.payload()).equals("own")),
                arrived::toString);
    }
}
