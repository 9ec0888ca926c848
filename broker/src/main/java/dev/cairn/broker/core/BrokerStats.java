package dev.cairn.broker.core;

/**
 * The core's counters at one moment, copied on the core thread (see {@link Command.ReadStats});
 * immutable, so any thread may read it.
 *
 * @param messagesDroppedQueueFull deliveries not queued because the session's queue was full:
 *     QoS 0 ones, wills and retained messages sent on subscribe, and with queue_overflow=drop-new
 *     acknowledged QoS 1/2 messages
 * @param messagesRejectedQueueFull QoS 1/2 PUBLISHes refused before they were journaled or
 *     acknowledged because a queue they had to enter was full (queue_overflow=reject)
 * @param messagesDroppedNoSession QoS 0 messages for a disconnected session
 * @param messagesRejectedDiskFull PUBLISHes refused before they were journaled or acknowledged
 *     because the journal's file system was short of space (disk_free_min_bytes, or a full disk):
 *     QoS 1/2 ones, and retained QoS 0 ones, which are dropped
 */
public record BrokerStats(
        long messagesReceived,
        long messagesDelivered,
        long messagesDroppedQueueFull,
        long messagesRejectedQueueFull,
        long messagesDroppedNoSession,
        long journalFilesDeleted,
        long journalBytesDeleted,
        long messagesRelocated,
        long messagesRejectedDiskFull) {}
