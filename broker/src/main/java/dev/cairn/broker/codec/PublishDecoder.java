package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyScope;
import dev.cairn.protocol.TopicSyntax;

/** Decodes PUBLISH and its acknowledgements PUBACK, PUBREC, PUBREL and PUBCOMP (3.3 to 3.7). */
final class PublishDecoder {
    private static final int DUP_FLAG = 0b1000;
    private static final int RETAIN_FLAG = 0b0001;

    private PublishDecoder() {}

    static Packet.Publish decodePublish(int flags, WireReader reader, ProtocolVersion version, Role role) {
        QoS qos = QoS.fromValue((flags >> 1) & 0b11);
        if (qos == null) {
            throw DecodeFailure.malformed("PUBLISH QoS bits are both 1 [MQTT-3.3.1-4]");
        }
        boolean dup = (flags & DUP_FLAG) != 0;
        if (dup && qos == QoS.AT_MOST_ONCE) {
            throw DecodeFailure.protocolError("PUBLISH DUP flag set on a QoS 0 message [MQTT-3.3.1-2]");
        }
        String topic = reader.readName("topic name");
        if (TopicSyntax.hasWildcard(topic)) {
            throw DecodeFailure.of(ReasonCode.TOPIC_NAME_INVALID, "topic name contains a wildcard [MQTT-3.3.2-2]");
        }
        if (topic.isEmpty() && !version.isV5()) {
            throw DecodeFailure.of(ReasonCode.TOPIC_NAME_INVALID, "topic name is empty [MQTT-4.7.3-1]");
        }
        int packetId = qos == QoS.AT_MOST_ONCE ? 0 : reader.readPacketId();
        Properties properties = Properties.EMPTY;
        if (version.isV5()) {
            properties = PropertiesCodec.read(reader, PropertyScope.PUBLISH);
            checkV5Properties(topic, properties, role);
        }
        byte[] payload = reader.readRemainingBytes();
        return new Packet.Publish(topic, qos, (flags & RETAIN_FLAG) != 0, dup, packetId, properties, payload);
    }

    private static void checkV5Properties(String topic, Properties properties, Role role) {
        if (topic.isEmpty() && properties.topicAlias() == null) {
            throw DecodeFailure.protocolError("topic name is empty and there is no topic alias (3.3.2.3.4)");
        }
        if (role == Role.SERVER && !properties.subscriptionIdentifiers().isEmpty()) {
            throw DecodeFailure.protocolError(
                    "a client must not send a Subscription Identifier in PUBLISH [MQTT-3.3.4-6]");
        }
    }

    /**
     * In MQTT 5 a remaining length of 2 means Success without properties and 3 means a reason
     * without properties (3.4.2.1); MQTT 3.x acknowledgements carry only the packet identifier.
     */
    static Packet decodeAck(PacketType type, WireReader reader, ProtocolVersion version) {
        int packetId = reader.readPacketId();
        ReasonCode reason = ReasonCode.SUCCESS;
        Properties properties = Properties.EMPTY;
        if (version.isV5() && reader.hasRemaining()) {
            reason = reader.readReasonCode(type);
            if (reader.hasRemaining()) {
                properties = PropertiesCodec.read(reader, scopeOf(type));
            }
        }
        switch (type) {
            case PUBACK:
                return new Packet.PubAck(packetId, reason, properties);
            case PUBREC:
                return new Packet.PubRec(packetId, reason, properties);
            case PUBREL:
                return new Packet.PubRel(packetId, reason, properties);
            case PUBCOMP:
                return new Packet.PubComp(packetId, reason, properties);
            default:
                throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        }
    }

    /** Where an acknowledgement's properties stand in table 2-4. */
    private static PropertyScope scopeOf(PacketType ack) {
        switch (ack) {
            case PUBACK:
                return PropertyScope.PUBACK;
            case PUBREC:
                return PropertyScope.PUBREC;
            case PUBREL:
                return PropertyScope.PUBREL;
            case PUBCOMP:
                return PropertyScope.PUBCOMP;
            default:
                throw new IllegalArgumentException(ack + " is not a publish acknowledgement");
        }
    }
}
