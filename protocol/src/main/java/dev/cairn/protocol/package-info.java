/**
 * What the broker and the tools must agree on, once: the MQTT 5 property table
 * ({@link dev.cairn.protocol.PropertyId}, {@link dev.cairn.protocol.PropertyScope}), the
 * property model ({@link dev.cairn.protocol.Properties}) and its one reader
 * ({@link dev.cairn.protocol.PropertyDecoder}, over a {@link dev.cairn.protocol.WireInput}),
 * strict UTF-8 with the control-character rule for names ({@link dev.cairn.protocol.StrictUtf8}),
 * topic names and filters with their matching ({@link dev.cairn.protocol.TopicName},
 * {@link dev.cairn.protocol.TopicFilter}), mosquitto's password file format
 * ({@link dev.cairn.protocol.PasswordFile}, {@link dev.cairn.protocol.PasswordHash}: the broker
 * reads it, {@code cairn-tools passwd} writes it), and the build's version
 * ({@link dev.cairn.protocol.CairnVersion}). docs/decisions/0012-protocol-module.md says why.
 *
 * <p>Plain Java with no dependencies (the module's POM fails the build on any): no Netty, no
 * storage, no logging. Broken rules are {@link dev.cairn.protocol.ProtocolViolation}s naming the
 * rule (the broker turns them into reason codes) or, for topics, checked
 * {@link dev.cairn.protocol.InvalidTopicException}s. Value types are immutable; a
 * {@code StrictUtf8} and a {@code WireInput} belong to one thread.
 */
package dev.cairn.protocol;
