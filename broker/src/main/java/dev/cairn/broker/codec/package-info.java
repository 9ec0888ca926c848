/**
 * The MQTT wire format: the packet model (a sealed {@link dev.cairn.broker.codec.Packet} with one
 * record per packet type), a frame decoder with explicit states, and pure decode and encode
 * functions for MQTT 3.1, 3.1.1 and 5.0. Malformed input becomes a
 * {@link dev.cairn.broker.codec.DecodeError} carrying the reason code the spec names; size limits
 * are constructor arguments. Runs on Netty I/O threads; every type here is immutable or confined
 * to one channel. Knows nothing of sessions, routing or storage.
 *
 * <p>Public API: {@link dev.cairn.broker.codec.MqttFrameDecoder} (framing, packet size limit,
 * CONNECT ordering, the {@code PROTOCOL_VERSION} channel attribute) and
 * {@link dev.cairn.broker.codec.MqttPacketEncoder} are the Netty handlers;
 * {@link dev.cairn.broker.codec.PacketDecoder} (one per connection, not thread-safe) and
 * {@link dev.cairn.broker.codec.PacketEncoder} (static, pure) are the functions beneath them.
 * Everything else (the strict {@code WireReader}, {@code WireWriter}, {@code PropertiesCodec}
 * and the per-packet-family readers and writers) is package-private. The rules the tools apply to
 * the same bytes are not here but in cairn-protocol ({@code dev.cairn.protocol}): the property
 * model and {@code PropertyDecoder}, which reads through {@code WireReader}, and
 * {@code StrictUtf8}; their failures become {@code DecodeFailure}s with the same message.
 *
 * <p>Invariants: the decoder checks every rule a single packet can break in isolation and
 * nothing that needs connection state or configuration (topic alias ranges, receive maximum,
 * client identifier rules, topic filter syntax); those belong to the core and routing. Decoded
 * packets never reference Netty buffers. {@code PacketEncoder.encodedSize} always equals the
 * number of bytes {@code encode} writes. The decision to write this codec rather than use
 * netty-codec-mqtt is docs/decisions/0001-own-mqtt-codec.md.
 */
package dev.cairn.broker.codec;
