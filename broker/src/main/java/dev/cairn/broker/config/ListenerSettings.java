package dev.cairn.broker.config;

import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import dev.cairn.broker.config.TlsSettings.TlsProvider;
import dev.cairn.broker.config.TlsSettings.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the {@code listener.NAME.KEY} lines of one listener into a {@link ListenerConfig}, checking
 * it as a whole: its type, its required keys, that every file it names can be read, and that it
 * sets no key its type does not use. Every problem is recorded, not only the first, and names the key. Whether the files hold what
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
     * @param problems where each problem of this listener is recorded, all of them, not only the first
     * @return the listener, or null when it has a problem
     */
    static ListenerConfig listener(
            String name,
            Map<ListenerKey, String> set,
            ListenerAuth inherited,
            int inheritedRatePerAddress,
            Problems problems) {
        int before = problems.count();
        ListenerType type =
                choice(problems, name, set, ListenerKey.TYPE, ListenerType.values(), ListenerType::configName, null);
        int port = 0;
        if (set.containsKey(ListenerKey.PORT)) {
            port = (int) number(problems, name, set, ListenerKey.PORT);
        } else {
            problems.add(ListenerKey.PORT.of(name) + " is required");
        }
        String bind = value(set, ListenerKey.BIND);
        if (bind.isEmpty()) {
            problems.add(ListenerKey.BIND.of(name) + " must not be empty");
        }
        if (type != null && !type.tls()) {
            for (ListenerKey key : set.keySet()) {
                if (key.tlsOnly()) {
                    problems.add(key.of(name) + " applies only to TLS listeners, and listener " + name + " is "
                            + type.configName());
                }
            }
        }
        for (ListenerKey key : List.of(ListenerKey.PATH, ListenerKey.HTTP_ORIGINS)) {
            if (type != null && !type.webSocket() && set.containsKey(key)) {
                problems.add(key.of(name) + " applies only to WebSocket listeners (ws, wss), and listener " + name
                        + " is " + type.configName());
            }
        }
        int handshakeTimeout = (int) number(problems, name, set, ListenerKey.HANDSHAKE_TIMEOUT_SECONDS);
        TlsSettings tls = type != null && type.tls() ? tls(name, set, problems) : null;
        ListenerAuth auth = problems.check(() -> auth(name, set, inherited), null);
        int connectionsMax = (int) number(problems, name, set, ListenerKey.CONNECTIONS_MAX);
        int perAddress = set.containsKey(ListenerKey.CONNECTIONS_PER_SECOND_PER_ADDRESS)
                ? (int) number(problems, name, set, ListenerKey.CONNECTIONS_PER_SECOND_PER_ADDRESS)
                : inheritedRatePerAddress;
        WebSocketSettings webSocket = type != null && type.webSocket() ? webSocket(name, set, problems) : null;
        if (problems.count() > before) {
            return null;
        }
        return new ListenerConfig(
                name, type, bind, port, handshakeTimeout, tls, auth, connectionsMax, perAddress, webSocket);
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
        String methods = set.get(ListenerKey.AUTH_METHODS);
        return new ListenerAuth(
                allowAnonymous,
                overridden(set, ListenerKey.PASSWORD_FILE, inherited.passwordFile()),
                overridden(set, ListenerKey.ACL_FILE, inherited.aclFile()),
                methods == null
                        ? inherited.authMethods()
                        : ConfigLoader.authMethods(ListenerKey.AUTH_METHODS.of(name), methods));
    }

    private static Path overridden(Map<ListenerKey, String> set, ListenerKey key, Path inherited) {
        String raw = set.get(key);
        if (raw == null) {
            return inherited;
        }
        return raw.isEmpty() ? null : Path.of(raw);
    }

    private static WebSocketSettings webSocket(String name, Map<ListenerKey, String> set, Problems problems) {
        String path = value(set, ListenerKey.PATH);
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
            problems.add(ListenerKey.PATH.of(name)
                    + " must start with '/' and hold no spaces, control characters, '?' or '#', got '" + path + "'");
            path = null;
        }
        List<String> origins = new ArrayList<>();
        for (String o : value(set, ListenerKey.HTTP_ORIGINS).split(",")) {
            String origin = o.trim().toLowerCase(Locale.ROOT);
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[^/?#\\s]+")) {
                problems.add(ListenerKey.HTTP_ORIGINS.of(name)
                        + ": an origin is scheme://host[:port] with scheme http or https and no path, got '" + o.trim()
                        + "'");
                continue;
            }
            origins.add(origin);
        }
        return path == null ? null : new WebSocketSettings(path, origins);
    }

    private static TlsSettings tls(String name, Map<ListenerKey, String> set, Problems problems) {
        Path certFile = problems.check(() -> requiredFile(name, set, ListenerKey.CERTFILE), null);
        Path keyFile = problems.check(() -> requiredFile(name, set, ListenerKey.KEYFILE), null);
        String password = value(set, ListenerKey.KEYFILE_PASSWORD);
        Path caFile = problems.check(() -> optionalFile(name, set, ListenerKey.CAFILE), null);
        Path crlFile = problems.check(() -> optionalFile(name, set, ListenerKey.CRLFILE), null);
        boolean requireCertificate = bool(problems, name, set, ListenerKey.REQUIRE_CERTIFICATE);
        if (requireCertificate && value(set, ListenerKey.CAFILE).isEmpty()) {
            problems.add(ListenerKey.REQUIRE_CERTIFICATE.of(name) + " = true needs " + ListenerKey.CAFILE.of(name)
                    + ": the CA bundle client certificates must chain to");
        }
        boolean identity = bool(problems, name, set, ListenerKey.USE_IDENTITY_AS_USERNAME);
        boolean subject = bool(problems, name, set, ListenerKey.USE_SUBJECT_AS_USERNAME);
        for (ListenerKey key : List.of(ListenerKey.USE_IDENTITY_AS_USERNAME, ListenerKey.USE_SUBJECT_AS_USERNAME)) {
            if ((key == ListenerKey.USE_IDENTITY_AS_USERNAME ? identity : subject) && !requireCertificate) {
                problems.add(key.of(name) + " = true needs " + ListenerKey.REQUIRE_CERTIFICATE.of(name)
                        + " = true: without a verified client certificate there is no identity to use");
            }
        }
        // As in mosquitto, the CN wins when both are set.
        CertificateUsername username = identity
                ? CertificateUsername.IDENTITY
                : subject ? CertificateUsername.SUBJECT : CertificateUsername.NONE;
        TlsVersion minVersion = choice(
                problems,
                name,
                set,
                ListenerKey.TLS_VERSION,
                TlsVersion.values(),
                TlsVersion::configName,
                TlsVersion.values()[0]);
        List<String> ciphers = new ArrayList<>();
        for (String c : value(set, ListenerKey.CIPHERS).split("[:,]")) {
            if (!c.isBlank()) {
                ciphers.add(c.trim());
            }
        }
        TlsProvider provider = choice(
                problems,
                name,
                set,
                ListenerKey.TLS_PROVIDER,
                TlsProvider.values(),
                TlsProvider::configName,
                TlsProvider.JDK);
        return new TlsSettings(
                certFile,
                keyFile,
                password.isEmpty() ? null : password,
                caFile,
                crlFile,
                requireCertificate,
                username,
                minVersion,
                ciphers,
                provider);
    }

    /**
     * Refuses two listeners on one port whose addresses overlap (the same address, or either the
     * wildcard): the second could not bind, and a config that asks for it is a mistake. Port 0
     * (a free port each) never clashes. Each such pair is a problem of its own.
     */
    static void refuseSharedPorts(List<ListenerConfig> listeners, Problems problems) {
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = i + 1; j < listeners.size(); j++) {
                ListenerConfig a = listeners.get(i);
                ListenerConfig b = listeners.get(j);
                if (a.port() != 0
                        && a.port() == b.port()
                        && (a.bindAddress().equals(b.bindAddress())
                                || isWildcard(a.bindAddress())
                                || isWildcard(b.bindAddress()))) {
                    problems.add("listeners " + a.name() + " (" + a.bindAddress() + ":" + a.port()
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

    /** The key's value as a number; when it is not one in range, the problem is recorded and 0 stands in. */
    private static long number(Problems problems, String name, Map<ListenerKey, String> set, ListenerKey key) {
        return problems.check(() -> ConfigLoader.number(key.of(name), value(set, key), key.min(), key.max()), 0L);
    }

    /** The constant the key's value names; when it names none, the problem is recorded and {@code standIn} returned. */
    private static <E extends Enum<E>> E choice(
            Problems problems,
            String name,
            Map<ListenerKey, String> set,
            ListenerKey key,
            E[] constants,
            Function<E, String> configName,
            E standIn) {
        return problems.check(() -> ConfigLoader.choice(key.of(name), value(set, key), constants, configName), standIn);
    }

    /** The key's value as a boolean; when it is neither true nor false, the problem is recorded and false stands in. */
    private static boolean bool(Problems problems, String name, Map<ListenerKey, String> set, ListenerKey key) {
        return problems.check(() -> ConfigLoader.bool(key.of(name), value(set, key)), false);
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
