package dev.cairn.broker.codec;

/**
 * Why a frame could not be decoded: the reason the spec names (MALFORMED_PACKET,
 * PROTOCOL_ERROR, PACKET_TOO_LARGE, UNSUPPORTED_PROTOCOL_VERSION, TOPIC_NAME_INVALID, ...),
 * the packet type if the fixed header was readable (else null), and a human-readable message
 * for the log. When a CONNECT is rejected for its protocol version, {@code version} says which
 * CONNACK encoding to answer with (null: close without answering).
 */
public record DecodeError(ReasonCode reason, PacketType packetType, ProtocolVersion version, String message) {
}
