package dev.cairn.broker.codec;

/**
 * Which end of the connection the codec serves. A server must reject packets only a server
 * sends (CONNACK, SUBACK, UNSUBACK, PINGRESP), and a client those only a client sends (CONNECT,
 * SUBSCRIBE, UNSUBSCRIBE, PINGREQ); both are Protocol Errors.
 */
public enum Role {
    SERVER,
    CLIENT;

    /** Whether a peer of this role may legitimately receive the packet type. */
    boolean mayReceive(PacketType type) {
        switch (type) {
            case CONNACK:
            case SUBACK:
            case UNSUBACK:
            case PINGRESP:
                return this == CLIENT;
            case CONNECT:
            case SUBSCRIBE:
            case UNSUBSCRIBE:
            case PINGREQ:
                return this == SERVER;
            default:
                return true;
        }
    }
}
