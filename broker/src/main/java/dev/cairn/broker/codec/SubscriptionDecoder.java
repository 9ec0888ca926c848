package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Decodes SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (3.8 to 3.11). */
final class SubscriptionDecoder {
    private SubscriptionDecoder() {}

    static Packet.Subscribe decodeSubscribe(WireReader reader, ProtocolVersion version) {
        int packetId = reader.readPacketId();
        Properties properties = readProperties(reader, version, PropertyScope.SUBSCRIBE);
        // One identifier at most (a second is a Protocol Error, PropertyDecoder), for every
        // subscription the packet makes (MQTT 5.0 section 3.8.2.1.2).
        int subscriptionId = Packet.Subscribe.subscriptionId(properties);
        List<Packet.Subscription> subscriptions = new ArrayList<>();
        while (reader.hasRemaining()) {
            String filter = reader.readName("topic filter");
            int options = reader.readByte("subscription options");
            subscriptions.add(new Packet.Subscription(
                    filter, version.isV5() ? v5Options(options, subscriptionId) : v3Options(options)));
        }
        if (subscriptions.isEmpty()) {
            throw DecodeFailure.protocolError("SUBSCRIBE without topic filters [MQTT-3.8.3-3] (5.0: [MQTT-3.8.3-2])");
        }
        return new Packet.Subscribe(packetId, Collections.unmodifiableList(subscriptions), properties);
    }

    /** MQTT 3.x: only the requested QoS; the upper six bits are reserved [MQTT-3-8.3-4]. */
    private static SubscriptionOptions v3Options(int options) {
        QoS qos = QoS.fromValue(options & 0b11);
        if ((options & 0xFC) != 0 || qos == null) {
            throw DecodeFailure.malformed("requested QoS byte 0x" + Integer.toHexString(options)
                    + " has reserved bits set or QoS 3 [MQTT-3-8.3-4]");
        }
        return SubscriptionOptions.of(qos);
    }

    /**
     * MQTT 5 subscription options (3.8.3.1): bits 6-7 reserved (malformed [MQTT-3.8.3-5]);
     * Maximum QoS 3 and Retain Handling 3 are Protocol Errors.
     */
    private static SubscriptionOptions v5Options(int options, int subscriptionId) {
        if ((options & SubscriptionOptionsByte.RESERVED_BITS) != 0) {
            throw DecodeFailure.malformed("subscription options reserved bits are set [MQTT-3.8.3-5]");
        }
        if (SubscriptionOptionsByte.maxQos(options) == null) {
            throw DecodeFailure.protocolError("subscription maximum QoS is 3 (3.8.3.1)");
        }
        if (SubscriptionOptionsByte.retainHandling(options) == null) {
            throw DecodeFailure.protocolError("subscription retain handling is 3 (3.8.3.1)");
        }
        return SubscriptionOptions.fromByte(options, subscriptionId);
    }

    /** SUBACK carries one reason per filter, so an empty list cannot answer any SUBSCRIBE. */
    static Packet.SubAck decodeSubAck(WireReader reader, ProtocolVersion version) {
        int packetId = reader.readPacketId();
        Properties properties = readProperties(reader, version, PropertyScope.SUBACK);
        List<ReasonCode> reasons = new ArrayList<>();
        while (reader.hasRemaining()) {
            reasons.add(version.isV5() ? reader.readReasonCode(PacketType.SUBACK) : v3SubAckReturnCode(reader));
        }
        if (reasons.isEmpty()) {
            throw DecodeFailure.protocolError("SUBACK without return codes [MQTT-3.9.3-1]");
        }
        return new Packet.SubAck(packetId, Collections.unmodifiableList(reasons), properties);
    }

    /** MQTT 3.1.1 return codes are 0, 1, 2 and 0x80 (failure); others are reserved [MQTT-3.9.3-2]. */
    private static ReasonCode v3SubAckReturnCode(WireReader reader) {
        int code = reader.readByte("return code");
        if (code == 0x80) {
            return ReasonCode.UNSPECIFIED_ERROR;
        }
        QoS qos = QoS.fromValue(code);
        if (qos == null) {
            throw DecodeFailure.protocolError(
                    "SUBACK return code 0x" + Integer.toHexString(code) + " is reserved [MQTT-3.9.3-2]");
        }
        return ReasonCode.granted(qos);
    }

    static Packet.Unsubscribe decodeUnsubscribe(WireReader reader, ProtocolVersion version) {
        int packetId = reader.readPacketId();
        Properties properties = readProperties(reader, version, PropertyScope.UNSUBSCRIBE);
        List<String> filters = new ArrayList<>();
        while (reader.hasRemaining()) {
            filters.add(reader.readName("topic filter"));
        }
        if (filters.isEmpty()) {
            throw DecodeFailure.protocolError("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]");
        }
        return new Packet.Unsubscribe(packetId, Collections.unmodifiableList(filters), properties);
    }

    /** MQTT 3.x UNSUBACK has only the packet identifier; MQTT 5 adds one reason per filter. */
    static Packet.UnsubAck decodeUnsubAck(WireReader reader, ProtocolVersion version) {
        int packetId = reader.readPacketId();
        if (!version.isV5()) {
            return new Packet.UnsubAck(packetId, List.of(), Properties.EMPTY);
        }
        Properties properties = PropertiesCodec.read(reader, PropertyScope.UNSUBACK);
        List<ReasonCode> reasons = new ArrayList<>();
        while (reader.hasRemaining()) {
            reasons.add(reader.readReasonCode(PacketType.UNSUBACK));
        }
        if (reasons.isEmpty()) {
            throw DecodeFailure.protocolError("UNSUBACK without reason codes (3.11.3)");
        }
        return new Packet.UnsubAck(packetId, Collections.unmodifiableList(reasons), properties);
    }

    private static Properties readProperties(WireReader reader, ProtocolVersion version, PropertyScope scope) {
        return version.isV5() ? PropertiesCodec.read(reader, scope) : Properties.EMPTY;
    }
}
