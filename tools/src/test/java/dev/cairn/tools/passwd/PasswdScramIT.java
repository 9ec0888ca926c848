package dev.cairn.tools.passwd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.ScramClient;
import dev.cairn.broker.testing.ScramPackets;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the SCRAM credentials {@code cairn-tools passwd --scram} writes let a client log in to the
 * broker with MQTT 5 enhanced authentication, SCRAM-SHA-256 and SCRAM-SHA-512, and the broker's
 * server-final proves to the client that it holds them; a user enrolled without {@code --scram}
 * is refused SCRAM (0x87) but still logs in with the password. Method: the tool in-process, a real
 * broker with that password_file and auth_methods, the exchange in raw packets with the test's
 * own SCRAM client.
 */
class PasswdScramIT {
    @TempDir
    Path dir;

    /** The SCRAM exchange; returns the CONNACK, having checked the server's signature when it accepted. */
    private static Packet.ConnAck scramLogin(TestBroker broker, String method, String user, String password)
            throws IOException {
        ScramClient scram = new ScramClient(method, user, password, "tool-test");
        try (RawMqttClient raw = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            raw.send(ScramPackets.connect(scram, "c-" + user));
            raw.send(ScramPackets.answer(scram, raw.receive(Packet.Auth.class)));
            Packet.ConnAck ack = raw.receive(Packet.ConnAck.class);
            if (ack.reason() == ReasonCode.SUCCESS) {
                assertTrue(scram.serverFinalVerifies(ack.properties().authenticationData()), method);
            }
            return ack;
        }
    }

    @Test
    void theBrokerAcceptsTheScramCredentialsTheToolWrites() throws Exception {
        Path passwd = dir.resolve("passwd");
        assertEquals(
                0,
                ToolRun.run("passwd", "-c", "-b", "--iterations", "1000", "--scram", passwd, "alice", "wonder")
                        .exitCode());
        assertEquals(
                0,
                ToolRun.run("passwd", "-b", "--iterations", "1000", passwd, "bob", "builder")
                        .exitCode());
        try (TestBroker broker = TestBroker.start(Map.of(
                "password_file",
                passwd.toString(),
                "auth_methods",
                "SCRAM-SHA-256,SCRAM-SHA-512",
                "auth_failure_delay_millis",
                "0"))) {
            for (String method : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-512"}) {
                assertEquals(
                        ReasonCode.SUCCESS,
                        scramLogin(broker, method, "alice", "wonder").reason(),
                        method);
                assertEquals(
                        ReasonCode.NOT_AUTHORIZED,
                        scramLogin(broker, method, "alice", "wondeR").reason(),
                        method);
                assertEquals(
                        ReasonCode.NOT_AUTHORIZED,
                        scramLogin(broker, method, "bob", "builder").reason(),
                        method);
            }
            try (RawMqttClient bob = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
                bob.send(new Packet.Connect(
                        ProtocolVersion.MQTT_5,
                        "bob",
                        true,
                        60,
                        "bob",
                        "builder".getBytes(StandardCharsets.UTF_8),
                        null,
                        Properties.EMPTY));
                assertEquals(
                        ReasonCode.SUCCESS, bob.receive(Packet.ConnAck.class).reason(), "bob's password");
            }
        }
    }
}
