package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyDecoder;
import dev.cairn.protocol.PropertyId;
import dev.cairn.protocol.PropertyScope;
import dev.cairn.protocol.ProtocolViolation;
import dev.cairn.protocol.UserProperty;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Reads and writes MQTT 5.0 property lists (section 2.2.2) in packets. Reading is
 * {@link PropertyDecoder}'s, shared with the tools through cairn-protocol (the rules it enforces
 * are listed there); writing is here, on Netty buffers, because only the broker writes.
 */
final class PropertiesCodec {
    private PropertiesCodec() {}

    /**
     * Reads a property length and the list it covers; returns EMPTY for an empty list. The rules
     * are cairn-protocol's {@link PropertyDecoder}; a rule it finds broken becomes the decode
     * failure with the reason code the rule names.
     */
    static Properties read(WireReader reader, PropertyScope scope) {
        try {
            return PropertyDecoder.read(reader, scope);
        } catch (ProtocolViolation violation) {
            throw DecodeFailure.of(violation);
        }
    }

    /** Bytes of the property list including its variable byte integer length prefix. */
    static int encodedSize(Properties properties) {
        int content = contentLength(properties);
        return WireWriter.variableByteIntegerSize(content) + content;
    }

    /** Writes the length prefix and the properties in identifier order. */
    static void write(ByteBuf out, Properties properties) {
        int content = contentLength(properties);
        WireWriter.writeVariableByteInteger(out, content);
        if (content > 0) {
            writeContent(out, properties);
        }
    }

    /** Bytes of the properties without the length prefix; 0 for null or an empty set. */
    static int contentLength(Properties p) {
        if (p == null || p == Properties.EMPTY) {
            return 0;
        }
        int size = byteSize(p.payloadFormatIndicator())
                + fourByteSize(p.messageExpiryIntervalSeconds())
                + stringSize(p.contentType())
                + stringSize(p.responseTopic())
                + binarySize(p.correlationData())
                + fourByteSize(p.sessionExpiryIntervalSeconds())
                + stringSize(p.assignedClientIdentifier())
                + twoByteSize(p.serverKeepAliveSeconds())
                + stringSize(p.authenticationMethod())
                + binarySize(p.authenticationData())
                + byteSize(p.requestProblemInformation())
                + fourByteSize(p.willDelayIntervalSeconds())
                + byteSize(p.requestResponseInformation())
                + stringSize(p.responseInformation())
                + stringSize(p.serverReference())
                + stringSize(p.reasonString())
                + twoByteSize(p.receiveMaximum())
                + twoByteSize(p.topicAliasMaximum())
                + twoByteSize(p.topicAlias())
                + byteSize(p.maximumQos())
                + byteSize(p.retainAvailable())
                + fourByteSize(p.maximumPacketSizeBytes())
                + byteSize(p.wildcardSubscriptionAvailable())
                + byteSize(p.subscriptionIdentifierAvailable())
                + byteSize(p.sharedSubscriptionAvailable());
        for (int id : p.subscriptionIdentifiers()) {
            size += 1 + WireWriter.variableByteIntegerSize(id);
        }
        for (UserProperty user : p.userProperties()) {
            size += 1 + WireWriter.utf8StringSize(user.name()) + WireWriter.utf8StringSize(user.value());
        }
        return size;
    }

