package dev.cairn.broker.codec;

/**
 * Why a frame could not be decoded: the reason the spec names (MALFORMED_PACKET,
 * PROTOCOL_ERROR, PACKET_TOO_LARGE, UNSUPPORTED_PROTOCOL_VERSION, TOPIC_NAME_INVALID, ...),
 * the packet type if the fixed header was readable (else null), and a human-readable message
 * for the log. When a CONNECT is rejected for its protocol version, {@code version} says which
 * CONNACK encoding to answer with (null: close without answering).
 *
 * <p>More generally, {@code version} is the encoding to answer in before closing: MQTT_3_1_1
 * (or MQTT_3_1) for an unsupported protocol level, MQTT_5 for any error on a 5.0 connection or
 * in a 5.0 CONNECT (answer with CONNACK or DISCONNECT carrying {@code reason}), and null for
 * every other MQTT 3.x error, where the spec's answer is to close the connection.
 */
public record DecodeError(ReasonCode reason, PacketType packetType, ProtocolVersion version, String message) {}
