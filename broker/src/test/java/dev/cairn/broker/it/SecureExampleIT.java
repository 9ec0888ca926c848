package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.cairn.broker.Broker;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the example secure configuration in the repository ({@code examples/secure.conf} with its
 * ACL {@code examples/acl}) is one a user can run as it stands, so it never rots. Method: the
 * example file is read with the broker's own config parser, its {@code /etc/cairn} and {@code
 * /var/lib/cairn} paths pointed at a temporary directory holding a password file, the example ACL
 * unchanged, and certificates made in the test ({@link TestPki}); the ports are set to free ones.
 * A real broker starts from it and each of its listeners is tried as the comments describe: on
 * the loopback listener an operator logs in with a password and an anonymous client is refused
 * (0x87); on the TLS listener a device logs in with its certificate alone, publishes on its own
 * topic (%u) and is refused another device's (PUBACK 0x87); on the wss listener a browser account
 * logs in with a password and sends the device a command it receives.
 */
class SecureExampleIT extends Clients {
    private static final Path EXAMPLE = Path.of("..", "examples", "secure.conf");
    private static final Path EXAMPLE_ACL = Path.of("..", "examples", "acl");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Issued ca;

    /** The example with its paths under {@link #dir}, the files they name written there. */
    private Path exampleInTempDir() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path pki = Files.createDirectories(etc.resolve("pki"));
        ca = TestPki.ca("plant-ca", KeyType.EC);
        TestPki.writeServerFiles(pki, ca, KeyType.EC);
        PasswordFile users = PasswordFile.empty()
                .with("admin", PasswordHash.pbkdf2("admin-secret".toCharArray(), 1000, RANDOM))
                .with("hmi", PasswordHash.pbkdf2("hmi-secret".toCharArray(), 1000, RANDOM));
        Files.writeString(etc.resolve("passwd"), users.text(), StandardCharsets.UTF_8);
        Files.copy(EXAMPLE_ACL, etc.resolve("acl"));
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        assertTrue(example.contains("/etc/cairn/") && example.contains("/var/lib/cairn"), "the paths the test moves");
        String moved = example.replace("/etc/cairn/", etc + "/")
                .replace("/var/lib/cairn", dir.resolve("data").toString());
        return Files.writeString(dir.resolve("secure.conf"), moved);
    }

    @Test
    void theExampleSecureConfigLoadsStartsAndDoesWhatItsCommentsSay() throws Exception {
        Path file = exampleInTempDir();
        BrokerConfig config =
                ConfigLoader.load(file, Map.of("port", "0", "listener.devices.port", "0", "listener.hmi.port", "0"));
        assertEquals(
                List.of("default", "devices", "hmi"),
                config.listeners().stream().map(ListenerConfig::name).toList());
        for (ListenerConfig l : config.listeners()) {
            assertFalse(l.anonymousAllowed(), l.name() + " lets anonymous clients in");
            assertEquals(dir.resolve("etc").resolve("acl"), l.auth().aclFile(), l.name());
        }
        Broker broker = closeAfterTest(new Broker(config).start());

        // The loopback listener: the operator with a password; no anonymous clients.
        Received admin = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient adminClient =
                unconnectedPaho5("tcp://127.0.0.1:" + broker.port(), "admin-console", admin);
        MqttConnectionOptions adminLogin = options5(true, 0);
        adminLogin.setUserName("admin");
        adminLogin.setPassword("admin-secret".getBytes(StandardCharsets.UTF_8));
        adminClient.connect(adminLogin);
        adminClient.subscribe("plant/#", 1);
        try (RawMqttClient anonymous = new RawMqttClient("127.0.0.1", broker.port(), ProtocolVersion.MQTT_5)) {
            anonymous.send(
                    new Packet.Connect(ProtocolVersion.MQTT_5, "anon", true, 60, null, null, null, Properties.EMPTY));
            assertEquals(
                    ReasonCode.NOT_AUTHORIZED,
                    anonymous.receive(Packet.ConnAck.class).reason());
        }

        // The TLS listener: a device logs in with its certificate (CN=pump-7), no password.
        Issued pump = TestPki.client(ca, "CN=pump-7,O=Plant", KeyType.EC);
        Mqtt5BlockingClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier("pump-7-main")
                .serverHost("127.0.0.1")
                .serverPort(broker.port("devices"))
                .sslConfig()
                .trustManagerFactory(TestPki.trustManagers(ca))
                .keyManagerFactory(TestPki.keyManagers(pump))
                .applySslConfig()
                .buildBlocking();
        device.connect();
        closeAfterTest(device::disconnect);
        try (Mqtt5BlockingClient.Mqtt5Publishes commands =
                device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith()
                    .topicFilter("plant/pump-7/command")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            device.publishWith()
                    .topic("plant/pump-7/state")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("running"))
                    .send();
            Received.Msg state = admin.next();
            assertEquals("plant/pump-7/state", state.topic());
            assertEquals("running", state.payload());
            Mqtt5PubAckException refused = assertThrows(
                    Mqtt5PubAckException.class,
                    () -> device.publishWith()
                            .topic("plant/pump-8/state")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(utf8("spoofed"))
                            .send());
            assertEquals(
                    Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                    refused.getMqttMessage().getReasonCode());

            // The wss listener: the browser account with a password sends the device a command.
            org.eclipse.paho.mqttv5.client.MqttClient hmi =
                    unconnectedPaho5("wss://127.0.0.1:" + broker.port("hmi") + "/mqtt", "hmi-page", new Received());
            MqttConnectionOptions hmiLogin = options5(true, 0);
            hmiLogin.setUserName("hmi");
            hmiLogin.setPassword("hmi-secret".getBytes(StandardCharsets.UTF_8));
            hmiLogin.setSocketFactory(TestPki.socketFactory(ca, null));
            hmi.connect(hmiLogin);
            hmi.publish("plant/pump-7/command", utf8("stop"), 1, false);
            var command = commands.receive(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(command.isPresent(), "the device got no command");
            assertEquals("plant/pump-7/command", command.get().getTopic().toString());
            assertEquals("stop", new String(command.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        // The spoofed state reached nobody: the next message the operator sees is a later one.
        adminClient.publish("plant/pump-9/state", utf8("fence"), 1, false);
        assertEquals("plant/pump-7/command", admin.next().topic());
        assertEquals("plant/pump-9/state", admin.next().topic());
    }
}
