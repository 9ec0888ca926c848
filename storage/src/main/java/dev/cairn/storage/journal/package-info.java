/**
 * The journal: an append-only sequence of {@link dev.cairn.storage.record.JournalRecord}s
 * addressed by position, over Chronicle Queue.
 *
 * <p>Owns: the {@link dev.cairn.storage.journal.Journal} seam, its Chronicle implementation
 * {@link dev.cairn.storage.journal.ChronicleJournal} (the only code in Cairn that imports
 * {@code net.openhft}), the {@link dev.cairn.storage.journal.SyncPolicy}, and the tail check that
 * classifies a journal as clean, torn or corrupt ({@link dev.cairn.storage.journal.JournalTail}).
 *
 * <p>Threads: one owner thread appends and syncs (Chronicle's appender is single-threaded; the
 * owner is asserted). {@code read} and {@code replayFrom} may be called from any thread. Retention
 * (deleting old cycle files) is not implemented yet.
 *
 * <p>Invariants: positions only grow; {@code syncedPosition() <= lastAppendedPosition()}; a frame
 * that fails its CRC is never handed out as a record.
 */
package dev.cairn.storage.journal;
