package dev.cairn.storage.journal;

/**
 * What {@link Journal#sync()} guarantees. The names are the broker's {@code durability} config
 * values (the broker parses them with this enum) and never change.
 */
public enum SyncPolicy {
    /**
     * Chronicle in {@code SyncMode.SYNC}: {@code sync()} blocks until msync of the written pages
     * returns, then forces every cycle file written since the last sync (header and index pages
     * that msync does not cover) and fsyncs the journal directory when a cycle file was created.
     * Survives kill -9 and power loss.
     */
    FSYNC("fsync"),
    /**
     * No msync: {@code sync()} only advances the synced position. The data is in the page cache,
     * which survives kill -9 of the process but not a power cut or kernel crash.
     */
    PROCESS("process");

    private final String configName;

    SyncPolicy(String configName) {
        this.configName = configName;
    }

    /** The stable name used in configuration files. */
    public String configName() {
        return configName;
    }
}
