package dev.cairn.broker.config;

/**
 * Every key of a named listener, {@code listener.NAME.KEY}, with its default, its range and what
 * it means: the second table of the configuration next to {@link ConfigKey}. The names are
 * mosquitto's wherever mosquitto has the setting, so a {@code mosquitto.conf} listener translates
 * key for key. The README's configuration reference lists each as {@code listener.NAME.KEY}
 * ({@code ConfigLoaderTest} checks it). An empty default means "not set" (for {@link #PORT}:
 * required); {@code min == max == 0} marks a non-numeric key; ranges are inclusive.
 */
public enum ListenerKey {
    TYPE(
            "type",
            "tcp",
            0,
            0,
            false,
            "tcp (MQTT on TCP), tls (MQTT on TLS), ws (MQTT over WebSockets) or wss (MQTT over WebSockets on TLS)."),
    BIND("bind", "127.0.0.1", 0, 0, false, "Address the listener binds to (0.0.0.0: every IPv4 interface)."),
    PORT("port", "", 0, 65535, false, "TCP port of the listener; required (0 picks a free port)."),
    CERTFILE("certfile", "", 0, 0, true, "PEM file of the server certificate chain, leaf first; required for tls."),
    KEYFILE(
            "keyfile",
            "",
            0,
            0,
            true,
            "PEM file of the server's PKCS#8 private key (RSA or EC; BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY); required for tls."),
    KEYFILE_PASSWORD("keyfile_password", "", 0, 0, true, "Password of an encrypted keyfile (not a mosquitto key)."),
    CAFILE(
            "cafile",
            "",
            0,
            0,
            true,
            "PEM bundle of the CA certificates client certificates must chain to; required with require_certificate."),
    CRLFILE(
            "crlfile",
            "",
            0,
            0,
            true,
            "PEM (or DER) certificate revocation list(s) of the cafile's CAs; a revoked client certificate is refused (checked for the client's own certificate)."),
    REQUIRE_CERTIFICATE(
            "require_certificate",
            "false",
            0,
            0,
            true,
            "Clients must present a certificate that chains to cafile (mutual TLS); without one the handshake fails."),
    USE_IDENTITY_AS_USERNAME(
            "use_identity_as_username",
            "false",
            0,
            0,
            true,
            "The client certificate's CN is the connection's username; the username the client sends is ignored. Needs require_certificate; wins over use_subject_as_username."),
    USE_SUBJECT_AS_USERNAME(
            "use_subject_as_username",
            "false",
            0,
            0,
            true,
            "The client certificate's whole subject (RFC 2253, e.g. CN=pump-7,O=Plant) is the connection's username; the username the client sends is ignored. Needs require_certificate."),
    TLS_VERSION(
            "tls_version",
            "tlsv1.2",
            0,
            0,
            true,
            "Oldest TLS version accepted: tlsv1.2 (TLS 1.2 and 1.3) or tlsv1.3 (TLS 1.3 only)."),
    CIPHERS(
            "ciphers",
            "",
            0,
            0,
            true,
            "Cipher suites allowed, by their IANA names (e.g. TLS_AES_128_GCM_SHA256), separated by ':' or ','; empty: the provider's defaults for the enabled versions. With tls_provider = openssl only TLS 1.2 suites may be named (TLS 1.3 always offers BoringSSL's three)."),
    TLS_PROVIDER(
            "tls_provider",
            "jdk",
            0,
            0,
            true,
            "Which TLS implementation the listener runs: jdk (the JDK's own) or openssl (Netty's BoringSSL engine, shipped for Linux x86-64 and aarch64; refused at start where it cannot load). Both take the same files and keys; see docs/decisions/0022-tls-provider.md."),
    HANDSHAKE_TIMEOUT_SECONDS(
            "handshake_timeout_seconds",
            "10",
            1,
            3600,
            true,
            "A TLS handshake not finished within this time closes the connection."),
    PATH(
            "path",
            "/mqtt",
            0,
            0,
            false,
            "ws and wss only: the HTTP path of the WebSocket upgrade (starting with /); other paths get 404."),
    HTTP_ORIGINS(
            "http_origins",
            "",
            0,
            0,
            false,
            "ws and wss only: the Origin values (scheme://host[:port], separated by ',') a browser page's upgrade may carry; others get 403. Empty: any. Requests without Origin (clients that are not browsers) are not affected."),
    ALLOW_ANONYMOUS(
            "allow_anonymous",
            "",
            0,
            0,
            false,
            "As the top-level allow_anonymous, for this listener; unset: the top-level value."),
    PASSWORD_FILE(
            "password_file",
            "",
            0,
            0,
            false,
            "As the top-level password_file, for this listener; unset: the top-level file; set but empty: no password file here. Listeners naming one file share it."),
    AUTH_METHODS(
            "auth_methods",
            "",
            0,
            0,
            false,
            "As the top-level auth_methods, for this listener; unset: the top-level value; set but empty: none here. Needs a password file on this listener."),
    ACL_FILE(
            "acl_file",
            "",
            0,
            0,
            false,
            "As the top-level acl_file, for this listener; unset: the top-level file; set but empty: no ACL here (every topic allowed). Listeners naming one file share it."),
    CONNECTIONS_MAX(
            "connections_max",
            "0",
            0,
            10000000,
            false,
            "Open connections allowed on this listener (0: no limit of its own); further sockets are closed on accept, before any MQTT byte. The top-level connections_max still bounds all listeners together."),
    CONNECTIONS_PER_SECOND_PER_ADDRESS(
            "connections_per_second_per_address",
            "0",
            0,
            1000000,
            false,
            "New connections accepted from one source address per second (0: no limit); further sockets are closed on accept, before any MQTT byte, and counted. Unset: the top-level connections_per_second_per_address (0 by default: many devices behind one NAT gateway share an address).");

    /** The prefix of every listener key: {@code listener.NAME.KEY}. */
    public static final String PREFIX = "listener.";

    private final String key;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final boolean tlsOnly;
    private final String description;

    ListenerKey(String key, String defaultValue, long min, long max, boolean tlsOnly, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.tlsOnly = tlsOnly;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The key as it appears in a config file, for listener {@code name}. */
    /** Whether a reload (SIGHUP) applies a changed value of this key, as {@link ConfigKey#reloads}. */
    public boolean reloads() {
        return switch (this) {
            case AUTH_METHODS, CONNECTIONS_MAX, CONNECTIONS_PER_SECOND_PER_ADDRESS -> true;
            default -> false;
        };
    }

    public String of(String name) {
        return PREFIX + name + "." + key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** Whether the key means something only on a listener that speaks TLS. */
    public boolean tlsOnly() {
        return tlsOnly;
    }

    public String description() {
        return description;
    }

    static ListenerKey byKey(String key) {
        for (ListenerKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
