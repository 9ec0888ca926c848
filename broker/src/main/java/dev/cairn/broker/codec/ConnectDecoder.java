package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyScope;
import dev.cairn.protocol.TopicSyntax;

/** Decodes CONNECT (3.1) and CONNACK (3.2) for MQTT 3.1, 3.1.1 and 5.0. */
final class ConnectDecoder {
    private static final int RESERVED_FLAG = 0x01;
    private static final int CLEAN_START_FLAG = 0x02;
    private static final int WILL_FLAG = 0x04;
    private static final int WILL_RETAIN_FLAG = 0x20;
    private static final int PASSWORD_FLAG = 0x40;
    private static final int USERNAME_FLAG = 0x80;
    /** The bit of the protocol level that marks a bridge's CONNECT (see {@link Packet.Connect}). */
    static final int BRIDGE_BIT = 0x80;

    private ConnectDecoder() {}

    /**
     * Reads the protocol name and level first, since they decide how to parse, and how to
     * answer, everything after them. Errors after that point answer in MQTT 5 when the client
     * spoke MQTT 5 (a CONNACK with the reason); MQTT 3.x has no CONNACK code for them, so close.
     * The fixed header's flag bits are among them: whether they are reserved depends on the
     * version (see {@link PacketDecoder#checkFlags}).
     *
     * @param fixedHeaderFlags the low four bits of the CONNECT's first byte
     */
    static Packet.Connect decodeConnect(int fixedHeaderFlags, WireReader reader) {
        String name = reader.readUtf8String("protocol name");
        int level = reader.readByte("protocol level");
        // Bit 0x80 on a 3.1 or 3.1.1 level is the bridge mark of mosquitto's try_private (0x83,
        // 0x84); on any other level, 5.0's included, it stays an unsupported level [MQTT-3.1.2-2].
        boolean bridge = (level & BRIDGE_BIT) != 0;
        ProtocolVersion version = ProtocolVersion.of(name, level & ~BRIDGE_BIT);
        if (version == null || bridge && version.isV5()) {
            throw unsupportedProtocol(name, level);
        }
        try {
            if (version != ProtocolVersion.MQTT_3_1 && fixedHeaderFlags != 0) {
                throw DecodeFailure.malformed("CONNECT fixed header flags must be 0000, were "
                        + Integer.toBinaryString(fixedHeaderFlags) + " [MQTT-2.1.3-1] (3.1.1: [MQTT-2.2.2-2])");
            }
            return decodeConnectAfterLevel(reader, version, bridge);
        } catch (DecodeFailure failure) {
            throw failure.answeringIn(version.isV5() ? version : null);
        }
    }

    /**
     * A known protocol name with an unknown level gets CONNACK return code 0x01 in the 3.1.1
     * encoding, which every client version can read [MQTT-3.1.2-2]. An unknown name means this
     * is not MQTT at all, so the server closes without answering [MQTT-3.1.2-1].
     */
    private static DecodeFailure unsupportedProtocol(String name, int level) {
        String message = "unsupported protocol " + name + " level " + level;
        if (name.equals(ProtocolVersion.MQTT_3_1_1.protocolName())) {
            return new DecodeFailure(
                    ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, ProtocolVersion.MQTT_3_1_1, message + " [MQTT-3.1.2-2]");
        }
        if (name.equals(ProtocolVersion.MQTT_3_1.protocolName())) {
            return new DecodeFailure(
                    ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, ProtocolVersion.MQTT_3_1, message + " [MQTT-3.1.2-2]");
        }
        return DecodeFailure.malformed("unknown protocol name '" + name + "' [MQTT-3.1.2-1]");
    }

    private static Packet.Connect decodeConnectAfterLevel(WireReader reader, ProtocolVersion version, boolean bridge) {
        int flags = reader.readByte("connect flags");
        checkConnectFlags(flags, version);
        int keepAliveSeconds = reader.readTwoByteInteger("keep alive");
        Properties properties = Properties.EMPTY;
        if (version.isV5()) {
            properties = PropertiesCodec.read(reader, PropertyScope.CONNECT);
            if (properties.authenticationData() != null && properties.authenticationMethod() == null) {
                throw DecodeFailure.protocolError("Authentication Data without Authentication Method (3.1.2.11.10)");
            }
        }
        String clientId = reader.readName("client identifier");
        Packet.Will will = (flags & WILL_FLAG) == 0 ? null : readWill(reader, flags, version);
        String username = (flags & USERNAME_FLAG) == 0 ? null : reader.readName("user name");
        byte[] password = (flags & PASSWORD_FLAG) == 0 ? null : reader.readBinary("password");
        // Checked here, not only by PacketDecoder, so that trailing bytes are refused in the
        // client's version like every other CONNECT error after the protocol level.
        reader.expectEnd("CONNECT");
        return new Packet.Connect(
                version,
                clientId,
                (flags & CLEAN_START_FLAG) != 0,
                keepAliveSeconds,
                username,
                password,
                will,
                properties,
                bridge);
    }

