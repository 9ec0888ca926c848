package dev.cairn.broker.wire;

import static dev.cairn.broker.wire.Frames.packet;
import static dev.cairn.broker.wire.Frames.utf8;
import static dev.cairn.broker.wire.Outcome.accepted;
import static dev.cairn.broker.wire.Outcome.answeredAndOpen;
import static dev.cairn.broker.wire.Outcome.closed;
import static dev.cairn.broker.wire.WireCase.afterConnect;
import static dev.cairn.broker.wire.WireCase.first;

import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT 3.1 ("MQIsdp", protocol level 3) where it differs from 3.1.1: in 3.1 every fixed header
 * carries DUP, QoS and RETAIN bits, unused outside PUBLISH, and a client sets DUP on a re-sent
 * PUBREL, SUBSCRIBE or UNSUBSCRIBE; bit 0 of the connect flags is unused, not reserved. The
 * rules that refuse those bits, [MQTT-2.2.2-2] and [MQTT-3.1.2-3], are 3.1.1's (its table rows
 * show them), so a 3.1 client that sets them is served. What both versions refuse is closed
 * without an answer, as in 3.1.1. The 3.1 specification has no normative statement ids; rows
 * cite its section numbers or the 3.1.1 rule that does not apply.
 */
class Mqtt31InputTest {
    private static final String VALID_CONNECT = connect("02", utf8("w"));

    private static TestBroker broker;
    private static WireHarness harness;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
        harness = new WireHarness(broker, ProtocolVersion.MQTT_3_1, VALID_CONNECT);
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mqtt31IsCheckedByItsOwnRules(WireCase row) throws IOException {
        harness.run(row);
    }

    /** A 3.1 CONNECT with the given connect flags, keep alive 60 and the payload fields. */
    private static String connect(String flags, String... payload) {
        return packet("10", utf8("MQIsdp"), "03", flags, "00 3C", String.join(" ", payload));
    }

    static Stream<WireCase> rows() {
        return Stream.of(
                first("not MQTT-2.2.2-2", "CONNECT fixed header flags 0001 (QoS 0, RETAIN) are unused in 3.1",
                        packet("11", utf8("MQIsdp"), "03 02 00 3C", utf8("w")), accepted()),
                first("not MQTT-2.2.2-2", "CONNECT fixed header flags 1000 (DUP) are unused in 3.1",
                        packet("18", utf8("MQIsdp"), "03 02 00 3C", utf8("w")), accepted()),
                first("not MQTT-3.1.2-3", "CONNECT flag bit 0 is unused in 3.1, not reserved", connect("03", utf8("w")),
                        accepted()),
                first("MQTT-3.1.0-1", "first packet is PINGREQ", "C0 00", closed()),
                first("3.1.1 §1.5.3", "client id contains the control character U+0001, as in 3.1.1",
                        connect("02", Frames.lengthPrefixed("61 01")), closed()),
                afterConnect("not MQTT-3.6.1-1", "PUBREL with DUP set (1010): a re-sent PUBREL, answered",
                        "6A 02 00 09", answeredAndOpen("70 02 00 09")),
                afterConnect("not MQTT-3.8.1-1", "SUBSCRIBE with DUP set (1010): a re-sent SUBSCRIBE, answered",
                        packet("8A", "00 01", utf8("a/b"), "00"), answeredAndOpen("90 03 00 01 00")),
                afterConnect("not MQTT-3.10.1-1", "UNSUBSCRIBE with DUP set (1010): a re-sent UNSUBSCRIBE, answered",
                        packet("AA", "00 01", utf8("a/b")), answeredAndOpen("B0 02 00 01")),
                afterConnect("not MQTT-2.2.2-2", "PINGREQ with flag bits 0001, unused in 3.1", "C1 00",
                        answeredAndOpen("D0 00")),
                afterConnect("§3.3", "PUBLISH with QoS 3 is refused in 3.1 too", packet("36", utf8("a/b"), "00 01 68"),
                        closed()),
                afterConnect("3.1.1 §1.5.3", "PUBLISH topic contains U+001F, as in 3.1.1",
                        packet("30", Frames.lengthPrefixed("61 1F"), "68"), closed()),
                afterConnect("MQTT-3.1.0-2", "second CONNECT", VALID_CONNECT, closed()));
    }
}
