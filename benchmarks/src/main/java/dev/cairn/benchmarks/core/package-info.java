/**
 * JMH benchmark of the broker's core loop in-process: fake clients submit commands and count
 * what the core releases to their wires, so the measurement covers routing, the journal, the
 * sync, the outbox and the index, and nothing of the network.
 *
 * <p>Threads: the benchmark thread submits commands and waits; the core loop's own thread runs
 * everything else, including the fake wires' {@code send} and {@code flush}.
 */
package dev.cairn.benchmarks.core;
