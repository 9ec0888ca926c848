package dev.cairn.broker.config;

import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import dev.cairn.broker.config.TlsSettings.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code listener.NAME.KEY} lines of one listener into a {@link ListenerConfig}, checking
 * it as a whole: its type, its required keys, that every file it names can be read, and that it
 * sets no key its type does not use. Every message names the key. Whether the files hold what
 * they should (certificates, a key that matches them) is checked when the listener starts, by the
 * transport that reads them.
 */
final class ListenerSettings {
    private ListenerSettings() {}

    /**
     * @param inherited the top-level authentication settings, which the listener's own {@code
     *     allow_anonymous}, {@code password_file} and {@code acl_file} override
     * @param inheritedRatePerAddress the top-level {@code connections_per_second_per_address},
     *     which the listener's own overrides
     */
    static ListenerConfig listener(
            String name, Map<ListenerKey, String> set, ListenerAuth inherited, int inheritedRatePerAddress) {
        ListenerType type = ConfigLoader.choice(
                ListenerKey.TYPE.of(name),
                value(set, ListenerKey.TYPE),
                ListenerType.values(),
                ListenerType::configName);
        if (!set.containsKey(ListenerKey.PORT)) {
            throw new ConfigException(ListenerKey.PORT.of(name) + " is required");
        }
        int port = (int) number(name, set, ListenerKey.PORT);
        String bind = value(set, ListenerKey.BIND);
        if (bind.isEmpty()) {
            throw new ConfigException(ListenerKey.BIND.of(name) + " must not be empty");
        }
        if (!type.tls()) {
            for (ListenerKey key : set.keySet()) {
                if (key.tlsOnly()) {
                    throw new ConfigException(key.of(name) + " applies only to TLS listeners, and listener " + name
                            + " is " + type.configName());
                }
            }
        }
        for (ListenerKey key : List.of(ListenerKey.PATH, ListenerKey.HTTP_ORIGINS)) {
            if (!type.webSocket() && set.containsKey(key)) {
                throw new ConfigException(key.of(name) + " applies only to WebSocket listeners (ws, wss), and listener "
                        + name + " is " + type.configName());
            }
        }
        int handshakeTimeout = (int) number(name, set, ListenerKey.HANDSHAKE_TIMEOUT_SECONDS);
        return new ListenerConfig(
                name,
                type,
                bind,
                port,
                handshakeTimeout,
                type.tls() ? tls(name, set) : null,
                auth(name, set, inherited),
                (int) number(name, set, ListenerKey.CONNECTIONS_MAX),
                set.containsKey(ListenerKey.CONNECTIONS_PER_SECOND_PER_ADDRESS)
                        ? (int) number(name, set, ListenerKey.CONNECTIONS_PER_SECOND_PER_ADDRESS)
                        : inheritedRatePerAddress,
                type.webSocket() ? webSocket(name, set) : null);
    }

    /**
     * The listener's own {@code allow_anonymous}, {@code password_file} and {@code acl_file} where
     * set, the top-level ones where not. A file key set to the empty string means "none here".
     * Files are checked for existence and readability by their loaders, which name the file.
     */
    private static ListenerAuth auth(String name, Map<ListenerKey, String> set, ListenerAuth inherited) {
        Boolean allowAnonymous = inherited.allowAnonymous();
        String anonymous = set.get(ListenerKey.ALLOW_ANONYMOUS);
        if (anonymous != null && !anonymous.isEmpty()) {
            allowAnonymous = ConfigLoader.bool(ListenerKey.ALLOW_ANONYMOUS.of(name), anonymous);
        }
        return new ListenerAuth(
                allowAnonymous,
                overridden(set, ListenerKey.PASSWORD_FILE, inherited.passwordFile()),
                overridden(set, ListenerKey.ACL_FILE, inherited.aclFile()));
    }

    private static Path overridden(Map<ListenerKey, String> set, ListenerKey key, Path inherited) {
        String raw = set.get(key);
        if (raw == null) {
            return inherited;
        }
        return raw.isEmpty() ? null : Path.of(raw);
    }

