package dev.cairn.broker.config;

import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.nio.file.Path;

/**
 * The broker's whole configuration, immutable, built once by {@link ConfigLoader} from the
 * defaults table, an optional file and command-line overrides, then passed by constructor to
 * every component that needs it. Every limit the broker enforces lives here (ARCHITECTURE.md,
 * "Every limit is configuration"); {@link ConfigKey} documents each key with its default and range.
 * The durability policy and the journal's roll cycle are storage's own enums ({@link SyncPolicy},
 * {@link JournalRollCycle}), whose names are the config values: one definition, no mapping.
 */
public record BrokerConfig(
        String bindAddress,
        int port,
        Path dataDir,
        SyncPolicy durability,
        int packetSizeMaxBytes,
        int connectionsMax,
        int inflightInboundMax,
        int inflightOutboundMax,
        int queuedMessagesMax,
        int queuedMessagesInMemoryMax,
        long queuedBytesMax,
        QueueOverflow queueOverflow,
        int subscriptionsPerClientMax,
        int topicLengthMaxBytes,
        int topicLevelsMax,
        int clientIdLengthMax,
        int keepAliveMaxSeconds,
        int connectTimeoutSeconds,
        int topicAliasMax,
        long sessionExpiryMaxSeconds,
        int qosMax,
        boolean retainAvailable,
        AuthConfig auth,
        JournalRollCycle journalRollCycle,
        int journalRetentionCheckSeconds,
        int journalRelocateAfterCycles,
        int journalRelocateBatchMax,
        long indexMemoryMaxBytes,
        long diskFreeMinBytes) {

    /**
     * What happens to a message that a session's full queue (queued_messages_max or
     * queued_bytes_max) would have to take; see {@link ConfigKey#QUEUE_OVERFLOW} and
     * docs/durability.md.
     */
    public enum QueueOverflow {
        /** Refuse the whole QoS 1/2 PUBLISH before it is journaled or acknowledged. */
        REJECT("reject"),
        /** Acknowledge and deliver it to everyone else; the full session does not get it. */
        DROP_NEW("drop-new");

        private final String configName;

        QueueOverflow(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /**
     * Whether {@link #bindAddress} is a loopback address (127.0.0.0/8, ::1, or a name that
     * resolves to one). A name that does not resolve counts as not loopback.
     */
    public boolean bindsLoopback() {
        return ConfigLoader.isLoopback(bindAddress);
    }

    /** Whether clients without a user name may connect to the listener ({@link AuthConfig#anonymousAllowed}). */
    public boolean anonymousAllowed() {
        return auth.anonymousAllowed(bindsLoopback());
    }

    /** The configuration with every key at its default. */
    public static BrokerConfig defaults() {
        return ConfigLoader.load(null, java.util.Map.of());
    }

    /** A copy listening on the given port; for tests that bind to port 0. */
    public BrokerConfig withPort(int newPort) {
        return new BrokerConfig(
                bindAddress,
                newPort,
                dataDir,
                durability,
                packetSizeMaxBytes,
                connectionsMax,
                inflightInboundMax,
                inflightOutboundMax,
                queuedMessagesMax,
                queuedMessagesInMemoryMax,
                queuedBytesMax,
                queueOverflow,
                subscriptionsPerClientMax,
                topicLengthMaxBytes,
                topicLevelsMax,
                clientIdLengthMax,
                keepAliveMaxSeconds,
                connectTimeoutSeconds,
                topicAliasMax,
                sessionExpiryMaxSeconds,
                qosMax,
                retainAvailable,
                auth,
                journalRollCycle,
                journalRetentionCheckSeconds,
                journalRelocateAfterCycles,
                journalRelocateBatchMax,
                indexMemoryMaxBytes,
                diskFreeMinBytes);
    }
}
