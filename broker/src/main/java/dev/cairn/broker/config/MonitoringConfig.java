package dev.cairn.broker.config;

/**
 * The admin listener and the thresholds of the operational warnings (docs/operations.md,
 * "Metrics and health").
 *
 * @param adminEnabled whether the HTTP admin listener runs (key {@code admin.enabled})
 * @param adminBind the address it binds to ({@code admin.bind})
 * @param adminPort its port, 0 for a free one ({@code admin.port})
 * @param fsyncWarnMillis a journal sync longer than this is logged and counted ({@code fsync_warn_ms})
 * @param diskFreeWarnBytes less free space than this on the journal's file system is logged, 0
 *     for never ({@code disk_free_warn_bytes})
 * @param sysIntervalSeconds how often the core publishes the {@code $SYS} topics, 0 for never
 *     ({@code sys_interval_seconds})
 */
public record MonitoringConfig(
        boolean adminEnabled,
        String adminBind,
        int adminPort,
        long fsyncWarnMillis,
        long diskFreeWarnBytes,
        int sysIntervalSeconds) {}
