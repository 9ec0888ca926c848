package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that breaks a rule after CONNECT gets DISCONNECT with the reason (5.0, section 4.13)
 * or a plain close (3.1.1, section 4.8), its will is published, and the broker serves everyone
 * else as before. Byte-level detail lives in the wire tests; these check the behaviour a
 * connected client observes.
 */
class ProtocolErrorIT extends Clients {

    private void expectDisconnect(TestBroker broker, ReasonCode reason, Packet offending) throws Exception {
        RawMqttClient client = raw(broker, ProtocolVersion.MQTT_5, "bad-" + reason.name());
        client.send(offending);
        assertEquals(reason, client.receive(Packet.Disconnect.class).reason(), "for " + offending);
        client.awaitClose(TIMEOUT);
    }

    @Test
    void mqtt5ProtocolErrorsGetDisconnectWithTheirReasonCode() throws Exception {
        TestBroker broker = broker();
        // Topic alias above the Topic Alias Maximum we sent [MQTT-3.3.2-9].
        expectDisconnect(
                broker,
                ReasonCode.TOPIC_ALIAS_INVALID,
                new Packet.Publish(
                        "t",
                        QoS.AT_MOST_ONCE,
                        false,
                        false,
                        0,
                        Properties.builder().topicAlias(60_000).build(),
                        utf8("x")));
        // An empty topic with an alias never set (section 3.3.2.3.4).
        expectDisconnect(
                broker,
                ReasonCode.PROTOCOL_ERROR,
                new Packet.Publish(
                        "",
                        QoS.AT_MOST_ONCE,
                        false,
                        false,
                        0,
                        Properties.builder().topicAlias(3).build(),
                        utf8("x")));
        // Wildcards in a topic name [MQTT-3.3.2-2].
        expectDisconnect(broker, ReasonCode.TOPIC_NAME_INVALID, publish("a/+/b", QoS.AT_MOST_ONCE, 0, "x"));
        // No Local on a shared subscription [MQTT-3.8.3-4].
        expectDisconnect(
                broker,
                ReasonCode.PROTOCOL_ERROR,
                new Packet.Subscribe(
                        1,
                        List.of(new Packet.Subscription(
                                "$share/g/t", QoS.AT_MOST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                        Properties.EMPTY));
        // A second CONNECT [MQTT-3.1.0-2].
        expectDisconnect(
                broker, ReasonCode.PROTOCOL_ERROR, connect(ProtocolVersion.MQTT_5, "again", true, Properties.EMPTY));
    }

    @Test
    void malformedPublishGetsDisconnectMalformedPacket() throws Exception {
        TestBroker broker = broker();
        RawMqttClient client = raw(broker, ProtocolVersion.MQTT_5, "qos3");
        // Act: PUBLISH with both QoS bits set [MQTT-3.3.1-4]: topic "t", no properties.
        client.sendHex("36 05 00 01 74 00 00");
        // Assert
        assertEquals(
                ReasonCode.MALFORMED_PACKET,
                client.receive(Packet.Disconnect.class).reason());
        client.awaitClose(TIMEOUT);
    }

    @Test
    void mqtt311ProtocolErrorClosesTheConnectionAndPublishesTheWill() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho3(broker, "watcher", watcher).subscribe("will/#", 1);
        RawMqttClient bad = raw(
                broker,
                new Packet.Connect(
                        ProtocolVersion.MQTT_3_1_1,
                        "bad",
                        true,
                        60,
                        null,
                        null,
                        new Packet.Will("will/bad", utf8("broke a rule"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY),
                        Properties.EMPTY));
        // Act
        bad.send(publish("a/#", QoS.AT_MOST_ONCE, 0, "x"));
        // Assert: closed without a DISCONNECT (3.1.1 has none from the server), will published
        // because the close was not caused by a DISCONNECT [MQTT-3.1.2-8].
        assertEquals(0, bad.awaitClose(TIMEOUT).size());
        watcher.expect("will/bad", "broke a rule");
        // Others are served as before.
        paho3(broker, "after", null).publish("will/after", utf8("ok"), 1, false);
        watcher.expect("will/after", "ok");
    }
}
