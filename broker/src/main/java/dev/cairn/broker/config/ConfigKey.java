package dev.cairn.broker.config;

/**
 * Every configuration key with its default, its allowed range and what it means. The README's
 * configuration reference is this table; {@code ConfigLoaderTest} checks they agree. The keys of
 * named listeners, {@code listener.NAME.KEY}, are the second table, {@link ListenerKey}. Numeric ranges
 * are inclusive; {@code min == max == 0} marks a non-numeric key.
 */
public enum ConfigKey {
    BIND("bind", "127.0.0.1", 0, 0, "Address the default (plain TCP) MQTT listener binds to."),
    PORT("port", "1883", 0, 65535, "TCP port of the default MQTT listener (0 picks a free port)."),
    DEFAULT_LISTENER(
            "default_listener",
            "true",
            0,
            0,
            "Whether the default plain listener of bind and port runs; false when named listeners (listener.NAME.KEY) replace it."),
    DATA_DIR("data_dir", "./data", 0, 0, "Directory holding the journal and the indexes."),
    DURABILITY(
            "durability",
            "fsync",
            0,
            0,
            "fsync: acks wait for msync/fsync (survives power loss); process: acks wait for the append only (survives kill -9)."),
    PACKET_SIZE_MAX_BYTES(
            "packet_size_max_bytes",
            "1048576",
            64,
            268435460,
            "Largest MQTT packet accepted (and advertised as Maximum Packet Size); larger ones close the connection (5.0: DISCONNECT 0x95)."),
    CONNECTIONS_MAX(
            "connections_max",
            "100000",
            1,
            10000000,
            "Open connections allowed, all listeners together; further sockets are closed on accept."),
    DEFAULT_LISTENER_CONNECTIONS_MAX(
            "default_listener_connections_max",
            "0",
            0,
            10000000,
            "Open connections allowed on the default listener of bind and port (0: no limit of its own), as listener.NAME.connections_max for a named one; further sockets are closed on accept, before any MQTT byte."),
    CONNECTIONS_PER_SECOND_PER_ADDRESS(
            "connections_per_second_per_address",
            "0",
            0,
            1000000,
            "New connections accepted from one source address per second on the default listener, and on each named listener that does not set its own (0: no limit); further sockets are closed on accept, before any MQTT byte, and counted."),
    INFLIGHT_INBOUND_MAX(
            "inflight_inbound_max",
            "1000",
            1,
            65535,
            "Receive Maximum advertised to clients: unacknowledged QoS 1/2 PUBLISHes a client may send; more is DISCONNECT 0x93."),
    INFLIGHT_OUTBOUND_MAX(
            "inflight_outbound_max",
            "1000",
            1,
            65535,
            "Most unacknowledged QoS 1/2 PUBLISHes sent to one client (also capped by the client's Receive Maximum)."),
    QUEUED_MESSAGES_MAX(
            "queued_messages_max",
            "1000000",
            1,
            1000000000,
            "Messages waiting per persistent session (on disk beyond the in-memory part); what happens when it is reached is queue_overflow."),
    QUEUED_BYTES_MAX(
            "queued_bytes_max",
            "1073741824",
            1,
            1099511627776L,
            "Bytes of waiting messages (topic plus payload) per session, in memory and on disk; what happens when it would be exceeded is queue_overflow."),
    QUEUE_OVERFLOW(
            "queue_overflow",
            "reject",
            0,
            0,
            "reject: a QoS 1/2 PUBLISH that a full persistent session's queue would have to take is refused before it is stored (5.0: PUBACK/PUBREC 0x97; 3.1.1: connection closed, no ack); drop-new (and always for non-persistent sessions): it is acknowledged but not queued for the full session. Both logged and counted."),
    QUEUED_MESSAGES_IN_MEMORY_MAX(
            "queued_messages_in_memory_max",
            "1000",
            1,
            1000000,
            "Waiting messages a connected session holds in memory; the rest stay on disk. Also the whole queue of a session that is not persistent (expiry 0)."),
    SUBSCRIPTIONS_PER_CLIENT_MAX(
            "subscriptions_per_client_max",
            "1000",
            1,
            1000000,
            "Subscriptions one session may hold; more are refused in SUBACK (0x97, 3.1.1: 0x80)."),
    TOPIC_LENGTH_MAX_BYTES("topic_length_max_bytes", "65535", 1, 65535, "Longest topic name or filter in UTF-8 bytes."),
    TOPIC_LEVELS_MAX("topic_levels_max", "128", 1, 65535, "Most '/'-separated levels in a topic name or filter."),
    CLIENT_ID_LENGTH_MAX(
            "client_id_length_max",
            "256",
            23,
            65535,
            "Longest client identifier in UTF-8 bytes; longer ones get CONNACK 0x85 (3.1.1: 0x02)."),
    KEEP_ALIVE_MAX_SECONDS(
            "keep_alive_max_seconds",
            "65535",
            1,
            65535,
            "Largest keep alive granted; 5.0 clients asking for more (or 0) get Server Keep Alive."),
    CONNECT_TIMEOUT_SECONDS(
            "connect_timeout_seconds",
            "10",
            1,
            3600,
            "A connection that sends no CONNECT within this time is closed; also the wait for each AUTH of the client in an enhanced authentication (re-authentication: DISCONNECT 0x87)."),
    TOPIC_ALIAS_MAX("topic_alias_max", "1024", 0, 65535, "Topic Alias Maximum advertised to 5.0 clients."),
    SESSION_EXPIRY_MAX_SECONDS(
            "session_expiry_max_seconds",
            "4294967295",
            0,
            4294967295L,
            "Cap on a session's expiry interval (4294967295: sessions may live forever)."),
    QOS_MAX("qos_max", "2", 0, 2, "Highest QoS granted to subscriptions and accepted in PUBLISH."),
    RETAIN_AVAILABLE("retain_available", "true", 0, 0, "Whether retained messages are supported."),
    ALLOW_BRIDGE_MARKER(
            "allow_bridge_marker",
            "true",
            0,
            0,
            "Whether a 3.1 or 3.1.1 CONNECT whose protocol level has bit 0x80 set (0x83, 0x84: the mark of a bridge with try_private, as mosquitto's bridges send it) is accepted as a bridge's, whose subscriptions are then No Local and Retain As Published; false refuses it with CONNACK 0x01 like an unknown level, and such a bridge falls back to a plain connection."),
    ALLOW_ANONYMOUS(
            "allow_anonymous",
            "",
            0,
            0,
            "true or false: whether clients without a user name may connect. Unset: only on a loopback bind without password_file. A bind to any other address refuses to start unless password_file is set or allow_anonymous = true is given explicitly (then a WARN at start says anyone can connect)."),
    PASSWORD_FILE(
            "password_file",
            "",
            0,
            0,
            "Users and password hashes in mosquitto's format (user:$7$... PBKDF2-SHA512 or user:$6$... SHA-512), as written by cairn-tools passwd or mosquitto_passwd. Set: a client with a user name must give its password (else CONNACK 0x86, 3.1.1: 4)."),
    AUTH_METHODS(
            "auth_methods",
            "",
            0,
            0,
            "MQTT 5 enhanced authentication methods offered (AUTH packet), separated by ',': SCRAM-SHA-256, SCRAM-SHA-512. Needs password_file, whose SCRAM entries cairn-tools passwd writes. Empty: none; a CONNECT naming a method not offered gets CONNACK 0x8C."),
    AUTH_THREADS(
            "auth_threads",
            "2",
            1,
            64,
            "Threads that verify passwords, off the core thread; a CONNECT waits for its check, nothing else does."),
    AUTH_CACHE_SECONDS(
            "auth_cache_seconds",
            "300",
            0,
            86400,
            "Verified credentials are remembered (by a keyed hash, never the password) while their connections are open and this long after the last one ended, so reconnecting clients skip the password hash; 0 turns the cache off."),
    AUTH_CACHE_ENTRIES_MAX(
            "auth_cache_entries_max",
            "100000",
            1,
            10000000,
            "Most verified credentials remembered; when full, further ones are verified but not remembered."),
    AUTH_FAILURE_DELAY_MILLIS(
            "auth_failure_delay_millis",
            "1000",
            0,
            60000,
            "The refusal of bad credentials (an MQTT CONNECT, or an admin API request) waits this long, doubled for each further failure from the same address (0 turns the slowing off)."),
    AUTH_FAILURE_DELAY_MAX_MILLIS(
            "auth_failure_delay_max_millis",
            "30000",
            0,
            3600000,
            "Longest wait before such a refusal; an address with no failure for this long starts again from auth_failure_delay_millis."),
    AUTH_FAILURE_ADDRESSES_MAX(
            "auth_failure_addresses_max",
            "10000",
            1,
            10000000,
            "Addresses whose failed logins are remembered for the slowing; beyond it the one that failed longest ago is forgotten."),
    ACL_FILE(
            "acl_file",
            "",
            0,
            0,
            "Topic ACL file in mosquitto's acl_file syntax (user, topic, pattern lines); unset: every client may read and write every topic. With one, what it does not grant is denied. A bad line refuses to start (exit 2, naming file and line)."),
    JOURNAL_ROLL_CYCLE(
            "journal_roll_cycle",
            "hourly",
            0,
            0,
            "How often the journal starts a new cycle file (five-minutely, hourly or daily): the unit in which retention gives disk space back."),
    JOURNAL_RETENTION_CHECK_SECONDS(
            "journal_retention_check_seconds",
            "60",
            1,
            86400,
            "Interval of the retention step: delete journal cycle files that neither the index nor any queued message needs, and relocate old queued messages."),
    JOURNAL_RELOCATE_AFTER_CYCLES(
            "journal_relocate_after_cycles",
            "24",
            1,
            1000000,
            "A queued message whose journal cycle is this many cycles old is copied to the journal head so its cycle can be deleted (24 hourly cycles: one day)."),
    JOURNAL_RELOCATE_BATCH_MAX(
            "journal_relocate_batch_max",
            "10000",
            1,
            1000000,
            "Most queued messages relocated per retention step (keeps the core loop's turn short); the rest move in the following steps."),
    INDEX_MEMORY_MAX_BYTES(
            "index_memory_max_bytes",
            "67108864",
            4194304,
            68719476736L,
            "Native memory the index's RocksDB write buffers (memtables) may hold in all; reaching it writes them to disk. Outside the Java heap."),
    DISK_FREE_MIN_BYTES(
            "disk_free_min_bytes",
            "268435456",
            0,
            1125899906842624L,
            "Free space the journal's file system must keep (checked once a second and before each new journal cycle file); below it QoS 1/2 PUBLISHes are refused before they are stored (5.0: PUBACK/PUBREC 0x97; 3.1.1: connection closed, no ack), as are new persistent sessions (CONNACK 0x97, 3.1.1: 3) and their SUBSCRIBEs (SUBACK 0x97, 3.1.1: 0x80), until the space is back. 0 disables the check; the journal still never writes into blocks it could not allocate."),
    DISK_FREE_WARN_BYTES(
            "disk_free_warn_bytes",
            "1073741824",
            0,
            1125899906842624L,
            "Below this much free space on the journal's file system (checked with disk_free_min_bytes) a WARN is logged, at most once a minute, before anything is refused; the admin listener's /metrics shows the free space. 0 turns the WARN off."),
    FSYNC_WARN_MS(
            "fsync_warn_ms",
            "500",
            1,
            3600000,
            "A journal sync that takes longer than this (milliseconds) is logged at WARN (at most one line every 10 s) and counted in /metrics (cairn_journal_sync_slow_total)."),
    SYS_INTERVAL_SECONDS(
            "sys_interval_seconds",
            "10",
            0,
            86400,
            "How often the broker publishes its figures on the $SYS/broker/... topics (retained, QoS 0, in memory only; docs/operations.md lists them). 0 turns them off."),
    LOG_LEVEL(
            "log_level",
            "info",
            0,
            0,
            "Least severe level logged: error, warn, info, debug or trace. Loggers given a level of their own (-Dorg.slf4j.simpleLogger.log.NAME=LEVEL) keep it."),
    ADMIN_ENABLED(
            "admin.enabled",
            "true",
            0,
            0,
            "Whether the HTTP admin listener runs (/metrics in the Prometheus text format, /health/live, /health/ready, the admin API under /api/ and the dashboard under /dashboard/)."),
    ADMIN_BIND(
            "admin.bind",
            "127.0.0.1",
            0,
            0,
            "Address the HTTP admin listener binds to; /metrics and /health have no authentication (the /api/ paths do), so keep it on loopback or a management network."),
    ADMIN_PORT("admin.port", "9883", 0, 65535, "TCP port of the HTTP admin listener (0 picks a free port)."),
    ADMIN_PASSWORD_FILE(
            "admin.password_file",
            "",
            0,
            0,
            "Users allowed to the admin API (/api/...) with HTTP Basic credentials, in mosquitto's password file format (cairn-tools passwd). Unset together with admin.token_file: the API answers 403. SIGHUP re-reads the file."),
    ADMIN_TOKEN_FILE(
            "admin.token_file",
            "",
            0,
            0,
            "A file holding the bearer token (one line, at least 16 characters) allowed to the admin API (Authorization: Bearer TOKEN). Unset together with admin.password_file: the API answers 403. SIGHUP re-reads the file."),
    ADMIN_API_TIMEOUT_MS(
            "admin.api_timeout_ms",
            "10000",
            100,
            600000,
            "How long an admin API request waits for the core to answer before it gets 503 (the command may still take effect).");

    private final String key;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String description;

    ConfigKey(String key, String defaultValue, long min, long max, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String key() {
        return key;
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

    /**
     * Whether a reload (SIGHUP) applies a changed value of this key to the running broker; a
     * change of any other key is logged at WARN and waits for a restart.
     */
    public boolean reloads() {
        return switch (this) {
            case LOG_LEVEL,
                    AUTH_METHODS,
                    CONNECTIONS_MAX,
                    DEFAULT_LISTENER_CONNECTIONS_MAX,
                    CONNECTIONS_PER_SECOND_PER_ADDRESS,
                    QUEUED_MESSAGES_MAX,
                    QUEUED_BYTES_MAX,
                    QUEUE_OVERFLOW,
                    KEEP_ALIVE_MAX_SECONDS,
                    SESSION_EXPIRY_MAX_SECONDS,
                    SYS_INTERVAL_SECONDS,
                    FSYNC_WARN_MS,
                    DISK_FREE_MIN_BYTES,
                    DISK_FREE_WARN_BYTES -> true;
            default -> false;
        };
    }

    public boolean isNumeric() {
        return !(min == 0 && max == 0);
    }

    static ConfigKey byKey(String key) {
        for (ConfigKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
