package dev.cairn.storage.journal;

/**
 * How often the journal starts a new cycle file. Retention deletes whole cycle files, so this is
 * the granularity at which disk space comes back. The names are the broker's
 * {@code journal_roll_cycle} config values (the broker parses them with this enum) and never change.
 */
public enum JournalRollCycle {
    /** A file per five minutes: for tests and very high rates. */
    FIVE_MINUTELY("five-minutely"),
    /** A file per hour (the default). */
    HOURLY("hourly"),
    /** A file per day. */
    DAILY("daily");

    private final String configName;

    JournalRollCycle(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
