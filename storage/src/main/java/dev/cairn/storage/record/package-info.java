/**
 * The durable record types and their on-disk encoding, exactly as {@code docs/journal-format.md}
 * describes them.
 *
 * <p>Owns: the sealed {@link dev.cairn.storage.record.JournalRecord} hierarchy (one Java record per
 * fact, each with a stable numeric {@link dev.cairn.storage.record.RecordType} code), the frame
 * (header, body, CRC32C) written by {@link dev.cairn.storage.record.RecordCodec}, and the small
 * big-endian field primitives {@link dev.cairn.storage.record.BinaryWriter} and
 * {@link dev.cairn.storage.record.BinaryReader} that the index reuses for its values.
 *
 * <p>Threads: everything here is stateless or confined to the caller's stack; any thread may use
 * it. Record values are immutable by contract: their {@code byte[]} and {@code int[]} fields are
 * not copied (payloads are large), so callers must not mutate an array after handing it over.
 *
 * <p>Knows nothing of Chronicle, RocksDB, Netty or the MQTT wire format.
 */
package dev.cairn.storage.record;
