package dev.cairn.broker.codec;

import io.netty.buffer.ByteBuf;

import java.util.EnumSet;
import java.util.List;

/**
 * Reads and writes MQTT 5.0 property lists (section 2.2.2). Reading enforces, per list: known
 * identifiers and only those table 2-4 allows in the scope (else Malformed Packet, section
 * 2.2.2.2), no repeats of single-valued properties (Protocol Error), the value ranges the spec
 * states for each property, and that the list stays inside its declared length.
 */
final class PropertiesCodec {
    private PropertiesCodec() {
    }

    /** Reads a property length and the list it covers; returns EMPTY for an empty list. */
    static Properties read(WireReader reader, PropertyScope scope) {
        int length = reader.readVariableByteInteger("property length");
        WireReader section = reader.readSection(length, "property");
        if (!section.hasRemaining()) {
            return Properties.EMPTY;
        }
        Properties.Builder builder = Properties.builder();
        EnumSet<PropertyId> seen = EnumSet.noneOf(PropertyId.class);
        while (section.hasRemaining()) {
            int id = section.readVariableByteInteger("property identifier");
            PropertyId property = PropertyId.fromId(id);
            if (property == null) {
                throw DecodeFailure.malformed("unknown property identifier 0x" + Integer.toHexString(id));
            }
            if (!property.allowedIn(scope)) {
                throw DecodeFailure.malformed(property + " is not allowed in " + scope + " (table 2-4)");
            }
            if (!seen.add(property) && !property.repeatableIn(scope)) {
                throw DecodeFailure.protocolError(property + " included more than once in " + scope);
            }
            readValue(property, section, builder);
        }
        return builder.build();
    }

    private static void readValue(PropertyId p, WireReader r, Properties.Builder b) {
        String name = p.name();
        switch (p) {
            case PAYLOAD_FORMAT_INDICATOR: b.payloadFormatIndicator(zeroOrOne(r.readByte(name), p)); break;
            case MESSAGE_EXPIRY_INTERVAL: b.messageExpiryIntervalSeconds(r.readFourByteInteger(name)); break;
            case CONTENT_TYPE: b.contentType(r.readUtf8String(name)); break;
            case RESPONSE_TOPIC: b.responseTopic(readResponseTopic(r)); break;
            case CORRELATION_DATA: b.correlationData(r.readBinary(name)); break;
            case SUBSCRIPTION_IDENTIFIER: b.addSubscriptionIdentifier(nonZero(r.readVariableByteInteger(name), p)); break;
            case SESSION_EXPIRY_INTERVAL: b.sessionExpiryIntervalSeconds(r.readFourByteInteger(name)); break;
            case ASSIGNED_CLIENT_IDENTIFIER: b.assignedClientIdentifier(r.readUtf8String(name)); break;
            case SERVER_KEEP_ALIVE: b.serverKeepAliveSeconds(r.readTwoByteInteger(name)); break;
            case AUTHENTICATION_METHOD: b.authenticationMethod(r.readUtf8String(name)); break;
            case AUTHENTICATION_DATA: b.authenticationData(r.readBinary(name)); break;
            case REQUEST_PROBLEM_INFORMATION: b.requestProblemInformation(zeroOrOne(r.readByte(name), p)); break;
            case WILL_DELAY_INTERVAL: b.willDelayIntervalSeconds(r.readFourByteInteger(name)); break;
            case REQUEST_RESPONSE_INFORMATION: b.requestResponseInformation(zeroOrOne(r.readByte(name), p)); break;
            case RESPONSE_INFORMATION: b.responseInformation(r.readUtf8String(name)); break;
            case SERVER_REFERENCE: b.serverReference(r.readUtf8String(name)); break;
            case REASON_STRING: b.reasonString(r.readUtf8String(name)); break;
            case RECEIVE_MAXIMUM: b.receiveMaximum(nonZero(r.readTwoByteInteger(name), p)); break;
            case TOPIC_ALIAS_MAXIMUM: b.topicAliasMaximum(r.readTwoByteInteger(name)); break;
            case TOPIC_ALIAS: b.topicAlias(readTopicAlias(r)); break;
            case MAXIMUM_QOS: b.maximumQos(zeroOrOne(r.readByte(name), p)); break;
            case RETAIN_AVAILABLE: b.retainAvailable(zeroOrOne(r.readByte(name), p)); break;
            case USER_PROPERTY: b.addUserProperty(r.readUtf8String("user property name"),
                    r.readUtf8String("user property value")); break;
            case MAXIMUM_PACKET_SIZE: b.maximumPacketSizeBytes(readMaximumPacketSize(r)); break;
            case WILDCARD_SUBSCRIPTION_AVAILABLE: b.wildcardSubscriptionAvailable(zeroOrOne(r.readByte(name), p)); break;
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE: b.subscriptionIdentifierAvailable(zeroOrOne(r.readByte(name), p)); break;
            case SHARED_SUBSCRIPTION_AVAILABLE: b.sharedSubscriptionAvailable(zeroOrOne(r.readByte(name), p)); break;
            default: throw new IllegalStateException("no reader for " + p);
        }
    }

