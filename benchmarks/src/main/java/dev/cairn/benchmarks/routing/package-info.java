/**
 * JMH benchmarks of routing: matching topics against a subscription tree of realistic shape and
 * size, and parsing topic names.
 *
 * <p>Threads: each benchmark state is owned by one JMH worker thread, as the tree is owned by the
 * core thread in the broker. The generated subscriptions are deterministic (fixed seeds), so
 * runs on different machines walk the same trie.
 */
package dev.cairn.benchmarks.routing;
