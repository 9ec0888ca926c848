package dev.cairn.broker.config;

import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * The broker's whole configuration, immutable, built once by {@link ConfigLoader} from the
 * defaults table, an optional file and command-line overrides, then passed by constructor to
 * every component that needs it. Every limit the broker enforces lives here (ARCHITECTURE.md,
 * "Every limit is configuration"); {@link ConfigKey} documents each key with its default and range.
 * The durability policy and the journal's roll cycle are storage's own enums ({@link SyncPolicy},
 * {@link JournalRollCycle}), whose names are the config values: one definition, no mapping.
 *
 * @param bindAddress the address of the default listener (key {@code bind})
 * @param port the port of the default listener (key {@code port})
 * @param listeners every listener the broker runs, in order: the default one of {@code bind} and
 *     {@code port} first unless {@code default_listener = false}, then the named ones by name
 * @param aclFile the topic ACL file, null when no {@code acl_file} is set
 * @param monitoring the admin listener and the thresholds of the slow-sync and low-space warnings
 * @param bridges every bridge to a remote broker ({@code bridge.NAME.*}), by name
 * @param logLevel the level of every logger without one of its own ({@code log_level})
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
        boolean allowBridgeMarker,
        AuthConfig auth,
        JournalRollCycle journalRollCycle,
        int journalRetentionCheckSeconds,
        int journalRelocateAfterCycles,
        int journalRelocateBatchMax,
        long indexMemoryMaxBytes,
        long diskFreeMinBytes,
        Path aclFile,
        List<ListenerConfig> listeners,
        MonitoringConfig monitoring,
        List<BridgeConfig> bridges,
        LogLevel logLevel) {

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        bridges = List.copyOf(bridges);
    }

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

    /** The configuration with every key at its default. */
    public static BrokerConfig defaults() {
        return ConfigLoader.load(null, java.util.Map.of());
    }

    /** A copy whose default listener listens on the given port; for tests that bind to port 0. */
    public BrokerConfig withPort(int newPort) {
        List<ListenerConfig> moved = listeners.stream()
                .map(l -> l.name().equals(ListenerConfig.DEFAULT_NAME) ? l.withPort(newPort) : l)
                .toList();
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
                allowBridgeMarker,
                auth,
                journalRollCycle,
                journalRetentionCheckSeconds,
                journalRelocateAfterCycles,
                journalRelocateBatchMax,
                indexMemoryMaxBytes,
                diskFreeMinBytes,
                aclFile,
                moved,
                monitoring,
                bridges,
                logLevel);
    }
}
