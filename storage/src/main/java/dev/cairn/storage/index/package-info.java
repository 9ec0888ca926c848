/**
 * The index: RocksDB column families derived from the journal, so the broker can find sessions,
 * subscriptions, queue entries, inbound QoS 2 ids, retained messages and scheduled wills without
 * reading the journal from the start.
 *
 * <p>Owns: the {@link dev.cairn.storage.index.IndexStore} seam and
 * {@link dev.cairn.storage.index.RocksIndexStore}, the only code in Cairn that imports
 * {@code org.rocksdb}; the key layout ({@code Keys}: client id, 0x00, big-endian suffix, so range
 * scans sort by position), the value layout ({@code Values}), and the pure apply logic
 * ({@code BatchApplier}) that turns records into one atomic batch of mutations.
 *
 * <p>Threads: {@code apply} belongs to one owner thread (the core loop after recovery; asserted).
 * Queries may run on any thread; RocksDB reads are thread-safe and see whole batches only.
 *
 * <p>Invariants: {@code meta/appliedPosition} is written in the same WriteBatch as the changes it
 * covers, and records at or below it are skipped, so applying a batch twice, or replaying from an
 * older position, leaves the same state. RocksDB's WAL is off: the journal is the WAL.
 */
package dev.cairn.storage.index;
