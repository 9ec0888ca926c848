package dev.cairn.broker.config;

import dev.cairn.broker.config.TlsSettings.TlsVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the {@code bridge.NAME.KEY} lines of one bridge into a {@link BridgeConfig}, checking it as
 * a whole: an address and at least one topic, every value in range, a password only with a user
 * name, a restart cap not below its start. Every message names the key.
 */
final class BridgeSettings {
    private static final int DEFAULT_PORT = 1883;

    private BridgeSettings() {}

    /**
     * @param set the bridge's keys other than topics, as set
     * @param topics the topic lines by their number
     */
    static BridgeConfig bridge(String name, Map<BridgeKey, String> set, Map<Integer, String> topics) {
        String rawAddress = value(set, BridgeKey.ADDRESS);
        if (rawAddress.isEmpty()) {
            throw new ConfigException(BridgeKey.ADDRESS.of(name) + " is required (host:port of the remote broker)");
        }
        List<BridgeConfig.Address> addresses = new ArrayList<>();
        for (String part : rawAddress.split(",")) {
            addresses.add(address(BridgeKey.ADDRESS.of(name), part.trim()));
        }
        if (topics.isEmpty()) {
            throw new ConfigException("bridge " + name + " has no topic: set " + BridgeKey.PREFIX + name
                    + ".topic.1 = PATTERN out|in|both QOS (e.g. plant/# out 1)");
        }
        List<BridgeTopic> parsed = new ArrayList<>();
        for (Map.Entry<Integer, String> e : new TreeMap<>(topics).entrySet()) {
            parsed.add(BridgeTopic.parse(
                    BridgeKey.PREFIX + name + "." + BridgeKey.TOPIC_PREFIX + e.getKey(), e.getKey(), e.getValue()));
        }
        String protocol = value(set, BridgeKey.PROTOCOL);
        if (!protocol.equals("3.1.1") && !protocol.equals("5")) {
            throw new ConfigException(BridgeKey.PROTOCOL.of(name) + " must be '3.1.1' or '5', got '" + protocol + "'");
        }
        String clientId = value(set, BridgeKey.CLIENT_ID);
        if (clientId.isEmpty()) {
            clientId = hostName() + "." + name; // mosquitto's default remote client id
        }
        String username = value(set, BridgeKey.USERNAME);
        String password = value(set, BridgeKey.PASSWORD);
        if (!password.isEmpty() && username.isEmpty()) {
            throw new ConfigException(BridgeKey.PASSWORD.of(name) + " is set but " + BridgeKey.USERNAME.of(name)
                    + " is not: MQTT sends a password only with a user name");
        }
        BridgeTlsSettings tls = tls(name, set);
        long initial = number(name, set, BridgeKey.RESTART_TIMEOUT_INITIAL_MILLIS);
        long max = number(name, set, BridgeKey.RESTART_TIMEOUT_MAX_MILLIS);
        if (max < initial) {
            throw new ConfigException(BridgeKey.RESTART_TIMEOUT_MAX_MILLIS.of(name) + " (" + max
                    + ") must not be below " + BridgeKey.RESTART_TIMEOUT_INITIAL_MILLIS.of(name) + " (" + initial
                    + ")");
        }
        return new BridgeConfig(
                name,
                addresses,
                parsed,
                protocol.equals("5"),
                clientId,
                ConfigLoader.bool(BridgeKey.CLEAN_START.of(name), value(set, BridgeKey.CLEAN_START)),
                number(name, set, BridgeKey.SESSION_EXPIRY_SECONDS),
                (int) number(name, set, BridgeKey.KEEPALIVE_SECONDS),
                username.isEmpty() ? null : username,
                password.isEmpty() ? null : password,
                initial,
                max,
                (int) number(name, set, BridgeKey.CONNECT_TIMEOUT_SECONDS),
                (int) number(name, set, BridgeKey.MAX_INFLIGHT),
                ConfigLoader.bool(BridgeKey.TRY_PRIVATE.of(name), value(set, BridgeKey.TRY_PRIVATE)),
                tls);
    }

