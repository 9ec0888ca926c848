package dev.cairn.protocol;

import static dev.cairn.protocol.PropertyScope.AUTH;
import static dev.cairn.protocol.PropertyScope.CONNACK;
import static dev.cairn.protocol.PropertyScope.CONNECT;
import static dev.cairn.protocol.PropertyScope.DISCONNECT;
import static dev.cairn.protocol.PropertyScope.PUBACK;
import static dev.cairn.protocol.PropertyScope.PUBCOMP;
import static dev.cairn.protocol.PropertyScope.PUBLISH;
import static dev.cairn.protocol.PropertyScope.PUBREC;
import static dev.cairn.protocol.PropertyScope.PUBREL;
import static dev.cairn.protocol.PropertyScope.SUBACK;
import static dev.cairn.protocol.PropertyScope.SUBSCRIBE;
import static dev.cairn.protocol.PropertyScope.UNSUBACK;
import static dev.cairn.protocol.PropertyScope.WILL;

import java.util.EnumSet;
import java.util.Set;

/**
 * The MQTT 5.0 property identifiers with their data type and the places they may appear, as
 * MQTT 5.0 table 2-4 lists them. Declared in identifier order, which is also the order the
 * encoder writes them in.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, DataType.BYTE, EnumSet.of(PUBLISH, WILL)),
    MESSAGE_EXPIRY_INTERVAL(0x02, DataType.FOUR_BYTE_INTEGER, EnumSet.of(PUBLISH, WILL)),
    CONTENT_TYPE(0x03, DataType.UTF8_STRING, EnumSet.of(PUBLISH, WILL)),
    RESPONSE_TOPIC(0x08, DataType.UTF8_STRING, EnumSet.of(PUBLISH, WILL)),
    CORRELATION_DATA(0x09, DataType.BINARY, EnumSet.of(PUBLISH, WILL)),
    SUBSCRIPTION_IDENTIFIER(0x0B, DataType.VARIABLE_BYTE_INTEGER, EnumSet.of(PUBLISH, SUBSCRIBE)),
    SESSION_EXPIRY_INTERVAL(0x11, DataType.FOUR_BYTE_INTEGER, EnumSet.of(CONNECT, CONNACK, DISCONNECT)),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, DataType.UTF8_STRING, EnumSet.of(CONNACK)),
    SERVER_KEEP_ALIVE(0x13, DataType.TWO_BYTE_INTEGER, EnumSet.of(CONNACK)),
    AUTHENTICATION_METHOD(0x15, DataType.UTF8_STRING, EnumSet.of(CONNECT, CONNACK, AUTH)),
    AUTHENTICATION_DATA(0x16, DataType.BINARY, EnumSet.of(CONNECT, CONNACK, AUTH)),
    REQUEST_PROBLEM_INFORMATION(0x17, DataType.BYTE, EnumSet.of(CONNECT)),
    WILL_DELAY_INTERVAL(0x18, DataType.FOUR_BYTE_INTEGER, EnumSet.of(WILL)),
    REQUEST_RESPONSE_INFORMATION(0x19, DataType.BYTE, EnumSet.of(CONNECT)),
    RESPONSE_INFORMATION(0x1A, DataType.UTF8_STRING, EnumSet.of(CONNACK)),
    SERVER_REFERENCE(0x1C, DataType.UTF8_STRING, EnumSet.of(CONNACK, DISCONNECT)),
    REASON_STRING(
            0x1F,
            DataType.UTF8_STRING,
            EnumSet.of(CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH)),
    RECEIVE_MAXIMUM(0x21, DataType.TWO_BYTE_INTEGER, EnumSet.of(CONNECT, CONNACK)),
    TOPIC_ALIAS_MAXIMUM(0x22, DataType.TWO_BYTE_INTEGER, EnumSet.of(CONNECT, CONNACK)),
    TOPIC_ALIAS(0x23, DataType.TWO_BYTE_INTEGER, EnumSet.of(PUBLISH)),
    MAXIMUM_QOS(0x24, DataType.BYTE, EnumSet.of(CONNACK)),
    RETAIN_AVAILABLE(0x25, DataType.BYTE, EnumSet.of(CONNACK)),
    USER_PROPERTY(0x26, DataType.UTF8_STRING_PAIR, EnumSet.allOf(PropertyScope.class)),
    MAXIMUM_PACKET_SIZE(0x27, DataType.FOUR_BYTE_INTEGER, EnumSet.of(CONNECT, CONNACK)),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, DataType.BYTE, EnumSet.of(CONNACK)),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, DataType.BYTE, EnumSet.of(CONNACK)),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, DataType.BYTE, EnumSet.of(CONNACK));

    /** The wire data types of section 1.5 that properties use. */
    public enum DataType {
        BYTE,
        TWO_BYTE_INTEGER,
        FOUR_BYTE_INTEGER,
        VARIABLE_BYTE_INTEGER,
        UTF8_STRING,
        BINARY,
        UTF8_STRING_PAIR
    }

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId property : values()) {
            BY_ID[property.id] = property;
        }
    }

    private final int id;
    private final DataType dataType;
    private final Set<PropertyScope> scopes;

    PropertyId(int id, DataType dataType, Set<PropertyScope> scopes) {
        this.id = id;
        this.dataType = dataType;
        this.scopes = scopes;
    }

    public int id() {
        return id;
    }

    public DataType dataType() {
        return dataType;
    }

    public boolean allowedIn(PropertyScope scope) {
        return scopes.contains(scope);
    }

    /**
     * Whether the property may appear more than once in a list: User Property always, and
     * Subscription Identifier in PUBLISH (one per matching subscription, section 3.3.2.3.8) but
     * not in SUBSCRIBE (section 3.8.2.1.2). Every other repeat is a Protocol Error.
     */
    public boolean repeatableIn(PropertyScope scope) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && scope == PUBLISH);
    }

    /** The property for an identifier, or null if the identifier is not defined. */
    public static PropertyId fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
