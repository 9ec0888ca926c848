/**
 * The MQTT wire format: the packet model (a sealed {@link dev.cairn.broker.codec.Packet} with one
 * record per packet type), a frame decoder with explicit states, and pure decode and encode
 * functions for MQTT 3.1, 3.1.1 and 5.0. Malformed input becomes a
 * {@link dev.cairn.broker.codec.DecodeError} carrying the reason code the spec names; size limits
 * are constructor arguments. Runs on Netty I/O threads; every type here is immutable or confined
 * to one channel. Knows nothing of sessions, routing or storage.
 */
package dev.cairn.broker.codec;
