package dev.cairn.broker.config;

import java.nio.file.Path;

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
 * @param api the admin API's credentials and timeout
 */
public record MonitoringConfig(
        boolean adminEnabled,
        String adminBind,
        int adminPort,
        long fsyncWarnMillis,
        long diskFreeWarnBytes,
        int sysIntervalSeconds,
        AdminApiConfig api) {

    /**
     * Who may use the admin API and how long a request waits for the core.
     *
     * @param passwordFile users allowed with HTTP Basic credentials ({@code admin.password_file}), or null
     * @param tokenFile the file holding the bearer token ({@code admin.token_file}), or null
     * @param timeoutMillis how long a request waits for the core's answer ({@code admin.api_timeout_ms})
     */
    public record AdminApiConfig(Path passwordFile, Path tokenFile, long timeoutMillis) {
        /** Whether any credential is configured; without one the API refuses every request. */
        public boolean open() {
            return passwordFile != null || tokenFile != null;
        }
    }
}
