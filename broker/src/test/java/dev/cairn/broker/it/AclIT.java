package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: a broker started with an acl_file answers each client as the ACL says, on both protocol
 * versions, with the exact codes: SUBSCRIBE to a filter no read rule covers gets 0x87 (3.1.1:
 * 0x80); PUBLISH on a topic the client may not write gets PUBACK/PUBREC 0x87 in 5.0 and a plain
 * acknowledgement in 3.1.1, and is forwarded to nobody; messages under a granted wildcard that a
 * deny rule cuts into are withheld. Method: a real broker ({@link TestBroker}) with an ACL file in
 * a temporary directory; raw packets for the exact codes, Paho v3/v5, the HiveMQ client and the
 * mosquitto command-line clients as users run them; every "not forwarded" is fenced by a later message that is.
 */
class AclIT extends Clients {
    private static final String RULES = "# anonymous clients: nothing but the public topics\n"
            + "topic read public/#\n"
            + "user alice\n"
            + "topic read plant/#\n"
            + "topic deny plant/secret/#\n"
            + "user pub\n"
            + "topic write #\n";

    @TempDir
    Path dir;

    private TestBroker aclBroker() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), RULES);
        return broker(Map.of("acl_file", file.toString()));
    }

    private static Packet.Subscription sub(String filter) {
        return new Packet.Subscription(filter, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }

    private RawMqttClient rawAs(TestBroker broker, ProtocolVersion version, String clientId, String username)
            throws Exception {
        return raw(broker, new Packet.Connect(version, clientId, true, 60, username, null, null, Properties.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void deniedSubscribeAndPublishCarryTheExactCodes(ProtocolVersion version) throws Exception {
        TestBroker broker = aclBroker();
        boolean v5 = version == ProtocolVersion.MQTT_5;
        RawMqttClient alice = rawAs(broker, version, "alice-1", "alice");
        // Act: one granted filter, one outside every grant, one wholly denied.
        alice.send(new Packet.Subscribe(
                1, List.of(sub("plant/+/temp"), sub("office/#"), sub("plant/secret/#")), Properties.EMPTY));
        // Assert: 0x87 Not authorized (MQTT 5.0 section 3.9.3); 3.1.1 has only 0x80 Failure [MQTT-3.9.3-2].
        List<ReasonCode> reasons = alice.receive(Packet.SubAck.class).reasons();
        assertEquals(ReasonCode.GRANTED_QOS_1, reasons.get(0));
        assertEquals(v5 ? 0x87 : 0x80, reasons.get(1).value());
        assertEquals(v5 ? 0x87 : 0x80, reasons.get(2).value());
        // Act: alice may read plant/#, not write it.
        alice.send(new Packet.Publish(
                "plant/a/temp", QoS.AT_LEAST_ONCE, false, false, 2, Properties.EMPTY, new byte[] {1}));
        Packet.PubAck ack = alice.receive(Packet.PubAck.class);
        alice.send(new Packet.Publish(
                "plant/b/temp", QoS.EXACTLY_ONCE, false, false, 3, Properties.EMPTY, new byte[] {2}));
        Packet.PubRec rec = alice.receive(Packet.PubRec.class);
        // Assert [MQTT-3.4.2-1], [MQTT-3.5.2-1]: 5.0 says 0x87; 3.1.1 acknowledges, as mosquitto does.
        assertEquals(2, ack.packetId());
        assertEquals(v5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS, ack.reason());
        assertEquals(3, rec.packetId());
        assertEquals(v5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS, rec.reason());
        if (!v5) {
            // The 3.1.1 QoS 2 exchange completes as usual [MQTT-4.3.3-11].
            alice.send(new Packet.PubRel(3, ReasonCode.SUCCESS, Properties.EMPTY));
            assertEquals(3, alice.receive(Packet.PubComp.class).packetId());
        }
        // Assert: neither was forwarded: alice's own granted subscription sees only the fence.
        RawMqttClient pub = rawAs(broker, version, "pub-1", "pub");
        pub.send(new Packet.Publish(
                "plant/c/temp", QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY, new byte[] {3}));
        pub.receive(Packet.PubAck.class);
        assertEquals("plant/c/temp", alice.receive(Packet.Publish.class).topic());
        assertEquals(2, broker.stats().aclDeniedPublish());
        assertEquals(2, broker.stats().aclDeniedSubscribe());
    }

    @Test
    void paho5SeesNotAuthorizedAndReceivesOnlyWhatItMayRead() throws Exception {
        TestBroker broker = aclBroker();
        MqttConnectionOptions aliceOptions = options5(true, 0);
        aliceOptions.setUserName("alice");
        Received got = new Received();
        org.eclipse.paho.mqttv5.client.MqttClient alice = paho5(broker, "alice-5", aliceOptions, got);
        // Act
        int[] codes = alice.subscribe(
                        new MqttSubscription[] {new MqttSubscription("plant/#", 1), new MqttSubscription("office/#", 1)
                        })
                .getReasonCodes();
        MqttConnectionOptions pubOptions = options5(true, 0);
        pubOptions.setUserName("pub");
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub-5", pubOptions, null);
        pub.publish("plant/secret/valve", utf8("hidden"), 1, false);
        pub.publish("plant/pump", utf8("fence"), 1, false);
        // Assert
        assertEquals(1, codes[0]);
        assertEquals(0x87, codes[1]);
        got.expect("plant/pump", "fence"); // the first message that arrives
        assertEquals(1, broker.stats().aclDeniedDelivery());
    }

    @Test
    void hiveMqSeesNotAuthorizedOnSubscribeAndPublish() throws Exception {
        TestBroker broker = aclBroker();
        Mqtt5BlockingClient alice = hive5(broker, "alice-hive");
        alice.connectWith()
                .simpleAuth()
                .username("alice")
                .applySimpleAuth()
                .cleanStart(true)
                .send();
        // Act
        Mqtt5SubAckException subscribe = assertThrows(
                Mqtt5SubAckException.class,
                () -> alice.subscribeWith()
                        .topicFilter("office/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send());
        Mqtt5PubAckException publish = assertThrows(
                Mqtt5PubAckException.class,
                () -> alice.publishWith()
                        .topic("plant/x")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(utf8("not mine to write"))
                        .send());
        // Assert
        assertEquals(
                List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED),
                subscribe.getMqttMessage().getReasonCodes());
        assertEquals(
                Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish.getMqttMessage().getReasonCode());
    }

    @Test
    void paho3IsAcknowledgedButNotForwardedAndReceivesOnlyWhatItMayRead() throws Exception {
        TestBroker broker = aclBroker();
        MqttConnectOptions aliceOptions = options3(true);
        aliceOptions.setUserName("alice");
        Received got = new Received();
        org.eclipse.paho.client.mqttv3.MqttClient alice = paho3(broker, "alice-3", aliceOptions, got);
        alice.subscribe("plant/#", 1);
        // Act: alice publishes where she may only read (acknowledged; Paho returns normally).
        alice.publish("plant/own", utf8("not forwarded"), 1, false);
        MqttConnectOptions pubOptions = options3(true);
        pubOptions.setUserName("pub");
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub-3", pubOptions, null);
        pub.publish("plant/secret/valve", utf8("hidden"), 1, false);
        pub.publish("plant/pump", utf8("fence"), 1, false);
        // Assert
        got.expect("plant/pump", "fence");
        assertEquals(1, broker.stats().aclDeniedPublish());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoClientsAreRefusedAsTheAclSays(String version) throws Exception {
        TestBroker broker = aclBroker();
        // Act: an anonymous mosquitto_sub on a topic outside the anonymous section.
        Run sub = run(broker, "mosquitto_sub", "-V", version, "-t", "plant/#", "-E", "-W", "5");
        // Act: alice publishes where she may only read.
        Run pub = run(broker, "mosquitto_pub", "-V", version, "-u", "alice", "-q", "1", "-t", "plant/x", "-m", "m");
        // Assert: mosquitto_sub reports the failed SUBACK (0x87, 3.1.1: 0x80).
        assertTrue(sub.output.contains("All subscription requests were denied."), sub.toString());
        // Assert: 5.0 mosquitto_pub reports 0x87; 3.1.1 is acknowledged.
        if (version.equals("mqttv5")) {
            assertTrue(pub.output.contains("Not authorized"), pub.toString());
        } else {
            assertEquals(0, pub.exitCode, pub.toString());
            assertEquals("", pub.output.strip(), pub.toString());
        }
        assertEquals(1, broker.stats().aclDeniedPublish());
        assertEquals(1, broker.stats().aclDeniedSubscribe());
    }

    private record Run(int exitCode, String output) {}

    private static Run run(TestBroker broker, String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(tool, "-h", broker.host(), "-p", Integer.toString(broker.port()), "-i", tool + "-acl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(tool + " did not finish: " + command);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
