package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Encodes packets for MQTT 3.1, 3.1.1 and 5.0. Pure and stateless, so safe from any thread.
 * For 3.x it drops what the older protocol cannot carry (properties, most reason codes) in the
 * way each packet's Javadoc in {@link Packet} states. Invalid arguments that no peer input can
 * cause (AUTH in 3.x, a string over 65535 bytes) throw IllegalArgumentException: they are bugs
 * in the caller.
 *
 * <p>{@link #encodedSize} computes the exact size without writing, so that callers can size
 * buffers exactly and enforce a peer's Maximum Packet Size before sending.
 */
public final class PacketEncoder {
    private PacketEncoder() {}

    public static void encode(Packet packet, ProtocolVersion version, ByteBuf out) {
        checkArguments(packet, version);
        int remainingLength = remainingLength(packet, version);
        out.writeByte(fixedHeaderByte(packet));
        WireWriter.writeVariableByteInteger(out, remainingLength);
        int bodyStart = out.writerIndex();
        writeBody(packet, version, out);
        assert out.writerIndex() - bodyStart == remainingLength
                : packet.type() + " wrote " + (out.writerIndex() - bodyStart) + " bytes, sized " + remainingLength;
    }

    /** Total bytes {@link #encode} writes, fixed header included. */
    public static int encodedSize(Packet packet, ProtocolVersion version) {
        checkArguments(packet, version);
        int remainingLength = remainingLength(packet, version);
        return 1 + WireWriter.variableByteIntegerSize(remainingLength) + remainingLength;
    }

    private static void checkArguments(Packet packet, ProtocolVersion version) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(version, "version");
        if (packet.type() == PacketType.AUTH && !version.isV5()) {
            throw new IllegalArgumentException("AUTH does not exist before MQTT 5");
        }
    }

    private static int fixedHeaderByte(Packet packet) {
        int typeBits = packet.type().code() << 4;
        switch (packet.type()) {
            case PUBLISH:
                return typeBits | PublishEncoder.publishFlags((Packet.Publish) packet);
            case PUBREL:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
                return typeBits | 0b0010;
            default:
                return typeBits;
        }
    }

    private static int remainingLength(Packet packet, ProtocolVersion version) {
        switch (packet.type()) {
            case CONNECT:
                return ConnectEncoder.connectLength((Packet.Connect) packet, version);
            case CONNACK:
                return ConnectEncoder.connAckLength((Packet.ConnAck) packet, version);
            case PUBLISH:
                return PublishEncoder.publishLength((Packet.Publish) packet, version);
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                return PublishEncoder.ackLength(PublishEncoder.Ack.of(packet), version);
            case SUBSCRIBE:
                return SubscriptionEncoder.subscribeLength((Packet.Subscribe) packet, version);
            case SUBACK:
                return SubscriptionEncoder.subAckLength((Packet.SubAck) packet, version);
            case UNSUBSCRIBE:
                return SubscriptionEncoder.unsubscribeLength((Packet.Unsubscribe) packet, version);
            case UNSUBACK:
                return SubscriptionEncoder.unsubAckLength((Packet.UnsubAck) packet, version);
            case PINGREQ:
            case PINGRESP:
                return 0;
            case DISCONNECT:
                Packet.Disconnect disconnect = (Packet.Disconnect) packet;
                return reasonAndPropertiesLength(
                        disconnect.reason(), ReasonCode.NORMAL_DISCONNECTION, disconnect.properties(), version);
            case AUTH:
                Packet.Auth auth = (Packet.Auth) packet;
                return reasonAndPropertiesLength(auth.reason(), ReasonCode.SUCCESS, auth.properties(), version);
            default:
                throw new IllegalArgumentException("unknown packet type " + packet.type());
        }
    }

    private static void writeBody(Packet packet, ProtocolVersion version, ByteBuf out) {
        switch (packet.type()) {
            case CONNECT:
                ConnectEncoder.writeConnect((Packet.Connect) packet, version, out);
                break;
            case CONNACK:
                ConnectEncoder.writeConnAck((Packet.ConnAck) packet, version, out);
                break;
            case PUBLISH:
                PublishEncoder.writePublish((Packet.Publish) packet, version, out);
                break;
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                PublishEncoder.writeAck(PublishEncoder.Ack.of(packet), version, out);
                break;
            case SUBSCRIBE:
                SubscriptionEncoder.writeSubscribe((Packet.Subscribe) packet, version, out);
                break;
            case SUBACK:
                SubscriptionEncoder.writeSubAck((Packet.SubAck) packet, version, out);
                break;
            case UNSUBSCRIBE:
                SubscriptionEncoder.writeUnsubscribe((Packet.Unsubscribe) packet, version, out);
                break;
            case UNSUBACK:
                SubscriptionEncoder.writeUnsubAck((Packet.UnsubAck) packet, version, out);
                break;
            case PINGREQ:
            case PINGRESP:
                break;
            case DISCONNECT:
                Packet.Disconnect disconnect = (Packet.Disconnect) packet;
                writeReasonAndProperties(
                        disconnect.reason(), ReasonCode.NORMAL_DISCONNECTION, disconnect.properties(), version, out);
                break;
            case AUTH:
                Packet.Auth auth = (Packet.Auth) packet;
                writeReasonAndProperties(auth.reason(), ReasonCode.SUCCESS, auth.properties(), version, out);
                break;
            default:
                throw new IllegalArgumentException("unknown packet type " + packet.type());
        }
    }

    /**
     * DISCONNECT and AUTH bodies. MQTT 3.x DISCONNECT is empty. In MQTT 5 the default reason
     * without properties is sent as remaining length 0 (3.14.2.1, 3.15.2.1). A DISCONNECT with
     * another reason and no properties may stop after the reason; AUTH always writes the
     * property length, because its section only allows the fully short form.
     */
    private static int reasonAndPropertiesLength(
            ReasonCode reason, ReasonCode defaultReason, Properties properties, ProtocolVersion version) {
        if (!version.isV5()) {
            return 0;
        }
        int propertiesContent = PropertiesCodec.contentLength(properties);
        if (propertiesContent == 0) {
            if (reason == defaultReason) {
                return 0;
            }
            if (defaultReason == ReasonCode.NORMAL_DISCONNECTION) {
                return 1;
            }
        }
        return 1 + WireWriter.variableByteIntegerSize(propertiesContent) + propertiesContent;
    }

    private static void writeReasonAndProperties(
            ReasonCode reason, ReasonCode defaultReason, Properties properties, ProtocolVersion version, ByteBuf out) {
        int length = reasonAndPropertiesLength(reason, defaultReason, properties, version);
        if (length == 0) {
            return;
        }
        out.writeByte(reason.value());
        if (length > 1) {
            PropertiesCodec.write(out, properties);
        }
    }
}
