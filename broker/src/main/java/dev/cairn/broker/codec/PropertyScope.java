package dev.cairn.broker.codec;

/**
 * Where a property list appears: a packet type, or the Will Properties inside CONNECT, which
 * allow a different set (MQTT 5.0 table 2-4). Used to check a property is allowed there.
 */
enum PropertyScope {
    CONNECT, WILL, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
    UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH;

    static PropertyScope of(PacketType type) {
        switch (type) {
            case CONNECT: return CONNECT;
            case CONNACK: return CONNACK;
            case PUBLISH: return PUBLISH;
            case PUBACK: return PUBACK;
            case PUBREC: return PUBREC;
            case PUBREL: return PUBREL;
            case PUBCOMP: return PUBCOMP;
            case SUBSCRIBE: return SUBSCRIBE;
            case SUBACK: return SUBACK;
            case UNSUBSCRIBE: return UNSUBSCRIBE;
            case UNSUBACK: return UNSUBACK;
            case DISCONNECT: return DISCONNECT;
            case AUTH: return AUTH;
            default: throw new IllegalArgumentException(type + " carries no properties");
        }
    }
}