    private static void writeContent(ByteBuf out, Properties p) {
        writeByte(out, PropertyId.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        writeFourByte(out, PropertyId.MESSAGE_EXPIRY_INTERVAL, p.messageExpiryIntervalSeconds());
        writeString(out, PropertyId.CONTENT_TYPE, p.contentType());
        writeString(out, PropertyId.RESPONSE_TOPIC, p.responseTopic());
        writeBinary(out, PropertyId.CORRELATION_DATA, p.correlationData());
        for (int id : p.subscriptionIdentifiers()) {
            out.writeByte(PropertyId.SUBSCRIPTION_IDENTIFIER.id());
            WireWriter.writeVariableByteInteger(out, id);
        }
        writeFourByte(out, PropertyId.SESSION_EXPIRY_INTERVAL, p.sessionExpiryIntervalSeconds());
        writeString(out, PropertyId.ASSIGNED_CLIENT_IDENTIFIER, p.assignedClientIdentifier());
        writeTwoByte(out, PropertyId.SERVER_KEEP_ALIVE, p.serverKeepAliveSeconds());
        writeString(out, PropertyId.AUTHENTICATION_METHOD, p.authenticationMethod());
        writeBinary(out, PropertyId.AUTHENTICATION_DATA, p.authenticationData());
        writeByte(out, PropertyId.REQUEST_PROBLEM_INFORMATION, p.requestProblemInformation());
        writeFourByte(out, PropertyId.WILL_DELAY_INTERVAL, p.willDelayIntervalSeconds());
        writeByte(out, PropertyId.REQUEST_RESPONSE_INFORMATION, p.requestResponseInformation());
        writeString(out, PropertyId.RESPONSE_INFORMATION, p.responseInformation());
        writeString(out, PropertyId.SERVER_REFERENCE, p.serverReference());
        writeString(out, PropertyId.REASON_STRING, p.reasonString());
        writeTwoByte(out, PropertyId.RECEIVE_MAXIMUM, p.receiveMaximum());
        writeTwoByte(out, PropertyId.TOPIC_ALIAS_MAXIMUM, p.topicAliasMaximum());
        writeTwoByte(out, PropertyId.TOPIC_ALIAS, p.topicAlias());
        writeByte(out, PropertyId.MAXIMUM_QOS, p.maximumQos());
        writeByte(out, PropertyId.RETAIN_AVAILABLE, p.retainAvailable());
        writeUserProperties(out, p.userProperties());
        writeFourByte(out, PropertyId.MAXIMUM_PACKET_SIZE, p.maximumPacketSizeBytes());
        writeByte(out, PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, p.wildcardSubscriptionAvailable());
        writeByte(out, PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.subscriptionIdentifierAvailable());
        writeByte(out, PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, p.sharedSubscriptionAvailable());
    }

    private static void writeUserProperties(ByteBuf out, List<UserProperty> users) {
        for (UserProperty user : users) {
            out.writeByte(PropertyId.USER_PROPERTY.id());
            WireWriter.writeUtf8String(out, user.name());
            WireWriter.writeUtf8String(out, user.value());
        }
    }

    private static void writeByte(ByteBuf out, PropertyId id, Integer value) {
        if (value != null) {
            if (value < 0 || value > 0xFF) {
                throw new IllegalArgumentException(id + " out of byte range: " + value);
            }
            out.writeByte(id.id());
            out.writeByte(value);
        }
    }

    private static void writeTwoByte(ByteBuf out, PropertyId id, Integer value) {
        if (value != null) {
            out.writeByte(id.id());
            WireWriter.writeTwoByteInteger(out, value);
        }
    }

    private static void writeFourByte(ByteBuf out, PropertyId id, Long value) {
        if (value != null) {
            out.writeByte(id.id());
            WireWriter.writeFourByteInteger(out, value);
        }
    }

    private static void writeString(ByteBuf out, PropertyId id, String value) {
        if (value != null) {
            out.writeByte(id.id());
            WireWriter.writeUtf8String(out, value);
        }
    }

    private static void writeBinary(ByteBuf out, PropertyId id, byte[] value) {
        if (value != null) {
            out.writeByte(id.id());
            WireWriter.writeBinary(out, value);
        }
    }

    private static int byteSize(Integer value) {
        return value == null ? 0 : 2;
    }

    private static int twoByteSize(Integer value) {
        return value == null ? 0 : 3;
    }

    private static int fourByteSize(Long value) {
        return value == null ? 0 : 5;
    }

    private static int stringSize(String value) {
        return value == null ? 0 : 1 + WireWriter.utf8StringSize(value);
    }

    private static int binarySize(byte[] value) {
        return value == null ? 0 : 1 + WireWriter.binarySize(value);
    }
}
