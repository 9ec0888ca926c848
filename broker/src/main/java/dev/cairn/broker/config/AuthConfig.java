package dev.cairn.broker.config;

import java.nio.file.Path;

/**
 * The top-level authentication settings. {@code allow_anonymous} and {@code password_file} here
 * are the default listener's and the defaults of named listeners; what applies to a connection is
 * its listener's {@link ListenerAuth}. The pool, cache and failure-delay settings are broker-wide.
 *
 * @param allowAnonymous the {@code allow_anonymous} key as given: {@code null} when it was not
 *     set ({@link ListenerAuth#anonymousAllowed} says what that means)
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
        int failureAddressesMax) {}
