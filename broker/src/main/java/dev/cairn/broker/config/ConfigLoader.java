package dev.cairn.broker.config;

import dev.cairn.protocol.ScramCredential;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds a {@link BrokerConfig}: defaults, then the file's {@code key = value} lines (Java
 * properties syntax, {@code #} comments), then overrides (from the command line). Unknown keys
 * and out-of-range values are errors: a typo must not silently leave a default in place. Every
 * problem is found, not only the first: the one {@link ConfigException} lists them all, each naming
 * its key. The checks that look at several keys together (shared ports, safe defaults) run once
 * every key on its own is fine.
 *
 * <p>Keys of the form {@code listener.NAME.KEY} configure named listeners against the second
 * table, {@link ListenerKey}; each listener is checked as a whole (its type's required keys, files
 * that must be readable, keys its type does not use), and no two listeners may share a port on
 * overlapping addresses. ADR 0015 describes the model.
 */
public final class ConfigLoader {
    /** A listener name: letters, digits, '_' and '-' (no dots: they separate the key's parts). */
    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private ConfigLoader() {}

    public static BrokerConfig load(Path file, Map<String, String> overrides) {
        return loadWithSettings(file, overrides).config();
    }

    /**
     * A configuration and the setting of every key it was built from, by its name in the file:
     * each top-level key (defaults included), and each {@code listener.NAME.KEY} and
     * {@code bridge.NAME.KEY} that was set. A reload compares two of them to name what changed.
     */
    public record Loaded(BrokerConfig config, Map<String, String> settings) {
        public Loaded {
            settings = Map.copyOf(settings);
        }
    }

    /** As {@link #load}, with the settings. */
    public static Loaded loadWithSettings(Path file, Map<String, String> overrides) {
        Values values = new Values();
        for (ConfigKey key : ConfigKey.values()) {
            values.flat.put(key, key.defaultValue());
        }
        if (file != null) {
            readFile(file, values);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            put(values, e.getKey(), e.getValue(), "command line");
        }
        BrokerConfig config = build(values);
        Map<String, String> settings = new TreeMap<>();
        values.flat.forEach((key, value) -> settings.put(key.key(), value));
        values.listeners.forEach((name, keys) -> keys.forEach((key, value) -> settings.put(key.of(name), value)));
        values.bridges.forEach((name, keys) ->
                keys.forEach((key, value) -> settings.put(BridgeKey.PREFIX + name + "." + key.key(), value)));
        values.bridgeTopics.forEach((name, topics) -> topics.forEach(
                (n, value) -> settings.put(BridgeKey.PREFIX + name + "." + BridgeKey.TOPIC_PREFIX + n, value)));
        return new Loaded(config, settings);
    }

    /**
     * Whether a change of the setting {@code name} (as in {@link Loaded#settings}) takes effect on
     * a reload (SIGHUP): {@link ConfigKey#reloads} and {@link ListenerKey#reloads}; bridges never.
     */
    public static boolean reloads(String name) {
        ConfigKey key = ConfigKey.byKey(name);
        if (key != null) {
            return key.reloads();
        }
        ListenerKey listenerKey = listenerKey(name);
        return listenerKey != null && listenerKey.reloads();
    }

    /**
     * Whether {@code name} is a key the loader knows: a {@link ConfigKey} or a well-formed
     * {@code listener.NAME.KEY}. The command line checks {@code --set} with it.
     */
    public static boolean isKnownKey(String name) {
        return ConfigKey.byKey(name) != null || listenerKey(name) != null || bridgeKey(name) != null;
    }

    /** What the file and the overrides set: the flat keys (all, defaults included), the listeners' (only those set). */
    private static final class Values {
        final Problems problems = new Problems();
        final Map<ConfigKey, String> flat = new EnumMap<>(ConfigKey.class);
        final Map<String, Map<ListenerKey, String>> listeners = new TreeMap<>();
        final Map<String, Map<BridgeKey, String>> bridges = new TreeMap<>();
        final Map<String, Map<Integer, String>> bridgeTopics = new TreeMap<>();
    }

    private static void readFile(Path file, Values values) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        for (String name : props.stringPropertyNames()) {
            put(values, name, props.getProperty(name), file.toString());
        }
    }

    private static void put(Values values, String name, String value, String source) {
        String trimmed = name.trim();
        if (trimmed.startsWith(ListenerKey.PREFIX)) {
            String[] parts = trimmed.split("\\.", -1);
            if (parts.length != 3 || !LISTENER_NAME.matcher(parts[1]).matches()) {
                values.problems.add("bad listener key '" + name + "' in " + source
                        + ": listener keys are listener.NAME.KEY, NAME of letters, digits, '_' and '-'");
                return;
            }
            if (parts[1].equals(ListenerConfig.DEFAULT_NAME)) {
                values.problems.add("bad listener key '" + name + "' in " + source + ": the name '"
                        + ListenerConfig.DEFAULT_NAME + "' belongs to the listener of bind and port");
                return;
            }
            ListenerKey key = ListenerKey.byKey(parts[2]);
            if (key == null) {
                values.problems.add("unknown listener key '" + name + "' in " + source);
                return;
            }
            values.listeners
                    .computeIfAbsent(parts[1], n -> new EnumMap<>(ListenerKey.class))
                    .put(key, value.trim());
            return;
        }
        if (trimmed.startsWith(BridgeKey.PREFIX)) {
            putBridge(values, trimmed, value, source);
            return;
        }
        ConfigKey key = ConfigKey.byKey(trimmed);
        if (key == null) {
            values.problems.add("unknown config key '" + name + "' in " + source);
            return;
        }
        values.flat.put(key, value.trim());
    }

    /** A {@code bridge.NAME.KEY} or {@code bridge.NAME.topic.N} line. */
    private static void putBridge(Values values, String name, String value, String source) {
        String[] parts = bridgeParts(name);
        if (parts == null) {
            throw new ConfigException("bad bridge key '" + name + "' in " + source
                    + ": bridge keys are bridge.NAME.KEY, NAME of letters, digits, '_' and '-'");
        }
        String bridge = parts[0];
        BridgeKey key = BridgeKey.byKey(parts[1]);
        if (key == null) {
            throw new ConfigException("unknown bridge key '" + name + "' in " + source
                    + (parts[1].startsWith(BridgeKey.TOPIC_PREFIX)
                            ? " (topics are bridge.NAME.topic.N, N a number)"
                            : ""));
        }
        values.bridges.computeIfAbsent(bridge, n -> new EnumMap<>(BridgeKey.class));
        Map<Integer, String> topics = values.bridgeTopics.computeIfAbsent(bridge, n -> new TreeMap<>());
        if (key == BridgeKey.TOPIC) {
            topics.put(Integer.parseInt(parts[1].substring(BridgeKey.TOPIC_PREFIX.length())), value.trim());
        } else {
            values.bridges.get(bridge).put(key, value.trim());
        }
    }

    /** The bridge key {@code name} names, or null when it is not a well-formed one. */
    private static BridgeKey bridgeKey(String name) {
        String[] parts = bridgeParts(name);
        return parts == null ? null : BridgeKey.byKey(parts[1]);
    }

    /** {@code bridge.NAME.KEY} as {NAME, KEY} (KEY may hold dots: topic.N), or null when NAME is missing or bad. */
    private static String[] bridgeParts(String name) {
        if (!name.startsWith(BridgeKey.PREFIX)) {
            return null;
        }
        String rest = name.substring(BridgeKey.PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0 || !LISTENER_NAME.matcher(rest.substring(0, dot)).matches()) {
            return null;
        }
        return new String[] {rest.substring(0, dot), rest.substring(dot + 1)};
    }

    /** The listener key {@code name} names, or null when it is not a well-formed one. */
    private static ListenerKey listenerKey(String name) {
        if (!name.startsWith(ListenerKey.PREFIX)) {
            return null;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3
                || !LISTENER_NAME.matcher(parts[1]).matches()
                || parts[1].equals(ListenerConfig.DEFAULT_NAME)) {
            return null;
        }
        return ListenerKey.byKey(parts[2]);
    }

    private static BrokerConfig build(Values values) {
        Map<ConfigKey, String> v = values.flat;
        Problems problems = values.problems;
        String bind = v.get(ConfigKey.BIND);
        int port = (int) number(values, ConfigKey.PORT);
        AuthConfig auth = authConfig(values);
        ListenerAuth topLevel = new ListenerAuth(
                auth.allowAnonymous(),
                auth.passwordFile(),
                optionalPath(v, ConfigKey.ACL_FILE),
                problems.check(
                        () -> authMethods(ConfigKey.AUTH_METHODS.key(), v.get(ConfigKey.AUTH_METHODS)), List.of()));
        int ratePerAddress = (int) number(values, ConfigKey.CONNECTIONS_PER_SECOND_PER_ADDRESS);
        List<ListenerConfig> listeners = new ArrayList<>();
        if (bool(values, ConfigKey.DEFAULT_LISTENER)) {
            listeners.add(ListenerConfig.plainDefault(
                    bind,
                    port,
                    topLevel,
                    (int) number(values, ConfigKey.DEFAULT_LISTENER_CONNECTIONS_MAX),
                    ratePerAddress));
        }
        for (Map.Entry<String, Map<ListenerKey, String>> e : values.listeners.entrySet()) {
            ListenerConfig listener =
                    ListenerSettings.listener(e.getKey(), e.getValue(), topLevel, ratePerAddress, problems);
            if (listener != null) {
                listeners.add(listener);
            }
        }
        List<BridgeConfig> bridges = new ArrayList<>();
        for (Map.Entry<String, Map<BridgeKey, String>> e : values.bridges.entrySet()) {
            BridgeConfig bridge = problems.check(
                    () -> BridgeSettings.bridge(e.getKey(), e.getValue(), values.bridgeTopics.get(e.getKey())), null);
            if (bridge != null) {
                bridges.add(bridge);
            }
        }
        BrokerConfig config = new BrokerConfig(
                bind,
                port,
                Path.of(v.get(ConfigKey.DATA_DIR)),
                choice(values, ConfigKey.DURABILITY, SyncPolicy.values(), SyncPolicy::configName),
                (int) number(values, ConfigKey.PACKET_SIZE_MAX_BYTES),
                (int) number(values, ConfigKey.CONNECTIONS_MAX),
                (int) number(values, ConfigKey.INFLIGHT_INBOUND_MAX),
                (int) number(values, ConfigKey.INFLIGHT_OUTBOUND_MAX),
                (int) number(values, ConfigKey.QUEUED_MESSAGES_MAX),
                (int) number(values, ConfigKey.QUEUED_MESSAGES_IN_MEMORY_MAX),
                number(values, ConfigKey.QUEUED_BYTES_MAX),
                choice(
                        values,
                        ConfigKey.QUEUE_OVERFLOW,
                        BrokerConfig.QueueOverflow.values(),
                        BrokerConfig.QueueOverflow::configName),
                (int) number(values, ConfigKey.SUBSCRIPTIONS_PER_CLIENT_MAX),
                (int) number(values, ConfigKey.TOPIC_LENGTH_MAX_BYTES),
                (int) number(values, ConfigKey.TOPIC_LEVELS_MAX),
                (int) number(values, ConfigKey.CLIENT_ID_LENGTH_MAX),
                (int) number(values, ConfigKey.KEEP_ALIVE_MAX_SECONDS),
                (int) number(values, ConfigKey.CONNECT_TIMEOUT_SECONDS),
                (int) number(values, ConfigKey.TOPIC_ALIAS_MAX),
                number(values, ConfigKey.SESSION_EXPIRY_MAX_SECONDS),
                (int) number(values, ConfigKey.QOS_MAX),
                bool(values, ConfigKey.RETAIN_AVAILABLE),
                bool(values, ConfigKey.ALLOW_BRIDGE_MARKER),
                auth,
                choice(values, ConfigKey.JOURNAL_ROLL_CYCLE, JournalRollCycle.values(), JournalRollCycle::configName),
                (int) number(values, ConfigKey.JOURNAL_RETENTION_CHECK_SECONDS),
                (int) number(values, ConfigKey.JOURNAL_RELOCATE_AFTER_CYCLES),
                (int) number(values, ConfigKey.JOURNAL_RELOCATE_BATCH_MAX),
                number(values, ConfigKey.INDEX_MEMORY_MAX_BYTES),
                number(values, ConfigKey.DISK_FREE_MIN_BYTES),
                topLevel.aclFile(),
                listeners,
                new MonitoringConfig(
                        bool(values, ConfigKey.ADMIN_ENABLED),
                        v.get(ConfigKey.ADMIN_BIND),
                        (int) number(values, ConfigKey.ADMIN_PORT),
                        number(values, ConfigKey.FSYNC_WARN_MS),
                        number(values, ConfigKey.DISK_FREE_WARN_BYTES),
                        (int) number(values, ConfigKey.SYS_INTERVAL_SECONDS),
                        new MonitoringConfig.AdminApiConfig(
                                optionalPath(v, ConfigKey.ADMIN_PASSWORD_FILE),
                                optionalPath(v, ConfigKey.ADMIN_TOKEN_FILE),
                                number(values, ConfigKey.ADMIN_API_TIMEOUT_MS))),
                bridges,
                choice(values, ConfigKey.LOG_LEVEL, LogLevel.values(), LogLevel::configName));
        // The checks across keys, once each key on its own is fine (stand-in values would mislead them).
        problems.throwIfAny();
        if (listeners.isEmpty()) {
            throw new ConfigException(
                    "default_listener is false and no listener.NAME.KEY is set: the broker would listen nowhere");
        }
        ListenerSettings.refuseSharedPorts(listeners, problems);
        checkSafeDefaults(config, problems);
        problems.throwIfAny();
        return config;
    }

    /** A file path, or null when the key is unset (empty). */
    private static Path optionalPath(Map<ConfigKey, String> values, ConfigKey key) {
        String raw = values.get(key);
        return raw.isEmpty() ? null : Path.of(raw);
    }

    private static AuthConfig authConfig(Values values) {
        Map<ConfigKey, String> v = values.flat;
        Boolean allowAnonymous =
                v.get(ConfigKey.ALLOW_ANONYMOUS).isEmpty() ? null : bool(values, ConfigKey.ALLOW_ANONYMOUS);
        String passwordFile = v.get(ConfigKey.PASSWORD_FILE);
        return new AuthConfig(
                allowAnonymous,
                passwordFile.isEmpty() ? null : Path.of(passwordFile),
                (int) number(values, ConfigKey.AUTH_THREADS),
                (int) number(values, ConfigKey.AUTH_CACHE_SECONDS),
                (int) number(values, ConfigKey.AUTH_CACHE_ENTRIES_MAX),
                number(values, ConfigKey.AUTH_FAILURE_DELAY_MILLIS),
                number(values, ConfigKey.AUTH_FAILURE_DELAY_MAX_MILLIS),
                (int) number(values, ConfigKey.AUTH_FAILURE_ADDRESSES_MAX));
    }

    /**
     * The enhanced authentication methods {@code raw} lists, separated by {@code ,}: each one of
     * {@link ScramCredential.Mechanism}'s names, exactly as a client sends it as Authentication
     * Method (names are compared as sent: section 3.1.2.11.9 makes them UTF-8 strings, not SASL's
     * case-insensitive names).
     */
    static List<String> authMethods(String key, String raw) {
        List<String> methods = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (ScramCredential.Mechanism.bySaslName(name) == null) {
                throw new ConfigException(
                        key + ": unknown authentication method '" + name + "'; known: SCRAM-SHA-256, SCRAM-SHA-512");
            }
            if (!methods.contains(name)) {
                methods.add(name);
            }
        }
        return methods;
    }

    /**
     * A listener reachable from other hosts must not let anyone in by default (mosquitto 2 does
     * the same): it needs credentials to check (a password file, or client certificates), or
     * anonymous access asked for in so many words. Each listener is judged by its own effective
     * settings ({@link ListenerAuth}).
     */
    private static void checkSafeDefaults(BrokerConfig config, Problems problems) {
        for (ListenerConfig l : config.listeners()) {
            ListenerAuth auth = l.auth();
            if (!auth.authMethods().isEmpty() && auth.passwordFile() == null) {
                boolean named = !l.name().equals(ListenerConfig.DEFAULT_NAME);
                problems.add((named ? ListenerKey.AUTH_METHODS.of(l.name()) : "auth_methods") + " = "
                        + String.join(",", auth.authMethods()) + " needs a password_file on listener " + l.name()
                        + ": the SCRAM credentials are read from it");
            }
            if (l.closed() || auth.passwordFile() != null || auth.anonymousExplicitlyAllowed()) {
                continue;
            }
            boolean named = !l.name().equals(ListenerConfig.DEFAULT_NAME);
            String bindKey = named ? ListenerKey.BIND.of(l.name()) : "bind";
            String suffix = named ? " (or " + ListenerKey.PREFIX + l.name() + ".KEY for this listener only)" : "";
            problems.add(bindKey + " = " + l.bindAddress() + " is not a loopback address and no client"
                    + " could log in: set password_file (clients must log in), require client certificates"
                    + " (a tls listener with require_certificate = true), or allow_anonymous = true to let"
                    + " anyone who reaches the port connect" + suffix);
        }
    }

    /** Whether {@code address} is, or resolves to, a loopback address; an unresolvable name is not. */
    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The key's value as a number; when it is not one in range, the problem is recorded and the default stands in. */
    private static long number(Values values, ConfigKey key) {
        return values.problems.check(
                () -> number(key.key(), values.flat.get(key), key.min(), key.max()),
                Long.parseLong(key.defaultValue()));
    }

    /** {@code raw} as a whole number in {@code min … max}; otherwise an error naming {@code name}. */
    static long number(String name, String raw, long min, long max) {
        long n;
        try {
            n = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + raw + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** The constant whose config name is the value, exactly (names are case-sensitive). */
    private static <E extends Enum<E>> E choice(
            Values values, ConfigKey key, E[] constants, Function<E, String> configName) {
        return values.problems.check(
                () -> choice(key.key(), values.flat.get(key), constants, configName),
                choice(key.key(), key.defaultValue(), constants, configName));
    }

    /** The constant whose config name is {@code raw}; otherwise an error naming {@code name} and the choices. */
    static <E extends Enum<E>> E choice(String name, String raw, E[] constants, Function<E, String> configName) {
        for (E constant : constants) {
            if (configName.apply(constant).equals(raw)) {
                return constant;
            }
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < constants.length; i++) {
            names.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ")
                    .append('\'')
                    .append(configName.apply(constants[i]))
                    .append('\'');
        }
        throw new ConfigException(name + " must be " + names + ", got '" + raw + "'");
    }

    /** The key's value as a boolean; when it is neither true nor false, the problem is recorded and the default stands in. */
    private static boolean bool(Values values, ConfigKey key) {
        return values.problems.check(
                () -> bool(key.key(), values.flat.get(key)), Boolean.parseBoolean(key.defaultValue()));
    }

    static boolean bool(String name, String raw) {
        if ("true".equals(raw) || "false".equals(raw)) {
            return Boolean.parseBoolean(raw);
        }
        throw new ConfigException(name + " must be true or false, got '" + raw + "'");
    }
}
