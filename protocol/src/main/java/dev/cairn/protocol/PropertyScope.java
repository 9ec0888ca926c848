package dev.cairn.protocol;

/**
 * Where a property list appears: a packet type, or the Will Properties inside CONNECT, which
 * allow a different set (MQTT 5.0 table 2-4). Used to check a property is allowed there.
 */
public enum PropertyScope {
    CONNECT,
    WILL,
    CONNACK,
    PUBLISH,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBSCRIBE,
    SUBACK,
    UNSUBSCRIBE,
    UNSUBACK,
    DISCONNECT,
    AUTH
}
