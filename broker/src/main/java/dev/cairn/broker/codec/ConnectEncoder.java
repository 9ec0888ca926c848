package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;

/** Encodes CONNECT and CONNACK. */
final class ConnectEncoder {
    private ConnectEncoder() {}

    /**
     * The version argument decides the encoding; a Connect whose own version disagrees is a bug
     * in the caller, since the peer would parse the rest of the packet differently.
     */
    static int connectLength(Packet.Connect connect, ProtocolVersion version) {
        if (connect.version() != null && connect.version() != version) {
            throw new IllegalArgumentException("CONNECT for " + connect.version() + " encoded as " + version);
        }
        int length = WireWriter.utf8StringSize(version.protocolName()) + 1 + 1 + 2;
        if (version.isV5()) {
            length += PropertiesCodec.encodedSize(connect.properties());
        }
        length += WireWriter.utf8StringSize(connect.clientId());
        Packet.Will will = connect.will();
        if (will != null) {
            if (version.isV5()) {
                length += PropertiesCodec.encodedSize(will.properties());
            }
            length += WireWriter.utf8StringSize(will.topic()) + WireWriter.binarySize(will.payload());
        }
        if (connect.username() != null) {
            length += WireWriter.utf8StringSize(connect.username());
        }
        if (connect.password() != null) {
            length += WireWriter.binarySize(connect.password());
        }
        return length;
    }

    static void writeConnect(Packet.Connect connect, ProtocolVersion version, ByteBuf out) {
        WireWriter.writeUtf8String(out, version.protocolName());
        out.writeByte(version.level() | (connect.bridge() ? ConnectDecoder.BRIDGE_BIT : 0));
        out.writeByte(connectFlags(connect));
        WireWriter.writeTwoByteInteger(out, connect.keepAliveSeconds());
        if (version.isV5()) {
            PropertiesCodec.write(out, connect.properties());
        }
        WireWriter.writeUtf8String(out, connect.clientId());
        Packet.Will will = connect.will();
        if (will != null) {
            if (version.isV5()) {
                PropertiesCodec.write(out, will.properties());
            }
            WireWriter.writeUtf8String(out, will.topic());
            WireWriter.writeBinary(out, will.payload());
        }
        if (connect.username() != null) {
            WireWriter.writeUtf8String(out, connect.username());
        }
        if (connect.password() != null) {
            WireWriter.writeBinary(out, connect.password());
        }
    }

    private static int connectFlags(Packet.Connect connect) {
        int flags = 0;
        if (connect.username() != null) {
            flags |= 0x80;
        }
        if (connect.password() != null) {
            flags |= 0x40;
        }
        Packet.Will will = connect.will();
        if (will != null) {
            flags |= 0x04 | (will.qos().value() << 3) | (will.retain() ? 0x20 : 0);
        }
        return connect.cleanStart() ? flags | 0x02 : flags;
    }

    static int connAckLength(Packet.ConnAck connAck, ProtocolVersion version) {
        return version.isV5() ? 2 + PropertiesCodec.encodedSize(connAck.properties()) : 2;
    }

    /** MQTT 3.1 has no Session Present flag: that byte is unused and written as 0. */
    static void writeConnAck(Packet.ConnAck connAck, ProtocolVersion version, ByteBuf out) {
        boolean sessionPresent = connAck.sessionPresent() && version != ProtocolVersion.MQTT_3_1;
        out.writeByte(sessionPresent ? 1 : 0);
        if (version.isV5()) {
            out.writeByte(connAck.reason().value());
            PropertiesCodec.write(out, connAck.properties());
        } else {
            out.writeByte(connAck.reason().v3ConnectReturnCode());
        }
    }
}
