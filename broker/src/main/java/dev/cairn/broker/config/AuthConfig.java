package dev.cairn.broker.config;

/**
 * Who may connect to a listener: the authentication settings, kept in one record so that a
 * listener can carry its own (mosquitto's per-listener {@code allow_anonymous} and
 * {@code password_file}).
 *
 * @param allowAnonymous the {@code allow_anonymous} key as given: {@code null} when it was not
 *     set, which means anonymous clients are accepted on a loopback bind only ({@link
 *     #anonymousAllowed})
 */
public record AuthConfig(Boolean allowAnonymous) {

    /**
     * Whether a client without a user name may connect to a listener bound to an address that is
     * ({@code loopback}) or is not a loopback address: as configured, or when unset only on
     * loopback (mosquitto 2's local-only default).
     */
    public boolean anonymousAllowed(boolean loopback) {
        return allowAnonymous != null ? allowAnonymous : loopback;
    }

    /** Whether anonymous clients were allowed explicitly ({@code allow_anonymous = true}). */
    public boolean anonymousExplicitlyAllowed() {
        return Boolean.TRUE.equals(allowAnonymous);
    }
}
