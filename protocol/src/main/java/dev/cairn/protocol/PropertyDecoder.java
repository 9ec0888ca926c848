package dev.cairn.protocol;

import java.util.EnumSet;

/**
 * Reads MQTT 5.0 property lists (section 2.2.2), for the broker's packet decoder and for property
 * blocks stored in the journal. Reading enforces, per list: known identifiers and only those table
 * 2-4 allows in the scope (else Malformed Packet, section 2.2.2.2), no repeats of single-valued
 * properties (Protocol Error), the value ranges the spec states for each property, and that the
 * list stays inside its declared length. A broken rule is a {@link ProtocolViolation} whose kind
 * is the reason code the spec names. Stateless.
 */
public final class PropertyDecoder {

    private PropertyDecoder() {}

    /**
     * Decodes a stored property block: a message's forwardable properties exactly as in a
     * PUBLISH (property length, then the properties), the empty array standing for none, as the
     * broker writes them into the journal so that storage need not know MQTT.
     *
     * @throws IllegalArgumentException if the bytes are not a valid PUBLISH property block
     */
    public static Properties decodeBlock(byte[] block) {
        if (block.length == 0) {
            return Properties.EMPTY;
        }
        WireInput reader = new ByteArrayInput(block, 0, block.length, new StrictUtf8());
        try {
            Properties p = read(reader, PropertyScope.PUBLISH);
            if (reader.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after the property block");
            }
            return p;
        } catch (ProtocolViolation e) {
            throw new IllegalArgumentException("stored property block does not decode: " + e.getMessage(), e);
        }
    }

    /** Reads a property length and the list it covers; returns EMPTY for an empty list. */
    public static Properties read(WireInput reader, PropertyScope scope) {
        int length = reader.readVariableByteInteger("property length");
        WireInput section = reader.readSection(length, "property");
        if (!section.hasRemaining()) {
            return Properties.EMPTY;
        }
        Properties.Builder builder = Properties.builder();
        EnumSet<PropertyId> seen = EnumSet.noneOf(PropertyId.class);
        while (section.hasRemaining()) {
            int id = section.readVariableByteInteger("property identifier");
            PropertyId property = PropertyId.fromId(id);
            if (property == null) {
                throw ProtocolViolation.malformed("unknown property identifier 0x" + Integer.toHexString(id));
            }
            if (!property.allowedIn(scope)) {
                throw ProtocolViolation.malformed(property + " is not allowed in " + scope + " (table 2-4)");
            }
            if (!seen.add(property) && !property.repeatableIn(scope)) {
                throw ProtocolViolation.protocolError(property + " included more than once in " + scope);
            }
            readValue(property, section, builder);
        }
        return builder.build();
    }