    private static WebSocketSettings webSocket(String name, Map<ListenerKey, String> set) {
        String path = value(set, ListenerKey.PATH);
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
            throw new ConfigException(ListenerKey.PATH.of(name)
                    + " must start with '/' and hold no spaces, control characters, '?' or '#', got '" + path + "'");
        }
        List<String> origins = new ArrayList<>();
        for (String o : value(set, ListenerKey.HTTP_ORIGINS).split(",")) {
            String origin = o.trim().toLowerCase(Locale.ROOT);
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[^/?#\\s]+")) {
                throw new ConfigException(ListenerKey.HTTP_ORIGINS.of(name)
                        + ": an origin is scheme://host[:port] with scheme http or https and no path, got '" + o.trim()
                        + "'");
            }
            origins.add(origin);
        }
        return new WebSocketSettings(path, origins);
    }

    private static TlsSettings tls(String name, Map<ListenerKey, String> set) {
        Path certFile = requiredFile(name, set, ListenerKey.CERTFILE);
        Path keyFile = requiredFile(name, set, ListenerKey.KEYFILE);
        String password = value(set, ListenerKey.KEYFILE_PASSWORD);
        Path caFile = optionalFile(name, set, ListenerKey.CAFILE);
        Path crlFile = optionalFile(name, set, ListenerKey.CRLFILE);
        boolean requireCertificate = bool(name, set, ListenerKey.REQUIRE_CERTIFICATE);
        if (requireCertificate && caFile == null) {
            throw new ConfigException(ListenerKey.REQUIRE_CERTIFICATE.of(name) + " = true needs "
                    + ListenerKey.CAFILE.of(name) + ": the CA bundle client certificates must chain to");
        }
        boolean identity = bool(name, set, ListenerKey.USE_IDENTITY_AS_USERNAME);
        boolean subject = bool(name, set, ListenerKey.USE_SUBJECT_AS_USERNAME);
        for (ListenerKey key : List.of(ListenerKey.USE_IDENTITY_AS_USERNAME, ListenerKey.USE_SUBJECT_AS_USERNAME)) {
            if (bool(name, set, key) && !requireCertificate) {
                throw new ConfigException(key.of(name) + " = true needs " + ListenerKey.REQUIRE_CERTIFICATE.of(name)
                        + " = true: without a verified client certificate there is no identity to use");
            }
        }
        // As in mosquitto, the CN wins when both are set.
        CertificateUsername username = identity
                ? CertificateUsername.IDENTITY
                : subject ? CertificateUsername.SUBJECT : CertificateUsername.NONE;
        TlsVersion minVersion = ConfigLoader.choice(
                ListenerKey.TLS_VERSION.of(name),
                value(set, ListenerKey.TLS_VERSION),
                TlsVersion.values(),
                TlsVersion::configName);
        List<String> ciphers = new ArrayList<>();
        for (String c : value(set, ListenerKey.CIPHERS).split("[:,]")) {
            if (!c.isBlank()) {
                ciphers.add(c.trim());
            }
        }
        return new TlsSettings(
                certFile,
                keyFile,
                password.isEmpty() ? null : password,
                caFile,
                crlFile,
                requireCertificate,
                username,
                minVersion,
                ciphers);
    }

    /**
     * Refuses two listeners on one port whose addresses overlap (the same address, or either the
     * wildcard): the second could not bind, and a config that asks for it is a mistake. Port 0
     * (a free port each) never clashes.
     */
    static void refuseSharedPorts(List<ListenerConfig> listeners) {
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = i + 1; j < listeners.size(); j++) {
                ListenerConfig a = listeners.get(i);
                ListenerConfig b = listeners.get(j);
                if (a.port() != 0
                        && a.port() == b.port()
                        && (a.bindAddress().equals(b.bindAddress())
                                || isWildcard(a.bindAddress())
                                || isWildcard(b.bindAddress()))) {
                    throw new ConfigException("listeners " + a.name() + " (" + a.bindAddress() + ":" + a.port()
                            + ") and "
                            + b.name() + " (" + b.bindAddress() + ":" + b.port() + ") would share a port; give each"
                            + " its own port");
                }
            }
        }
    }

    private static boolean isWildcard(String address) {
        return Arrays.asList("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0").contains(address);
    }

    private static String value(Map<ListenerKey, String> set, ListenerKey key) {
        return set.getOrDefault(key, key.defaultValue());
    }

    private static long number(String name, Map<ListenerKey, String> set, ListenerKey key) {
        return ConfigLoader.number(key.of(name), value(set, key), key.min(), key.max());
    }

    private static boolean bool(String name, Map<ListenerKey, String> set, ListenerKey key) {
        return ConfigLoader.bool(key.of(name), value(set, key));
    }

    private static Path requiredFile(String name, Map<ListenerKey, String> set, ListenerKey key) {
        Path file = optionalFile(name, set, key);
        if (file == null) {
            throw new ConfigException(key.of(name) + " is required for a TLS listener");
        }
        return file;
    }

    private static Path optionalFile(String name, Map<ListenerKey, String> set, ListenerKey key) {
        String raw = value(set, key);
        if (raw.isEmpty()) {
            return null;
        }
        Path file = Path.of(raw);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key.of(name) + ": " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(key.of(name) + ": " + file + " cannot be read (permissions)");
        }
        return file;
    }
}
