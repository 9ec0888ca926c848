package dev.cairn.broker.config;

import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Builds a {@link BrokerConfig}: defaults, then the file's {@code key = value} lines (Java
 * properties syntax, {@code #} comments), then overrides (from the command line). Unknown keys
 * and out-of-range values are errors: a typo must not silently leave a default in place.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static BrokerConfig load(Path file, Map<String, String> overrides) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        if (file != null) {
            readFile(file, values);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            put(values, e.getKey(), e.getValue(), "command line");
        }
        return build(values);
    }

    private static void readFile(Path file, Map<ConfigKey, String> values) {
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

    private static void put(Map<ConfigKey, String> values, String name, String value, String source) {
        ConfigKey key = ConfigKey.byKey(name.trim());
        if (key == null) {
            throw new ConfigException("unknown config key '" + name + "' in " + source);
        }
        values.put(key, value.trim());
    }

    private static BrokerConfig build(Map<ConfigKey, String> v) {
        BrokerConfig config = new BrokerConfig(
                v.get(ConfigKey.BIND),
                (int) number(v, ConfigKey.PORT),
                Path.of(v.get(ConfigKey.DATA_DIR)),
                choice(v, ConfigKey.DURABILITY, SyncPolicy.values(), SyncPolicy::configName),
                (int) number(v, ConfigKey.PACKET_SIZE_MAX_BYTES),
                (int) number(v, ConfigKey.CONNECTIONS_MAX),
                (int) number(v, ConfigKey.INFLIGHT_INBOUND_MAX),
                (int) number(v, ConfigKey.INFLIGHT_OUTBOUND_MAX),
                (int) number(v, ConfigKey.QUEUED_MESSAGES_MAX),
                (int) number(v, ConfigKey.QUEUED_MESSAGES_IN_MEMORY_MAX),
                number(v, ConfigKey.QUEUED_BYTES_MAX),
                choice(
                        v,
                        ConfigKey.QUEUE_OVERFLOW,
                        BrokerConfig.QueueOverflow.values(),
                        BrokerConfig.QueueOverflow::configName),
                (int) number(v, ConfigKey.SUBSCRIPTIONS_PER_CLIENT_MAX),
                (int) number(v, ConfigKey.TOPIC_LENGTH_MAX_BYTES),
                (int) number(v, ConfigKey.TOPIC_LEVELS_MAX),
                (int) number(v, ConfigKey.CLIENT_ID_LENGTH_MAX),
                (int) number(v, ConfigKey.KEEP_ALIVE_MAX_SECONDS),
                (int) number(v, ConfigKey.CONNECT_TIMEOUT_SECONDS),
                (int) number(v, ConfigKey.TOPIC_ALIAS_MAX),
                number(v, ConfigKey.SESSION_EXPIRY_MAX_SECONDS),
                (int) number(v, ConfigKey.QOS_MAX),
                bool(v, ConfigKey.RETAIN_AVAILABLE),
                authConfig(v),
                choice(v, ConfigKey.JOURNAL_ROLL_CYCLE, JournalRollCycle.values(), JournalRollCycle::configName),
                (int) number(v, ConfigKey.JOURNAL_RETENTION_CHECK_SECONDS),
                (int) number(v, ConfigKey.JOURNAL_RELOCATE_AFTER_CYCLES),
                (int) number(v, ConfigKey.JOURNAL_RELOCATE_BATCH_MAX),
                number(v, ConfigKey.INDEX_MEMORY_MAX_BYTES),
                number(v, ConfigKey.DISK_FREE_MIN_BYTES));
        checkSafeDefaults(config);
        return config;
    }

    private static AuthConfig authConfig(Map<ConfigKey, String> v) {
        Boolean allowAnonymous = v.get(ConfigKey.ALLOW_ANONYMOUS).isEmpty() ? null : bool(v, ConfigKey.ALLOW_ANONYMOUS);
        String passwordFile = v.get(ConfigKey.PASSWORD_FILE);
        return new AuthConfig(
                allowAnonymous,
                passwordFile.isEmpty() ? null : Path.of(passwordFile),
                (int) number(v, ConfigKey.AUTH_THREADS),
                (int) number(v, ConfigKey.AUTH_CACHE_SECONDS),
                (int) number(v, ConfigKey.AUTH_CACHE_ENTRIES_MAX),
                number(v, ConfigKey.AUTH_FAILURE_DELAY_MILLIS),
                number(v, ConfigKey.AUTH_FAILURE_DELAY_MAX_MILLIS),
                (int) number(v, ConfigKey.AUTH_FAILURE_ADDRESSES_MAX));
    }

    /**
     * A listener reachable from other hosts must not let anyone in by default (mosquitto 2 does
     * the same): it needs credentials to check, or anonymous access asked for in so many words.
     */
    private static void checkSafeDefaults(BrokerConfig config) {
        AuthConfig auth = config.auth();
        if (config.bindsLoopback() || auth.passwordFile() != null || auth.anonymousExplicitlyAllowed()) {
            return;
        }
        throw new ConfigException("bind = " + config.bindAddress() + " is not a loopback address and no client"
                + " could log in: set password_file (clients must log in), or allow_anonymous = true to"
                + " let anyone who reaches the port connect");
    }

    /** Whether {@code address} is, or resolves to, a loopback address; an unresolvable name is not. */
    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static long number(Map<ConfigKey, String> values, ConfigKey key) {
        String raw = values.get(key);
        long n;
        try {
            n = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ConfigException(key.key() + " must be a whole number, got '" + raw + "'");
        }
        if (n < key.min() || n > key.max()) {
            throw new ConfigException(key.key() + " must be between " + key.min() + " and " + key.max() + ", got " + n);
        }
        return n;
    }

    /** The constant whose config name is the value, exactly (names are case-sensitive). */
    private static <E extends Enum<E>> E choice(
            Map<ConfigKey, String> values, ConfigKey key, E[] constants, Function<E, String> configName) {
        String raw = values.get(key);
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
        throw new ConfigException(key.key() + " must be " + names + ", got '" + raw + "'");
    }

    private static boolean bool(Map<ConfigKey, String> values, ConfigKey key) {
        String raw = values.get(key);
        if ("true".equals(raw) || "false".equals(raw)) {
            return Boolean.parseBoolean(raw);
        }
        throw new ConfigException(key.key() + " must be true or false, got '" + raw + "'");
    }
}
