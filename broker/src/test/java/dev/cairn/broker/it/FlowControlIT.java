package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flow control (section 4.9) and the client's Maximum Packet Size: the broker never has more
 * unacknowledged QoS 1/2 PUBLISHes out than the client's Receive Maximum, cuts off a client
 * that exceeds the broker's, and never sends a packet larger than the client allows.
 *
 * <p>"Nothing more arrives" is proven with PINGREQ: once the publisher holds its PUBACKs every
 * message has been routed, and any PUBLISH the broker were going to send would precede the
 * PINGRESP.
 */
class FlowControlIT extends Clients {

    private static void publishQos1(RawMqttClient pub, String topic, int count, int payloadBytes) throws Exception {
        for (int i = 1; i <= count; i++) {
            pub.send(new Packet.Publish(
                    topic, QoS.AT_LEAST_ONCE, false, false, i, Properties.EMPTY, new byte[payloadBytes]));
        }
        for (int i = 1; i <= count; i++) {
            pub.receive(Packet.PubAck.class);
        }
    }

    static void expectNothingMore(RawMqttClient client) throws Exception {
        client.send(new Packet.PingReq());
        client.receive(Packet.PingResp.class);
    }

    @Test
    void brokerSendsNoMoreThanTheClientsReceiveMaximum() throws Exception {
        TestBroker broker = broker();
        RawMqttClient sub = raw(
                broker,
                connect(
                        ProtocolVersion.MQTT_5,
                        "slow",
                        true,
                        Properties.builder().receiveMaximum(2).build()));
        subscribeRaw(sub, 1, "flow", QoS.AT_LEAST_ONCE);
        // Act
        publishQos1(raw(broker, ProtocolVersion.MQTT_5, "pub"), "flow", 10, 1);
        // Assert: two, then nothing until one is acknowledged [MQTT-3.3.4-9].
        Packet.Publish first = sub.receive(Packet.Publish.class);
        sub.receive(Packet.Publish.class);
        expectNothingMore(sub);
        sub.send(new Packet.PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        sub.receive(Packet.Publish.class);
        expectNothingMore(sub);
    }

    @Test
    void clientExceedingTheBrokersReceiveMaximumIsDisconnected() throws Exception {
        TestBroker broker = broker(Map.of("inflight_inbound_max", "2"));
        RawMqttClient greedy = raw(broker, ProtocolVersion.MQTT_5, "greedy");
        // Act: three QoS 2 PUBLISHes, no PUBREL.
        for (int i = 1; i <= 3; i++) {
            greedy.send(new Packet.Publish("flood", QoS.EXACTLY_ONCE, false, false, i, Properties.EMPTY, utf8("x")));
        }
        // Assert: DISCONNECT 0x93 Receive Maximum exceeded [MQTT-3.3.4-7], then close.
        greedy.receive(Packet.PubRec.class);
        greedy.receive(Packet.PubRec.class);
        assertEquals(
                ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                greedy.receive(Packet.Disconnect.class).reason());
        greedy.awaitClose(TIMEOUT);
    }

    @Test
    void mqtt311ClientExceedingInflightInboundMaxIsClosed() throws Exception {
        // 3.1.1 cannot be told a Receive Maximum, but inflight_inbound_max still bounds what a
        // client may leave unfinished; otherwise its QoS 2 packet ids would pile up without limit.
        TestBroker broker = broker(Map.of("inflight_inbound_max", "2"));
        RawMqttClient greedy = raw(broker, ProtocolVersion.MQTT_3_1_1, "greedy");
        // Act
        for (int i = 1; i <= 3; i++) {
            greedy.send(new Packet.Publish("flood", QoS.EXACTLY_ONCE, false, false, i, Properties.EMPTY, utf8("x")));
        }
        // Assert: two PUBRECs, then the connection is closed.
        greedy.receive(Packet.PubRec.class);
        greedy.receive(Packet.PubRec.class);
        assertEquals(0, greedy.awaitClose(TIMEOUT).size());
    }

    @Test
    void completedQos2ExchangesFreeTheInboundWindow() throws Exception {
        TestBroker broker = broker(Map.of("inflight_inbound_max", "2"));
        RawMqttClient steady = raw(broker, ProtocolVersion.MQTT_5, "steady");
        // Act: many QoS 2 PUBLISHes, each completed with PUBREL before the window fills.
        for (int i = 1; i <= 10; i++) {
            steady.send(new Packet.Publish("ok", QoS.EXACTLY_ONCE, false, false, i, Properties.EMPTY, utf8("x")));
            steady.receive(Packet.PubRec.class);
            steady.send(new Packet.PubRel(i, ReasonCode.SUCCESS, Properties.EMPTY));
            steady.receive(Packet.PubComp.class);
        }
        // Assert: still connected.
        expectNothingMore(steady);
    }

    @Test
    void messageLargerThanTheClientsMaximumPacketSizeIsNotSentButTheNextSmallOneIs() throws Exception {
        TestBroker broker = broker();
        RawMqttClient small = raw(
                broker,
                connect(
                        ProtocolVersion.MQTT_5,
                        "small",
                        true,
                        Properties.builder().maximumPacketSizeBytes(100L).build()));
        subscribeRaw(small, 1, "size", QoS.AT_LEAST_ONCE);
        RawMqttClient pub = raw(broker, ProtocolVersion.MQTT_5, "pub");
        // Act
        pub.send(new Packet.Publish("size", QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY, new byte[1000]));
        pub.send(new Packet.Publish("size", QoS.AT_LEAST_ONCE, false, false, 2, Properties.EMPTY, utf8("tiny")));
        // Assert: the big one is discarded as if delivered [MQTT-3.1.2-25]; the small one arrives.
        Packet.Publish got = small.receive(Packet.Publish.class);
        assertEquals("tiny", text(got.payload()));
        small.send(new Packet.PubAck(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        expectNothingMore(small);
    }
}
