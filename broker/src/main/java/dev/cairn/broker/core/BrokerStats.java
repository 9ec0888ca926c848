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
 * @param aclDeniedSubscribe SUBSCRIBE filters the topic ACL refused (SUBACK 0x87, 3.1.1: 0x80)
 * @param aclDeniedPublish PUBLISHes on topics their client may not write, not forwarded
 * @param aclDeniedDelivery messages withheld at delivery from a session that may not read their
 *     topic (retained, shared picks, queued before the ACL changed)
 * @param aclDeniedWill wills not published because their owner may not write their topic
 * @param authAccepted CONNECTs accepted with a user name (checked against the password file or
 *     given by a verified client certificate)
 * @param authRefusedBadCredentials CONNECTs refused 0x86 Bad user name or password (3.1.1: 4)
 * @param authRefusedNotAuthorized CONNECTs refused 0x87 Not authorized (3.1.1: 5), e.g. anonymous
 *     where anonymous access is off
 * @param messagesDroppedExpired messages that left a session's queue unsent because their Message
 *     Expiry Interval ran out while they waited [MQTT-3.3.2-5]
 * @param messagesDroppedTooLarge messages not sent because the PUBLISH was larger than the
 *     client's Maximum Packet Size [MQTT-3.1.2-25]
 * @param connectsAccepted CONNECTs accepted (CONNACK 0x00)
 * @param clientsConnectedMax the most clients connected at the same time since the broker started
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
        long messagesRejectedDiskFull,
        long aclDeniedSubscribe,
        long aclDeniedPublish,
        long aclDeniedDelivery,
        long aclDeniedWill,
        long authAccepted,
        long authRefusedBadCredentials,
        long authRefusedNotAuthorized,
        long messagesDroppedExpired,
        long messagesDroppedTooLarge,
        long connectsAccepted,
        long clientsConnectedMax) {}
