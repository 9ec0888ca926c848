package dev.cairn.broker.config;

import java.nio.file.Path;

/**
 * Who may connect to a listener: the authentication settings, kept in one record so that a
 * listener can carry its own (mosquitto's per-listener {@code allow_anonymous} and
 * {@code password_file}).
 *
 * @param allowAnonymous the {@code allow_anonymous} key as given: {@code null} when it was not
 *     set, which means anonymous clients are accepted on a loopback bind only ({@link
 *     #anonymousAllowed})
 * @param passwordFile the {@code password_file} in mosquitto's format, or null when not set
 * @param threads {@code auth_threads}: the pool that verifies passwords off the core thread
 * @param cacheSeconds {@code auth_cache_seconds}: how long verified credentials stay cached after
 *     the last connection they let in ended; 0 turns the cache off
 * @param cacheEntriesMax {@code auth_cache_entries_max}
 * @param failureDelayMillis {@code auth_failure_delay_millis}: the wait before the first refusal
 *     of bad credentials from an address, doubled for each further failure; 0 turns it off
 * @param failureDelayMaxMillis {@code auth_failure_delay_max_millis}: the longest such wait
 * @param failureAddressesMax {@code auth_failure_addresses_max}: addresses whose failures are
 *     remembered
 */
public record AuthConfig(
        Boolean allowAnonymous,
        Path passwordFile,
        int threads,
        int cacheSeconds,
        int cacheEntriesMax,
        long failureDelayMillis,
        long failureDelayMaxMillis,
        int failureAddressesMax) {

    /**
     * Whether a client without a user name may connect to a listener that is {@code closed}
     * ({@link ListenerConfig#closed}: loopback, or client certificates required) or not: as
     * configured, or when unset only on a closed listener without a password file (mosquitto 2's
     * local-only default; who sets a password file wants clients to log in).
     */
    public boolean anonymousAllowed(boolean closed) {
        return allowAnonymous != null ? allowAnonymous : closed && passwordFile == null;
    }

    /** Whether anonymous clients were allowed explicitly ({@code allow_anonymous = true}). */
    public boolean anonymousExplicitlyAllowed() {
        return Boolean.TRUE.equals(allowAnonymous);
    }
}
