/**
 * Routing: which subscriptions a published topic reaches, and which retained messages a new
 * subscription receives.
 *
 * <p>Works on the value types {@link dev.cairn.protocol.TopicName} and
 * {@link dev.cairn.protocol.TopicFilter} of cairn-protocol (parsed and validated once, at the
 * edge, against {@link dev.cairn.protocol.TopicLimits}; raw topic strings go no further; the tools
 * parse their filters with the same classes). Owns
 * {@link dev.cairn.broker.routing.SubscriptionTree} (a trie over filter levels with dedicated
 * {@code +} and {@code #} slots, plus shared subscription groups) and
 * {@link dev.cairn.broker.routing.RetainedMessages} (a trie over topic levels).
 *
 * <p>Threads: the value types are immutable and may cross threads. The tree and the retained
 * store are owned by the core thread alone: they take no locks and use no concurrent
 * collections, because only {@code CoreLoop}'s thread ever mutates or reads them, and other
 * threads reach them only by enqueueing a {@code Command}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A {@code TopicName} never holds a wildcard; a {@code TopicFilter} holds {@code #} only as
 *       its whole last level and {@code +} only as whole levels; both fit their limits.</li>
 *   <li>The tries hold no empty node: removing the last subscription or message under a node
 *       removes the node and any ancestors left empty, so memory follows live state.</li>
 *   <li>A subscriber holds at most one subscription per full filter string, and so appears at
 *       most once in each shared group; subscribing again replaces the options.</li>
 *   <li>{@code SubscriptionTree.match} agrees with {@code TopicFilter.matches}, including the rule
 *       that a filter starting with a wildcard does not match a topic starting with {@code $}
 *       [MQTT-4.7.2-1].</li>
 * </ul>
 *
 * <p>Imports nothing outside the JDK and cairn-protocol: no Netty, no storage.
 */
package dev.cairn.broker.routing;