    /**
     * The TLS keys: null when neither cafile nor capath is set (plain TCP, as in mosquitto), and
     * then no other TLS key may be. Every problem of them is reported, each naming its key; the
     * files' contents are read later, by the broker ({@code ClientTls}).
     */
    private static BridgeTlsSettings tls(String name, Map<BridgeKey, String> set) {
        List<String> problems = new ArrayList<>();
        Path caFile = file(name, set, BridgeKey.CAFILE, problems);
        Path caPath = null;
        String rawCaPath = value(set, BridgeKey.CAPATH);
        if (!rawCaPath.isEmpty()) {
            caPath = Path.of(rawCaPath);
            if (!Files.isDirectory(caPath)) {
                problems.add(BridgeKey.CAPATH.of(name) + ": " + caPath + " does not exist or is not a directory");
            } else if (!Files.isReadable(caPath) || !Files.isExecutable(caPath)) {
                problems.add(BridgeKey.CAPATH.of(name) + ": " + caPath + " cannot be read (permissions)");
            }
        }
        Path certFile = file(name, set, BridgeKey.CERTFILE, problems);
        Path keyFile = file(name, set, BridgeKey.KEYFILE, problems);
        String keyPassword = value(set, BridgeKey.KEYFILE_PASSWORD);
        boolean insecure = false;
        try {
            insecure = ConfigLoader.bool(BridgeKey.INSECURE.of(name), value(set, BridgeKey.INSECURE));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        TlsVersion minVersion = TlsVersion.values()[0];
        try {
            minVersion = ConfigLoader.choice(
                    BridgeKey.TLS_VERSION.of(name),
                    value(set, BridgeKey.TLS_VERSION),
                    TlsVersion.values(),
                    TlsVersion::configName);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        boolean tls = !value(set, BridgeKey.CAFILE).isEmpty() || !rawCaPath.isEmpty();
        if (value(set, BridgeKey.CERTFILE).isEmpty()
                != value(set, BridgeKey.KEYFILE).isEmpty()) {
            problems.add(BridgeKey.CERTFILE.of(name) + " and " + BridgeKey.KEYFILE.of(name)
                    + " go together: the bridge presents a certificate only with its key");
        }
        if (!keyPassword.isEmpty() && value(set, BridgeKey.KEYFILE).isEmpty()) {
            problems.add(BridgeKey.KEYFILE_PASSWORD.of(name) + " is set but " + BridgeKey.KEYFILE.of(name) + " is not");
        }
        if (!tls) {
            for (BridgeKey key :
                    List.of(BridgeKey.CERTFILE, BridgeKey.KEYFILE, BridgeKey.INSECURE, BridgeKey.TLS_VERSION)) {
                if (set.containsKey(key)) {
                    problems.add(key.of(name) + " needs " + BridgeKey.CAFILE.of(name) + " or "
                            + BridgeKey.CAPATH.of(name) + ": the bridge connects with TLS only when one of them"
                            + " names the CAs the remote's certificate is checked against");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (!tls) {
            return null;
        }
        return new BridgeTlsSettings(
                caFile, caPath, certFile, keyFile, keyPassword.isEmpty() ? null : keyPassword, insecure, minVersion);
    }

    /** The key's file, or null when it is not set; a file that is missing or unreadable is a problem. */
    private static Path file(String name, Map<BridgeKey, String> set, BridgeKey key, List<String> problems) {
        String raw = value(set, key);
        if (raw.isEmpty()) {
            return null;
        }
        Path file = Path.of(raw);
        if (!Files.isRegularFile(file)) {
            problems.add(key.of(name) + ": " + file + " does not exist or is not a file");
        } else if (!Files.isReadable(file)) {
            problems.add(key.of(name) + ": " + file + " cannot be read (permissions)");
        }
        return file;
    }

    /** {@code host:port}, {@code host} (port 1883) or {@code [v6]:port}. */
    static BridgeConfig.Address address(String key, String raw) {
        String host = raw;
        String port = null;
        if (raw.startsWith("[")) {
            int end = raw.indexOf(']');
            if (end < 0) {
                throw new ConfigException(key + ": bad address '" + raw + "' (missing ']')");
            }
            host = raw.substring(1, end);
            if (raw.length() > end + 1) {
                if (raw.charAt(end + 1) != ':') {
                    throw new ConfigException(key + ": bad address '" + raw + "'");
                }
                port = raw.substring(end + 2);
            }
        } else if (raw.indexOf(':') >= 0) {
            if (raw.indexOf(':') != raw.lastIndexOf(':')) {
                throw new ConfigException(key + ": bad address '" + raw + "' (write an IPv6 address as [addr]:port)");
            }
            host = raw.substring(0, raw.indexOf(':'));
            port = raw.substring(raw.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new ConfigException(key + ": bad address '" + raw + "' (no host)");
        }
        int p = port == null ? DEFAULT_PORT : (int) ConfigLoader.number(key + " port", port, 1, 65535);
        return new BridgeConfig.Address(host, p);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "cairn";
        }
    }

    private static String value(Map<BridgeKey, String> set, BridgeKey key) {
        String v = set.get(key);
        return v == null ? key.defaultValue() : v;
    }

    private static long number(String name, Map<BridgeKey, String> set, BridgeKey key) {
        return ConfigLoader.number(key.of(name), value(set, key), key.min(), key.max());
    }
}
