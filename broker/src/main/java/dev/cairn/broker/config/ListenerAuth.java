package dev.cairn.broker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Who may connect to one listener and what they may do there: its effective {@code
 * allow_anonymous}, {@code password_file} and {@code acl_file}. The top-level keys give the
 * default listener's and are the defaults of every named listener, which may override each with
 * {@code listener.NAME.allow_anonymous}, {@code .password_file} and {@code .acl_file} (an empty
 * {@code password_file} or {@code acl_file} there means "none on this listener").
 *
 * @param allowAnonymous {@code allow_anonymous} as given: null when unset, which means anonymous
 *     clients are accepted only where {@link #anonymousAllowed} says
 * @param passwordFile the password file in mosquitto's format, or null
 * @param aclFile the topic ACL file in mosquitto's syntax, or null (every topic allowed)
 * @param authMethods the MQTT 5 enhanced authentication methods offered ({@code auth_methods}):
 *     their Authentication Method names; empty for none
 */
public record ListenerAuth(Boolean allowAnonymous, Path passwordFile, Path aclFile, List<String> authMethods) {

    public ListenerAuth {
        authMethods = List.copyOf(authMethods);
    }

    /** Settings that offer no enhanced authentication method. */
    public ListenerAuth(Boolean allowAnonymous, Path passwordFile, Path aclFile) {
        this(allowAnonymous, passwordFile, aclFile, List.of());
    }

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
