/**
 * The storage facade: {@link dev.cairn.storage.Store#open(dev.cairn.storage.StoreConfig)} locks the
 * data directory, opens the index and the journal, classifies the journal's tail, replays the
 * journal into the index from the applied position, and hands back a recovered store.
 *
 * <p>Layout of a data directory: {@code journal/} (Chronicle cycle files), {@code index/}
 * (RocksDB, derived: deleting it is always survivable), {@code cairn.lock} (held while open),
 * and {@code journal-broken-<time>} copies of discarded torn tails.
 *
 * <p>Threads: {@code open} runs on the caller's thread; afterwards the journal and the index are
 * handed on to whichever thread appends and applies first (the broker's core loop). {@code close}
 * belongs to that thread too.
 */
package dev.cairn.storage;
