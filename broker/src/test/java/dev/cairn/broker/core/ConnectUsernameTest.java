package dev.cairn.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.session.Origin;
import dev.cairn.protocol.Properties;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: the username a session acts as is the one its client certificate gives when the listener
 * takes it from there (use_identity_as_username, use_subject_as_username), whatever the CONNECT
 * says, and otherwise the CONNECT's; a connection with neither is anonymous.
 */
class ConnectUsernameTest {
    private CoreHarness core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.close();
        }
    }

    private static Packet.Connect connect(String clientId, String username) {
        return new Packet.Connect(ProtocolVersion.MQTT_5, clientId, true, 60, username, null, null, Properties.EMPTY);
    }

    @Test
    void theCertificatesUsernameReplacesTheOneTheClientSends() {
        core = CoreHarness.start(Map.of("allow_anonymous", "false", "listener.plant.port", "0"));
        RecordingWire pump = core.open(new Origin("plant", "pump-7"));
        core.send(pump, connect("pump", "admin"));
        assertEquals(ReasonCode.SUCCESS, pump.next(Packet.ConnAck.class).reason());
        assertEquals("pump-7", core.connectionOf(pump).username());
        assertEquals("plant", core.connectionOf(pump).origin().listener());

        RecordingWire certOnly = core.open(new Origin("plant", "valve-3"));
        core.send(certOnly, connect("valve", null));
        assertEquals(
                ReasonCode.SUCCESS,
                certOnly.next(Packet.ConnAck.class).reason(),
                "a certificate is credentials enough where anonymous clients are refused");
        assertEquals("valve-3", core.connectionOf(certOnly).username());
    }

    @Test
    void withoutACertificateUsernameTheConnectsStandsAndNoneIsAnonymous() {
        core = CoreHarness.start(Map.of("allow_anonymous", "true", "listener.plant.port", "0"));
        RecordingWire named = core.open(new Origin("plant", null));
        core.send(named, connect("named", "operator"));
        assertEquals(ReasonCode.SUCCESS, named.next(Packet.ConnAck.class).reason());
        assertEquals("operator", core.connectionOf(named).username());

        RecordingWire anonymous = core.open(new Origin("plant", null));
        core.send(anonymous, connect("anon", null));
        assertEquals(ReasonCode.SUCCESS, anonymous.next(Packet.ConnAck.class).reason());
        assertNull(core.connectionOf(anonymous).username());
    }
}
