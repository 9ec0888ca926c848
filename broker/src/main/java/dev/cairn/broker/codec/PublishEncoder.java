package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;

/** Encodes PUBLISH and its acknowledgements PUBACK, PUBREC, PUBREL and PUBCOMP. */
final class PublishEncoder {
    private PublishEncoder() {}

    /** The fields the four acknowledgements share, so one encoder serves them all. */
    record Ack(int packetId, ReasonCode reason, Properties properties) {
        static Ack of(Packet packet) {
            switch (packet.type()) {
                case PUBACK:
                    Packet.PubAck pubAck = (Packet.PubAck) packet;
                    return new Ack(pubAck.packetId(), pubAck.reason(), pubAck.properties());
                case PUBREC:
                    Packet.PubRec pubRec = (Packet.PubRec) packet;
                    return new Ack(pubRec.packetId(), pubRec.reason(), pubRec.properties());
                case PUBREL:
                    Packet.PubRel pubRel = (Packet.PubRel) packet;
                    return new Ack(pubRel.packetId(), pubRel.reason(), pubRel.properties());
                case PUBCOMP:
                    Packet.PubComp pubComp = (Packet.PubComp) packet;
                    return new Ack(pubComp.packetId(), pubComp.reason(), pubComp.properties());
                default:
                    throw new IllegalArgumentException(packet.type() + " is not a publish acknowledgement");
            }
        }
    }

    static int publishFlags(Packet.Publish publish) {
        return (publish.dup() ? 0b1000 : 0) | (publish.qos().value() << 1) | (publish.retain() ? 1 : 0);
    }

    static int publishLength(Packet.Publish publish, ProtocolVersion version) {
        int length = WireWriter.utf8StringSize(publish.topic()) + publish.payload().length;
        if (publish.qos() != QoS.AT_MOST_ONCE) {
            length += 2;
        }
        if (version.isV5()) {
            length += PropertiesCodec.encodedSize(publish.properties());
        }
        return length;
    }

    static void writePublish(Packet.Publish publish, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeUtf8String(out, publish.topic());
        if (publish.qos() != QoS.AT_MOST_ONCE) {
            WireWriter.writeTwoByteInteger(out, publish.packetId());
        }
        if (version.isV5()) {
            PropertiesCodec.write(out, publish.properties());
        }
        out.writeBytes(publish.payload());
    }

    /**
     * MQTT 3.x acknowledgements are the packet identifier alone. MQTT 5 uses the shortest form
     * the spec allows (3.4.2.1): 2 bytes for Success without properties, 3 for another reason
     * without properties.
     */
    static int ackLength(Ack ack, ProtocolVersion version) {
        if (!version.isV5()) {
            return 2;
        }
        int propertiesContent = PropertiesCodec.contentLength(ack.properties());
        if (propertiesContent == 0) {
            return ack.reason() == ReasonCode.SUCCESS ? 2 : 3;
        }
        return 3 + WireWriter.variableByteIntegerSize(propertiesContent) + propertiesContent;
    }

    static void writeAck(Ack ack, ProtocolVersion version, ByteBuf out) {
        int length = ackLength(ack, version);
        WireWriter.writeTwoByteInteger(out, ack.packetId());
        if (length > 2) {
            out.writeByte(ack.reason().value());
        }
        if (length > 3) {
            PropertiesCodec.write(out, ack.properties());
        }
    }
}
