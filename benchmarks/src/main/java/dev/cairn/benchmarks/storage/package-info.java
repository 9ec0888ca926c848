/**
 * JMH benchmarks of the storage layer: journal appends with and without syncs, and index write
 * batches. Also the helpers every benchmark that touches disk shares: {@code ChronicleJvmFlags}
 * for the forked JVM and {@code ScratchDirectory} for temporary data directories.
 *
 * <p>Threads: the journal and the index belong to the JMH worker thread that opened them, as they
 * belong to the core thread in the broker. Every benchmark creates its files in a fresh temporary
 * directory during setup and deletes it during teardown.
 */
package dev.cairn.benchmarks.storage;
