package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.properties;
import static dev.cairn.broker.wire.Frames.utf8;
import static dev.cairn.broker.wire.WireHarness.assertAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes the broker (default settings) sends for well-formed input: CONNACK, PINGRESP,
 * SUBACK, UNSUBACK and the publish acknowledgements, in 3.1.1 and 5.0. Byte-exact on purpose:
 * clients parse these, so a change in field order or an extra property is a wire change.
 */
class BrokerAnswersIT {
    /** A well-formed filter of 129 levels, one more than the default topic_levels_max of 128. */
    private static final String OVER_LEVEL_LIMIT = "l/".repeat(128) + "l";

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    private static String connect311(String clientId) {
        return packet("10", utf8("MQTT"), "04 02 00 3C", utf8(clientId));
    }

    private static String connect5(String clientId) {
        return packet("10", utf8("MQTT"), "05 02 00 3C", properties(), utf8(clientId));
    }

    private static RawMqttClient connected311(String clientId) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
        client.sendHex(connect311(clientId));
        assertAnswer(client, "20 02 00 00");
        return client;
    }

    private static RawMqttClient connected5(String clientId) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5);
        WireHarness.connect(client, connect5(clientId));
        return client;
    }

    @Test
    void connAck311IsSessionPresent0ReturnCode0() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            client.sendHex(connect311("a311"));
            assertAnswer(client, "20 02 00 00");
        }
    }

    /** Every limit and capability we advertise, in the encoder's property order (table 2-4 ids). */
    @Test
    void connAck5AdvertisesOurLimitsAndCapabilities() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            client.sendHex(connect5("a5"));
            assertAnswer(
                    client,
                    "20 16 00 00 13" // CONNACK, Session Present 0, Success, 19 bytes of properties
                            + " 21 03 E8" // Receive Maximum 1000 (inflight_inbound_max)
                            + " 22 04 00" // Topic Alias Maximum 1024
                            + " 25 01" // Retain Available
                            + " 27 00 10 00 00" // Maximum Packet Size 1048576 (packet_size_max_bytes)
                            + " 28 01" // Wildcard Subscription Available
                            + " 29 01" // Subscription Identifier Available
                            + " 2A 01"); // Shared Subscription Available
        }
    }

    @Test
    void connAck5AssignsAClientIdentifierWhenTheClientSentNone() throws IOException {
        try (RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            Packet.ConnAck ack = WireHarness.connect(client, connect5(""));
            String assigned = ack.properties().assignedClientIdentifier();
            assertTrue(assigned != null && assigned.startsWith("cairn-"), "Assigned Client Identifier " + assigned);
        }
    }

    @Test
    void pingReqIsAnsweredWithD000InBothVersions() throws IOException {
        try (RawMqttClient v3 = connected311("ping3");
                RawMqttClient v5 = connected5("ping5")) {
            v3.sendHex("C0 00");
            assertAnswer(v3, "D0 00");
            v5.sendHex("C0 00");
            assertAnswer(v5, "D0 00");
        }
    }

    /**
     * One return code per filter, in order [MQTT-3.9.3-1]: granted QoS 0, 1, 2, then failure for a
     * well-formed filter over a configured limit. (A malformed filter is no failure code: it ends
     * the connection, see the malformed-input tables.)
     */
    @Test
    void subAck311CarriesOneReturnCodePerFilter() throws IOException {
        try (RawMqttClient client = connected311("sub3")) {
            client.sendHex(packet(
                    "82",
                    "00 07",
                    utf8("a/b"),
                    "00",
                    utf8("c/#"),
                    "01",
                    utf8("d/+"),
                    "02",
                    utf8(OVER_LEVEL_LIMIT),
                    "01"));
            assertAnswer(client, "90 06 00 07 00 01 02 80");
        }
    }

    @Test
    void subAck5CarriesOneReasonCodePerFilter() throws IOException {
        try (RawMqttClient client = connected5("sub5")) {
            client.sendHex(packet(
                    "82",
                    "00 07",
                    properties(),
                    utf8("a/b"),
                    "00",
                    utf8("c/#"),
                    "01",
                    utf8("d/+"),
                    "02",
                    utf8(OVER_LEVEL_LIMIT),
                    "01"));
            assertAnswer(client, "90 07 00 07 00 00 01 02 8F"); // 0x8F: Topic Filter invalid (well formed, not allowed)
        }
    }

    @Test
    void unsubAckCarriesNoSubscriptionExistedIn5AndOnlyThePacketIdIn311() throws IOException {
        try (RawMqttClient v3 = connected311("unsub3");
                RawMqttClient v5 = connected5("unsub5")) {
            v3.sendHex(packet("A2", "00 08", utf8("never/subscribed")));
            assertAnswer(v3, "B0 02 00 08");
            v5.sendHex(packet("A2", "00 08", properties(), utf8("never/subscribed")));
            assertAnswer(v5, "B0 04 00 08 00 11"); // 0x11: No subscription existed
        }
    }

    @Test
    void pubAck5Is0x10WhenNobodySubscribed() throws IOException {
        try (RawMqttClient client = connected5("lonely5")) {
            client.sendHex(packet("32", utf8("nobody/listens"), "00 01", properties(), "68 69"));
            assertAnswer(client, "40 03 00 01 10"); // 0x10: No matching subscribers
        }
    }

    @Test
    void pubAckIsPlainSuccessWhenSomeoneSubscribed() throws IOException {
        try (RawMqttClient subscriber = connected311("listener");
                RawMqttClient v3 = connected311("pub3");
                RawMqttClient v5 = connected5("pub5")) {
            subscriber.sendHex(packet("82", "00 01", utf8("heard/#"), "00"));
            assertAnswer(subscriber, "90 03 00 01 00");
            v5.sendHex(packet("32", utf8("heard/5"), "00 01", properties(), "68"));
            assertAnswer(v5, "40 02 00 01"); // Success without properties: the short form [3.4.2.1]
            v3.sendHex(packet("32", utf8("heard/3"), "00 01", "68"));
            assertAnswer(v3, "40 02 00 01");
        }
    }

    @Test
    void qos2FlowAnswersPubRecThenPubComp() throws IOException {
        try (RawMqttClient v3 = connected311("qos2-3");
                RawMqttClient v5 = connected5("qos2-5")) {
            v3.sendHex(packet("34", utf8("q2/3"), "00 05", "68"));
            assertAnswer(v3, "50 02 00 05");
            v3.sendHex("62 02 00 05");
            assertAnswer(v3, "70 02 00 05");
            v5.sendHex(packet("34", utf8("q2/5"), "00 05", properties(), "68"));
            assertAnswer(v5, "50 03 00 05 10");
            v5.sendHex("62 02 00 05");
            assertAnswer(v5, "70 02 00 05");
        }
    }

    /** A PUBREL for an id the broker never received: 5.0 says so (0x92), 3.1.1 just completes. */
    @Test
    void pubRelForAnUnknownPacketIdIsCompleted() throws IOException {
        try (RawMqttClient v3 = connected311("rel3");
                RawMqttClient v5 = connected5("rel5")) {
            v3.sendHex("62 02 00 09");
            assertAnswer(v3, "70 02 00 09");
            v5.sendHex("62 02 00 09");
            assertAnswer(v5, "70 03 00 09 92"); // 0x92: Packet Identifier not found
        }
    }

    /**
     * Acks for a packet id with nothing in flight are tolerated (a late duplicate after a
     * reconnect is normal), unlike an ack of the wrong stage, which ends the connection. PUBREC
     * still gets PUBREL: 3.1.1's sender rule answers every PUBREC so [MQTT-4.3.3-1]; 5.0 says the
     * id is unknown (0x92). PUBACK and PUBCOMP get nothing, so the PINGRESP comes next.
     */
    @Test
    void acksForAnIdWithNothingInFlightAreTolerated() throws IOException {
        try (RawMqttClient v3 = connected311("acks3");
                RawMqttClient v5 = connected5("acks5")) {
            v3.sendHex("50 02 00 09 40 02 00 0A 70 02 00 0B C0 00");
            assertAnswer(v3, "62 02 00 09 D0 00");
            v5.sendHex("50 02 00 09 40 02 00 0A 70 02 00 0B C0 00");
            assertAnswer(v5, "62 03 00 09 92 D0 00");
        }
    }

    /**
     * Answers leave in the order their packets came, also when one of them (PUBCOMP of a session
     * that journals nothing) may leave before the turn's sync: pipelined in one write, so one turn
     * answers them all, PUBREC precedes the PUBCOMP that completes it, and a PUBCOMP never
     * overtakes a PUBACK waiting for its message's sync.
     */
    @Test
    void answersToPipelinedPacketsKeepTheirOrderWhateverTheyWaitFor() throws IOException {
        try (RawMqttClient v3 = connected311("pipe3")) {
            v3.sendHex(packet("34", utf8("pipe/a"), "00 07", "78") + " 62 02 00 07"); // PUBLISH QoS 2, PUBREL
            assertAnswer(v3, "50 02 00 07");
            assertAnswer(v3, "70 02 00 07");

            v3.sendHex(packet("32", utf8("pipe/b"), "00 08", "78") + " 62 02 00 09"); // PUBLISH QoS 1, PUBREL
            assertAnswer(v3, "40 02 00 08");
            assertAnswer(v3, "70 02 00 09");

            v3.sendHex("62 02 00 0A " + packet("32", utf8("pipe/c"), "00 0B", "78")); // PUBREL, PUBLISH QoS 1
            assertAnswer(v3, "70 02 00 0A");
            assertAnswer(v3, "40 02 00 0B");
        }
    }

    @Test
    void disconnectIsAnsweredByCloseOnly() throws IOException {
        try (RawMqttClient v3 = connected311("bye3");
                RawMqttClient v5 = connected5("bye5")) {
            v3.sendHex("E0 00");
            assertEquals(0, v3.awaitClose(WireHarness.ANSWER_TIMEOUT).size());
            v5.sendHex("E0 00");
            assertEquals(0, v5.awaitClose(WireHarness.ANSWER_TIMEOUT).size());
        }
    }
}
