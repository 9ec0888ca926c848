package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: who may connect. A CONNECT's credentials decide it (section 3.1.3.5, 3.1.4): anonymous
 * clients only where anonymous access is allowed, and a user name counts only with its password.
 * Method: the real core without sockets ({@link CoreHarness}); the CONNACK's reason code is the
 * verdict, and a refused connection is closed [MQTT-3.2.2-7].
 */
class AuthenticationTest {
    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    static Packet.Connect connect(ProtocolVersion version, String clientId, String username, String password) {
        return new Packet.Connect(
                version,
                clientId,
                true,
                60,
                username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                null,
                Properties.EMPTY);
    }

    private Packet.ConnAck connAck(Packet.Connect connect) {
        RecordingWire wire = core.open();
        core.send(wire, connect);
        Packet.ConnAck ack = wire.next(Packet.ConnAck.class);
        if (ack.reason() != ReasonCode.SUCCESS) {
            assertTrue(wire.isClosed(), "a refused connection is closed [MQTT-3.2.2-7]");
        }
        return ack;
    }

    /** Defect 1: with allow_anonymous = false any user name with any password was accepted. */
    @Test
    void anyUserNameWithAnyPasswordIsRefusedWhenAnonymousIsOffAndNoPasswordFileIsSet() {
        core = CoreHarness.start(Map.of("allow_anonymous", "false"));
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect(ProtocolVersion.MQTT_5, "guesser", "admin", "admin"))
                        .reason());
        assertEquals(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                connAck(connect(ProtocolVersion.MQTT_3_1_1, "guesser", "admin", "admin"))
                        .reason());
        assertEquals(
                ReasonCode.NOT_AUTHORIZED,
                connAck(connect(ProtocolVersion.MQTT_5, "anon", null, null)).reason());
    }
}
