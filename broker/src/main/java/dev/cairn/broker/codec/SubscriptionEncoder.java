package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** Encodes SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK. */
final class SubscriptionEncoder {
    /** The single MQTT 3.1.1 SUBACK failure code [MQTT-3.9.3-2]. */
    private static final int V3_SUBACK_FAILURE = 0x80;

    private SubscriptionEncoder() {}

    static int subscribeLength(Packet.Subscribe subscribe, ProtocolVersion version) {
        int length = 2 + propertiesSize(subscribe.properties(), version);
        for (Packet.Subscription subscription : subscribe.subscriptions()) {
            length += WireWriter.utf8StringSize(subscription.filter()) + 1;
        }
        return length;
    }

    static void writeSubscribe(Packet.Subscribe subscribe, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeTwoByteInteger(out, subscribe.packetId());
        writeProperties(subscribe.properties(), version, out);
        for (Packet.Subscription subscription : subscribe.subscriptions()) {
            WireWriter.writeUtf8String(out, subscription.filter());
            SubscriptionOptions options = subscription.options();
            out.writeByte(version.isV5() ? options.toByte() : options.qos().value());
        }
    }

    static int subAckLength(Packet.SubAck subAck, ProtocolVersion version) {
        return 2
                + propertiesSize(subAck.properties(), version)
                + subAck.reasons().size();
    }

    static void writeSubAck(Packet.SubAck subAck, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeTwoByteInteger(out, subAck.packetId());
        writeProperties(subAck.properties(), version, out);
        for (ReasonCode reason : subAck.reasons()) {
            boolean v3Failure = !version.isV5() && reason.isError();
            out.writeByte(v3Failure ? V3_SUBACK_FAILURE : reason.value());
        }
    }

    static int unsubscribeLength(Packet.Unsubscribe unsubscribe, ProtocolVersion version) {
        int length = 2 + propertiesSize(unsubscribe.properties(), version);
        for (String filter : unsubscribe.filters()) {
            length += WireWriter.utf8StringSize(filter);
        }
        return length;
    }

    static void writeUnsubscribe(Packet.Unsubscribe unsubscribe, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeTwoByteInteger(out, unsubscribe.packetId());
        writeProperties(unsubscribe.properties(), version, out);
        for (String filter : unsubscribe.filters()) {
            WireWriter.writeUtf8String(out, filter);
        }
    }

    /** MQTT 3.x UNSUBACK has no reason codes, so the list is not encoded. */
    static int unsubAckLength(Packet.UnsubAck unsubAck, ProtocolVersion version) {
        return version.isV5()
                ? 2
                        + propertiesSize(unsubAck.properties(), version)
                        + unsubAck.reasons().size()
                : 2;
    }

    static void writeUnsubAck(Packet.UnsubAck unsubAck, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeTwoByteInteger(out, unsubAck.packetId());
        if (version.isV5()) {
            PropertiesCodec.write(out, unsubAck.properties());
            writeReasons(unsubAck.reasons(), out);
        }
    }

    private static void writeReasons(List<ReasonCode> reasons, ByteBuf out) {
        for (ReasonCode reason : reasons) {
            out.writeByte(reason.value());
        }
    }

    private static int propertiesSize(Properties properties, ProtocolVersion version) {
        return version.isV5() ? PropertiesCodec.encodedSize(properties) : 0;
    }

    private static void writeProperties(Properties properties, ProtocolVersion version, ByteBuf out) {
        if (version.isV5()) {
            PropertiesCodec.write(out, properties);
        }
    }
}