    private static void readValue(PropertyId p, WireInput r, Properties.Builder b) {
        String name = p.name();
        switch (p) {
            case PAYLOAD_FORMAT_INDICATOR:
                b.payloadFormatIndicator(zeroOrOne(r.readByte(name), p));
                break;
            case MESSAGE_EXPIRY_INTERVAL:
                b.messageExpiryIntervalSeconds(r.readFourByteInteger(name));
                break;
            case CONTENT_TYPE:
                b.contentType(r.readUtf8String(name));
                break;
            case RESPONSE_TOPIC:
                b.responseTopic(readResponseTopic(r));
                break;
            case CORRELATION_DATA:
                b.correlationData(r.readBinary(name));
                break;
            case SUBSCRIPTION_IDENTIFIER:
                b.addSubscriptionIdentifier(nonZero(r.readVariableByteInteger(name), p));
                break;
            case SESSION_EXPIRY_INTERVAL:
                b.sessionExpiryIntervalSeconds(r.readFourByteInteger(name));
                break;
            case ASSIGNED_CLIENT_IDENTIFIER:
                b.assignedClientIdentifier(r.readUtf8String(name));
                break;
            case SERVER_KEEP_ALIVE:
                b.serverKeepAliveSeconds(r.readTwoByteInteger(name));
                break;
            case AUTHENTICATION_METHOD:
                b.authenticationMethod(r.readUtf8String(name));
                break;
            case AUTHENTICATION_DATA:
                b.authenticationData(r.readBinary(name));
                break;
            case REQUEST_PROBLEM_INFORMATION:
                b.requestProblemInformation(zeroOrOne(r.readByte(name), p));
                break;
            case WILL_DELAY_INTERVAL:
                b.willDelayIntervalSeconds(r.readFourByteInteger(name));
                break;
            case REQUEST_RESPONSE_INFORMATION:
                b.requestResponseInformation(zeroOrOne(r.readByte(name), p));
                break;
            case RESPONSE_INFORMATION:
                b.responseInformation(r.readUtf8String(name));
                break;
            case SERVER_REFERENCE:
                b.serverReference(r.readUtf8String(name));
                break;
            case REASON_STRING:
                b.reasonString(r.readUtf8String(name));
                break;
            case RECEIVE_MAXIMUM:
                b.receiveMaximum(nonZero(r.readTwoByteInteger(name), p));
                break;
            case TOPIC_ALIAS_MAXIMUM:
                b.topicAliasMaximum(r.readTwoByteInteger(name));
                break;
            case TOPIC_ALIAS:
                b.topicAlias(readTopicAlias(r));
                break;
            case MAXIMUM_QOS:
                b.maximumQos(zeroOrOne(r.readByte(name), p));
                break;
            case RETAIN_AVAILABLE:
                b.retainAvailable(zeroOrOne(r.readByte(name), p));
                break;
            case USER_PROPERTY:
                b.addUserProperty(r.readUtf8String("user property name"), r.readUtf8String("user property value"));
                break;
            case MAXIMUM_PACKET_SIZE:
                b.maximumPacketSizeBytes(readMaximumPacketSize(r));
                break;
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
                b.wildcardSubscriptionAvailable(zeroOrOne(r.readByte(name), p));
                break;
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
                b.subscriptionIdentifierAvailable(zeroOrOne(r.readByte(name), p));
                break;
            case SHARED_SUBSCRIPTION_AVAILABLE:
                b.sharedSubscriptionAvailable(zeroOrOne(r.readByte(name), p));
                break;
            default:
                throw new IllegalStateException("no reader for " + p);
        }
    }

    /**
     * Byte-valued switches (Request Problem/Response Information, Maximum QoS, Retain Available,
     * the *Available flags) are a Protocol Error outside 0..1 per their sections in 3.1.2.11
     * and 3.2.2.3. The spec states no reason for Payload Format Indicator; we use the same.
     */
    private static int zeroOrOne(int value, PropertyId property) {
        if (value > 1) {
            throw ProtocolViolation.protocolError(property + " must be 0 or 1, was " + value);
        }
        return value;
    }

    /** Receive Maximum 0 and Subscription Identifier 0 are Protocol Errors (3.1.2.11.3, 3.8.2.1.2). */
    private static int nonZero(int value, PropertyId property) {
        if (value == 0) {
            throw ProtocolViolation.protocolError(property + " must not be 0");
        }
        return value;
    }

    /** A Topic Alias of 0 is answered with Topic Alias invalid (section 3.3.2.3.4). */
    private static int readTopicAlias(WireInput r) {
        int alias = r.readTwoByteInteger("topic alias");
        if (alias == 0) {
            throw new ProtocolViolation(
                    ProtocolViolation.Kind.TOPIC_ALIAS_INVALID, "topic alias 0 is not permitted [MQTT-3.3.2-8]");
        }
        return alias;
    }

    /** Maximum Packet Size 0 is a Protocol Error (section 3.1.2.11.4). */
    private static long readMaximumPacketSize(WireInput r) {
        long size = r.readFourByteInteger("maximum packet size");
        if (size == 0) {
            throw ProtocolViolation.protocolError("MAXIMUM_PACKET_SIZE must not be 0");
        }
        return size;
    }

    /** The Response Topic is a Topic Name, so it must not contain wildcards [MQTT-3.3.2-14]. */
    private static String readResponseTopic(WireInput r) {
        String topic = r.readUtf8String("response topic");
        if (TopicSyntax.hasWildcard(topic)) {
            throw ProtocolViolation.protocolError("response topic contains a wildcard [MQTT-3.3.2-14]");
        }
        return topic;
    }
}
