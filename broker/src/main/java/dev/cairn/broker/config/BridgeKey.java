package dev.cairn.broker.config;

/**
 * Every key of a bridge, {@code bridge.NAME.KEY}, with its default, its range and what it means:
 * the third table of the configuration next to {@link ConfigKey} and {@link ListenerKey}. The
 * keys follow mosquitto's bridge settings so that a {@code connection} block translates line by
 * line (the README, "Bridging to another broker"). Topics are numbered keys, {@code
 * bridge.NAME.topic.N}, in mosquitto's {@code topic} syntax. The README's configuration reference
 * lists each as {@code bridge.NAME.KEY} ({@code ConfigLoaderTest} checks it). An empty default
 * means "not set"; {@code min == max == 0} marks a non-numeric key; ranges are inclusive.
 */
public enum BridgeKey {
    ADDRESS(
            "address",
            "",
            0,
            0,
            "The remote broker, host:port (port 1883 when left out); several separated by ',' are tried in turn"
                    + " when one fails. Required."),
    TOPIC(
            "topic.N",
            "",
            0,
            0,
            "A topic to bridge, in mosquitto's syntax: PATTERN [out|in|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]."
                    + " out (the default): messages published here on LOCAL_PREFIX+PATTERN go to the remote as"
                    + " REMOTE_PREFIX+PATTERN; in: the bridge subscribes on the remote to REMOTE_PREFIX+PATTERN and"
                    + " publishes what arrives here as LOCAL_PREFIX+PATTERN, acknowledging the remote only once it is"
                    + " stored; both: the two. QOS is the subscriptions' maximum (0, 1, 2; default 0); \"\" stands"
                    + " for an empty pattern or prefix. N is any whole number; at least one topic is required."),
    PROTOCOL("protocol", "3.1.1", 0, 0, "MQTT version towards the remote: 3.1.1 or 5."),
    CLIENT_ID(
            "client_id",
            "",
            0,
            0,
            "Client id on the remote; empty: HOSTNAME.NAME, as mosquitto's default. Give each edge its own."),
    CLEAN_START(
            "clean_start",
            "false",
            0,
            0,
            "Whether the remote drops the bridge's session at each connect. Keep false: with true the remote"
                    + " forgets unfinished QoS 2 flows at every reconnect, so a QoS 2 message can be lost there"
                    + " (a remote that delivers at PUBREL, as mosquitto does) or arrive twice. The queue here is"
                    + " durable either way."),
    SESSION_EXPIRY_SECONDS(
            "session_expiry_seconds",
            "4294967295",
            0,
            4294967295L,
            "Protocol 5 only: how long the remote keeps the bridge's session after a disconnect (4294967295:"
                    + " never expires)."),
    KEEPALIVE_SECONDS(
            "keepalive_seconds",
            "60",
            5,
            65535,
            "Keep alive towards the remote: a PINGREQ this often (or as often as a 5.0 remote's Server Keep"
                    + " Alive says); no packet from the remote for 1.5 times this long drops the connection and"
                    + " reconnects."),
    TRY_PRIVATE(
            "try_private",
            "true",
            0,
            0,
            "Protocol 3.1.1 only: tell the remote the client is a bridge (protocol level with bit 0x80, as mosquitto"
                    + " does), so a mosquitto or Cairn remote sends the bridge none of its own messages back and keeps their"
                    + " retained flag. A remote that refuses it (CONNACK 0x01) is tried again without it from the next attempt on."),
    USERNAME("username", "", 0, 0, "User name on the remote (mosquitto's remote_username); empty: none."),
    PASSWORD("password", "", 0, 0, "Password on the remote (mosquitto's remote_password); needs username."),
    RESTART_TIMEOUT_INITIAL_MILLIS(
            "restart_timeout_initial_millis",
            "5000",
            10,
            3600000,
            "Wait before the first reconnect after a failure; each failure in a row doubles it, up to"
                    + " restart_timeout_max_millis (mosquitto's restart_timeout base)."),
    RESTART_TIMEOUT_MAX_MILLIS(
            "restart_timeout_max_millis",
            "30000",
            10,
            3600000,
            "Longest wait between reconnects (mosquitto's restart_timeout cap)."),
    CONNECT_TIMEOUT_SECONDS(
            "connect_timeout_seconds",
            "10",
            1,
            3600,
            "A TCP connect plus CONNACK not done within this time counts as a failure."),
    MAX_INFLIGHT(
            "max_inflight",
            "1000",
            1,
            65535,
            "QoS 1/2 messages sent to the remote and not yet acknowledged, at most; the remote's Receive Maximum"
                    + " lowers it (protocol 5). Also bounded by inflight_outbound_max."),
    CAFILE(
            "cafile",
            "",
            0,
            0,
            "PEM file of the CA certificates the remote's certificate must chain to (mosquitto's bridge_cafile)."
                    + " Setting it or capath makes the bridge connect with TLS."),
    CAPATH(
            "capath",
            "",
            0,
            0,
            "Directory of PEM CA certificates the remote's certificate may chain to, every file in it read"
                    + " (mosquitto's bridge_capath; e.g. /etc/ssl/certs for the system's CAs). With cafile, both count."),
    CERTFILE(
            "certfile",
            "",
            0,
            0,
            "PEM certificate chain the bridge presents to the remote (mutual TLS; mosquitto's bridge_certfile),"
                    + " leaf first. Needs keyfile and cafile or capath."),
    KEYFILE(
            "keyfile",
            "",
            0,
            0,
            "PKCS#8 PEM private key of certfile, RSA or EC (mosquitto's bridge_keyfile). Needs certfile."),
    KEYFILE_PASSWORD(
            "keyfile_password",
            "",
            0,
            0,
            "Password of an encrypted keyfile (BEGIN ENCRYPTED PRIVATE KEY), as for listeners."),
    INSECURE(
            "insecure",
            "false",
            0,
            0,
            "true: the remote's certificate need not name the host of address (mosquitto's bridge_insecure); its"
                    + " chain is still checked. Logged at WARN at start; for tests only."),
    TLS_VERSION(
            "tls_version",
            "tlsv1.2",
            0,
            0,
            "Oldest TLS version the bridge accepts from the remote: tlsv1.2 (TLS 1.2 and 1.3) or tlsv1.3"
                    + " (mosquitto's bridge_tls_version).");

    /** The prefix of every bridge key: {@code bridge.NAME.KEY}. */
    public static final String PREFIX = "bridge.";

    /** The key of topic lines before their number: {@code bridge.NAME.topic.N}. */
    static final String TOPIC_PREFIX = "topic.";

    private final String key;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String description;

    BridgeKey(String key, String defaultValue, long min, long max, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The key as it appears in a config file, for bridge {@code name}. */
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

    public String description() {
        return description;
    }

    /** The key {@code key} (after {@code bridge.NAME.}) names; {@code topic.N} is {@link #TOPIC}; null when unknown. */
    static BridgeKey byKey(String key) {
        if (key.startsWith(TOPIC_PREFIX)) {
            return key.substring(TOPIC_PREFIX.length()).matches("[0-9]{1,9}") ? TOPIC : null;
        }
        for (BridgeKey k : values()) {
            if (k != TOPIC && k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
