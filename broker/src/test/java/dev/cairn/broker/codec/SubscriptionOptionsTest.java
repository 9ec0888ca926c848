package dev.cairn.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: one options type from the wire to the journal: every valid options byte survives the
 * journal's form (which is the wire's byte), invalid ones are refused, and a decoded SUBSCRIBE
 * gives every entry the packet's Subscription Identifier. Method: round-trip every byte 0-255
 * through {@link SubscriptionOptions#fromByte} and {@link SubscriptionOptions#toByte}; decode a
 * 5.0 SUBSCRIBE with an identifier and two filters.
 */
class SubscriptionOptionsTest {
    @Test
    void everyValidOptionsByteRoundTripsAndEveryInvalidOneIsRefused() {
        int valid = 0;
        for (int b = 0; b <= 0xFF; b++) {
            boolean isValid = (b & 0xC0) == 0 && (b & 0b11) != 3 && ((b >> 4) & 0b11) != 3;
            if (!isValid) {
                int invalid = b;
                assertThrows(IllegalArgumentException.class, () -> SubscriptionOptions.fromByte(invalid, 0));
                continue;
            }
            SubscriptionOptions options = SubscriptionOptions.fromByte(b, 7);
            assertEquals(b, options.toByte(), Integer.toHexString(b));
            assertEquals(7, options.subscriptionId());
            valid++;
        }
        assertEquals(3 * 2 * 2 * 3, valid, "QoS 0-2, No Local, Retain As Published, Retain Handling 0-2");
        assertEquals(
                new SubscriptionOptions(QoS.EXACTLY_ONCE, true, false, RetainHandling.DO_NOT_SEND, 0),
                SubscriptionOptions.fromByte(0x02 | 0x04 | 0x20, 0),
                "bit layout of MQTT 5.0 section 3.8.3.1");
    }

    @Test
    void grantingAnotherQosKeepsTheOtherOptions() {
        SubscriptionOptions asked =
                new SubscriptionOptions(QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND, 9);
        assertEquals(
                new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND, 9),
                asked.withQos(QoS.AT_LEAST_ONCE));
    }

    /** The identifier is associated with every subscription the SUBSCRIBE makes (MQTT 5.0 3.8.2.1.2). */
    @Test
    void aDecodedSubscribeGivesEveryEntryThePacketsSubscriptionIdentifier() {
        // SUBSCRIBE id 5, properties: Subscription Identifier (0x0B) 300 = AC 02; "a" options 0x01, "b" 0x2E.
        ByteBuf body = Unpooled.wrappedBuffer(
                new byte[] {0x00, 0x05, 0x03, 0x0B, (byte) 0xAC, 0x02, 0x00, 0x01, 'a', 0x01, 0x00, 0x01, 'b', 0x2E});
        Object decoded = new PacketDecoder(Role.SERVER).decode(0x82, body, ProtocolVersion.MQTT_5);
        body.release();
        Packet.Subscribe subscribe = assertInstanceOf(Packet.Subscribe.class, decoded, () -> "got " + decoded);
        assertEquals(
                List.of(
                        new Packet.Subscription(
                                "a",
                                new SubscriptionOptions(
                                        QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 300)),
                        new Packet.Subscription(
                                "b",
                                new SubscriptionOptions(
                                        QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND, 300))),
                subscribe.subscriptions());
    }
}