    /**
     * Byte-valued switches (Request Problem/Response Information, Maximum QoS, Retain Available,
     * the *Available flags) are a Protocol Error outside 0..1 per their sections in 3.1.2.11
     * and 3.2.2.3. The spec states no reason for Payload Format Indicator; we use the same.
     */
    private static int zeroOrOne(int value, PropertyId property) {
        if (value > 1) {
            throw DecodeFailure.protocolError(property + " must be 0 or 1, was " + value);
        }
        return value;
    }

    /** Receive Maximum 0 and Subscription Identifier 0 are Protocol Errors (3.1.2.11.3, 3.8.2.1.2). */
    private static int nonZero(int value, PropertyId property) {
        if (value == 0) {
            throw DecodeFailure.protocolError(property + " must not be 0");
        }
        return value;
    }

    /** A Topic Alias of 0 is answered with Topic Alias invalid (section 3.3.2.3.4). */
    private static int readTopicAlias(WireReader r) {
        int alias = r.readTwoByteInteger("topic alias");
        if (alias == 0) {
            throw DecodeFailure.of(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias 0 is not permitted [MQTT-3.3.2-8]");
        }
        return alias;
    }

    /** Maximum Packet Size 0 is a Protocol Error (section 3.1.2.11.4). */
    private static long readMaximumPacketSize(WireReader r) {
        long size = r.readFourByteInteger("maximum packet size");
        if (size == 0) {
            throw DecodeFailure.protocolError("MAXIMUM_PACKET_SIZE must not be 0");
        }
        return size;
    }

    /** The Response Topic is a Topic Name, so it must not contain wildcards [MQTT-3.3.2-14]. */
    private static String readResponseTopic(WireReader r) {
        String topic = r.readUtf8String("response topic");
        if (TopicNames.hasWildcard(topic)) {
            throw DecodeFailure.protocolError("response topic contains a wildcard [MQTT-3.3.2-14]");
        }
        return topic;
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
        int size = byteSize(p.payloadFormatIndicator()) + fourByteSize(p.messageExpiryIntervalSeconds())
                + stringSize(p.contentType()) + stringSize(p.responseTopic()) + binarySize(p.correlationData())
                + fourByteSize(p.sessionExpiryIntervalSeconds()) + stringSize(p.assignedClientIdentifier())
                + twoByteSize(p.serverKeepAliveSeconds()) + stringSize(p.authenticationMethod())
                + binarySize(p.authenticationData()) + byteSize(p.requestProblemInformation())
                + fourByteSize(p.willDelayIntervalSeconds()) + byteSize(p.requestResponseInformation())
                + stringSize(p.responseInformation()) + stringSize(p.serverReference())
                + stringSize(p.reasonString()) + twoByteSize(p.receiveMaximum()) + twoByteSize(p.topicAliasMaximum())
                + twoByteSize(p.topicAlias()) + byteSize(p.maximumQos()) + byteSize(p.retainAvailable())
                + fourByteSize(p.maximumPacketSizeBytes()) + byteSize(p.wildcardSubscriptionAvailable())
                + byteSize(p.subscriptionIdentifierAvailable()) + byteSize(p.sharedSubscriptionAvailable());
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
