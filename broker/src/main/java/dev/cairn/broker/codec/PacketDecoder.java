package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyScope;
import dev.cairn.protocol.StrictUtf8;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Decodes the body of one complete MQTT control packet into a {@link Packet}, or describes why it
 * cannot as a {@link DecodeError}. It checks every rule that one packet can break in isolation
 * (reserved bits, field ranges, property placement, strict UTF-8, trailing bytes) and nothing
 * that needs connection state or configuration; those belong to the core.
 *
 * <p>Thread safety: not thread-safe (it holds a stateful UTF-8 decoder). Use one instance per
 * connection, on that connection's I/O thread. Decoded packets copy all bytes they keep, so the
 * body buffer may be released as soon as {@link #decode} returns.
 */
public final class PacketDecoder {
    private final Role role;
    private final StrictUtf8 utf8 = new StrictUtf8();

    public PacketDecoder(Role role) {
        this.role = Objects.requireNonNull(role, "role");
    }

    /**
     * Decodes one packet.
     *
     * @param fixedHeaderByte the first byte of the packet (type and flags)
     * @param body exactly the remaining-length bytes; its reader index is advanced
     * @param version the connection's negotiated version, or null before CONNECT; a CONNECT is
     *                always decoded with the version it declares
     * @return a {@link Packet}, or a {@link DecodeError}; never throws on bad input. The error's
     *         version is the encoding the peer should be answered in (a CONNACK or DISCONNECT
     *         with the reason code), or null when the connection should just be closed, which is
     *         the MQTT 3.x rule for every malformed packet.
     */
    public Object decode(int fixedHeaderByte, ByteBuf body, ProtocolVersion version) {
        PacketType type = PacketType.fromCode((fixedHeaderByte >> 4) & 0x0F);
        try {
            return decodeChecked(type, fixedHeaderByte & 0x0F, new WireReader(body, utf8), version);
        } catch (DecodeFailure failure) {
            ProtocolVersion answer = failure.answerVersion();
            if (answer == null && type != PacketType.CONNECT && version != null && version.isV5()) {
                answer = version;
            }
            return new DecodeError(failure.reason(), type, answer, failure.getMessage());
        }
    }

    private Packet decodeChecked(PacketType type, int flags, WireReader reader, ProtocolVersion version) {
        if (type == null) {
            throw DecodeFailure.malformed("packet type 0 is reserved (table 2-1)");
        }
        checkFlags(type, flags, version);
        if (!role.mayReceive(type)) {
            throw DecodeFailure.protocolError(
                    type + " must not be sent to a " + role.name().toLowerCase());
        }
        if (type != PacketType.CONNECT && version == null) {
            throw DecodeFailure.protocolError(type + " before a protocol version was negotiated [MQTT-3.1.0-1]");
        }
        if (type == PacketType.AUTH && !version.isV5()) {
            throw DecodeFailure.malformed("packet type 15 is reserved before MQTT 5 (3.1.1 table 2.1)");
        }
        Packet packet = decodeBody(type, flags, reader, version);
        reader.expectEnd(type.name());
        return packet;
    }

    /** The one dispatch point over packet types on the decode side. */
    private Packet decodeBody(PacketType type, int flags, WireReader reader, ProtocolVersion version) {
        switch (type) {
            case CONNECT:
                return ConnectDecoder.decodeConnect(flags, reader);
            case CONNACK:
                return ConnectDecoder.decodeConnAck(reader, version);
            case PUBLISH:
                return PublishDecoder.decodePublish(flags, reader, version, role);
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                return PublishDecoder.decodeAck(type, reader, version);
            case SUBSCRIBE:
                return SubscriptionDecoder.decodeSubscribe(reader, version);
            case SUBACK:
                return SubscriptionDecoder.decodeSubAck(reader, version);
            case UNSUBSCRIBE:
                return SubscriptionDecoder.decodeUnsubscribe(reader, version);
            case UNSUBACK:
                return SubscriptionDecoder.decodeUnsubAck(reader, version);
            case PINGREQ:
                expectEmpty(type, reader);
                return new Packet.PingReq();
            case PINGRESP:
                expectEmpty(type, reader);
                return new Packet.PingResp();
            case DISCONNECT:
                return decodeDisconnect(reader, version);
            case AUTH:
                return decodeAuth(reader);
            default:
                throw new IllegalStateException("unhandled packet type " + type);
        }
    }

    /**
     * Reserved fixed-header flag bits must have the listed values, else the packet is malformed
     * [MQTT-2.1.3-1] (3.1.1: [MQTT-2.2.2-2]): 0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, 0000
     * for all but PUBLISH, whose flags are DUP, QoS and RETAIN and are checked with the rest of
     * PUBLISH. The rule is 3.1.1's and 5.0's: in MQTT 3.1 every packet carries DUP, QoS and
     * RETAIN bits, unused outside PUBLISH, and a client may set DUP on a re-sent PUBREL,
     * SUBSCRIBE or UNSUBSCRIBE, so a 3.1 connection's flags are not checked. CONNECT's are
     * checked by {@link ConnectDecoder} once its protocol name and level say which rule applies.
     */
    static void checkFlags(PacketType type, int flags, ProtocolVersion version) {
        if (version == ProtocolVersion.MQTT_3_1) {
            return;
        }
        int expected;
        switch (type) {
            case PUBLISH:
            case CONNECT:
                return;
            case PUBREL:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                expected = 0b0010;
                break;
            default:
                expected = 0;
                break;
        }
        if (flags != expected) {
            throw DecodeFailure.malformed(type + " fixed header flags must be " + Integer.toBinaryString(expected)
                    + ", were " + Integer.toBinaryString(flags) + " [MQTT-2.1.3-1]");
        }
    }

    private static void expectEmpty(PacketType type, WireReader reader) {
        if (reader.hasRemaining()) {
            throw DecodeFailure.malformed(type + " must have remaining length 0, had " + reader.remaining());
        }
    }

    /**
     * DISCONNECT: MQTT 3.x has no body. In MQTT 5 a remaining length of 0 means Normal
     * disconnection without properties, and of 1 a reason without properties (3.14.2.1).
     */
    private Packet decodeDisconnect(WireReader reader, ProtocolVersion version) {
        if (!version.isV5()) {
            expectEmpty(PacketType.DISCONNECT, reader);
            return new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);
        }
        if (!reader.hasRemaining()) {
            return new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);
        }
        ReasonCode reason = reader.readReasonCode(PacketType.DISCONNECT);
        Properties properties =
                reader.hasRemaining() ? PropertiesCodec.read(reader, PropertyScope.DISCONNECT) : Properties.EMPTY;
        if (role == Role.CLIENT && properties.sessionExpiryIntervalSeconds() != null) {
            throw DecodeFailure.protocolError(
                    "a server must not send Session Expiry Interval in DISCONNECT [MQTT-3.14.2-2]");
        }
        return new Packet.Disconnect(reason, properties);
    }

    /**
     * AUTH (MQTT 5 only): a remaining length of 0 means Success without properties (3.15.2.1).
     * Any longer AUTH is part of a method exchange and must name the method (3.15.2.2.2).
     */
    private static Packet decodeAuth(WireReader reader) {
        if (!reader.hasRemaining()) {
            return new Packet.Auth(ReasonCode.SUCCESS, Properties.EMPTY);
        }
        ReasonCode reason = reader.readReasonCode(PacketType.AUTH);
        Properties properties =
                reader.hasRemaining() ? PropertiesCodec.read(reader, PropertyScope.AUTH) : Properties.EMPTY;
        if (properties.authenticationMethod() == null) {
            throw DecodeFailure.protocolError("AUTH without Authentication Method (3.15.2.2.2)");
        }
        return new Packet.Auth(reason, properties);
    }
}