    /**
     * Connect flag rules. The statement ids are MQTT 3.1.1's; MQTT 5 states the same rules as
     * [MQTT-3.1.2-3], -11, -12 (QoS 3 is a Malformed Packet) and -13. MQTT 3.1 calls bit 0
     * unused, not reserved, so only 3.1.1 and 5.0 refuse it set.
     */
    private static void checkConnectFlags(int flags, ProtocolVersion version) {
        if ((flags & RESERVED_FLAG) != 0 && version != ProtocolVersion.MQTT_3_1) {
            throw DecodeFailure.malformed("CONNECT reserved flag is set [MQTT-3.1.2-3]");
        }
        int willQos = (flags >> 3) & 0b11;
        if ((flags & WILL_FLAG) == 0) {
            if (willQos != 0) {
                throw DecodeFailure.malformed("will QoS " + willQos + " without the will flag [MQTT-3.1.2-13]");
            }
            if ((flags & WILL_RETAIN_FLAG) != 0) {
                throw DecodeFailure.malformed("will retain without the will flag [MQTT-3.1.2-15]");
            }
        } else if (willQos == 3) {
            throw DecodeFailure.malformed("will QoS 3 [MQTT-3.1.2-14]");
        }
        if (!version.isV5() && (flags & PASSWORD_FLAG) != 0 && (flags & USERNAME_FLAG) == 0) {
            throw DecodeFailure.malformed("password flag without user name flag [MQTT-3.1.2-22]");
        }
    }

    private static Packet.Will readWill(WireReader reader, int flags, ProtocolVersion version) {
        Properties properties = version.isV5() ? PropertiesCodec.read(reader, PropertyScope.WILL) : Properties.EMPTY;
        String topic = reader.readName("will topic");
        if (topic.isEmpty() || TopicSyntax.hasWildcard(topic)) {
            throw DecodeFailure.of(
                    ReasonCode.TOPIC_NAME_INVALID,
                    "will topic '" + topic + "' is not a valid topic name [MQTT-3.1.3-11]");
        }
        byte[] payload = reader.readBinary("will payload");
        QoS qos = QoS.fromValue((flags >> 3) & 0b11);
        return new Packet.Will(topic, payload, qos, (flags & WILL_RETAIN_FLAG) != 0, properties);
    }

    /**
     * CONNACK. MQTT 3.1 has no Session Present flag (the byte is unused), so it is ignored there.
     * A refused connection must not claim a session [MQTT-3.2.2-4] (5.0: [MQTT-3.2.2-6]).
     */
    static Packet.ConnAck decodeConnAck(WireReader reader, ProtocolVersion version) {
        int ackFlags = reader.readByte("connect acknowledge flags");
        if (version != ProtocolVersion.MQTT_3_1 && (ackFlags & 0xFE) != 0) {
            throw DecodeFailure.malformed("CONNACK reserved flags are set [MQTT-3.2.2-1]");
        }
        boolean sessionPresent = version != ProtocolVersion.MQTT_3_1 && (ackFlags & 0x01) != 0;
        ReasonCode reason;
        Properties properties = Properties.EMPTY;
        if (version.isV5()) {
            reason = reader.readReasonCode(PacketType.CONNACK);
            properties = PropertiesCodec.read(reader, PropertyScope.CONNACK);
        } else {
            int code = reader.readByte("connect return code");
            reason = ReasonCode.fromV3ConnectReturnCode(code);
            if (reason == null) {
                throw DecodeFailure.protocolError("CONNACK return code " + code + " is reserved (3.2.2.3)");
            }
        }
        if (sessionPresent && reason.isError()) {
            throw DecodeFailure.protocolError("CONNACK refuses the connection but sets Session Present"
                    + " [MQTT-3.2.2-4] (5.0: [MQTT-3.2.2-6])");
        }
        return new Packet.ConnAck(sessionPresent, reason, properties);
    }
}
