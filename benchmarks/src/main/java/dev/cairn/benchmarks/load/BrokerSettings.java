package dev.cairn.benchmarks.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What each broker under test is told: mosquitto's generated configuration file and Cairn's
 * command-line options, for a listener of the case's {@link Wire}. Pure functions, no processes.
 */
final class BrokerSettings {
    private BrokerSettings() {}

    /**
     * Mosquitto persists by snapshot: every {@code autosave_interval} seconds (default 1800) and
     * at shutdown, never per message, so it acknowledges before anything is on disk. We keep the
     * default and say so in docs/benchmarks.md rather than pretend the durability is equal.
     */
    static String mosquittoConf(int port, Path dataDir) {
        return mosquittoConf(port, dataDir, Wire.Kind.TCP, null, 0, null);
    }

    /**
     * Mosquitto's configuration with one listener of {@code wire} on {@code port}. A WebSocket
     * listener comes with a plain one on {@code unusedPlainPort} that no client uses: mosquitto
     * 2.0.11 (Debian 12) refuses to start when its only listeners are WebSocket ones ("Unable to
     * start any listening sockets"). With {@code auth} (null for none) anonymous clients are
     * refused and the run's password and ACL files apply.
     */
    static String mosquittoConf(
            int port, Path dataDir, Wire.Kind wire, BenchPki pki, int unusedPlainPort, BenchAuth auth) {
        List<String> lines = new ArrayList<>();
        if (wire.webSocket()) {
            lines.add("listener " + unusedPlainPort + " 127.0.0.1");
        }
        lines.add("listener " + port + " 127.0.0.1");
        if (wire.webSocket()) {
            lines.add("protocol websockets");
        }
        if (wire.tls()) {
            lines.add("certfile " + pki.certFile().toAbsolutePath());
            lines.add("keyfile " + pki.keyFile().toAbsolutePath());
        }
        if ((wire.tls() || auth != null) && System.getProperty("user.name").equals("root")) {
            // Started as root, mosquitto reads the key, password and ACL files after switching to
            // user mosquitto, which cannot enter the run's private directory; keep the user that
            // made the files.
            lines.add(0, "user root");
        }
        if (auth == null) {
            lines.add("allow_anonymous true");
        } else {
            lines.add("allow_anonymous false");
            lines.add("password_file " + auth.passwordFile().toAbsolutePath());
            lines.add("acl_file " + auth.aclFile().toAbsolutePath());
        }
        lines.addAll(List.of(
                "persistence true",
                "persistence_location " + dataDir.toAbsolutePath() + "/",
                "autosave_interval 1800",
                "max_queued_messages 0",
                "log_dest stderr",
                ""));
        return String.join("\n", lines);
    }

    /**
     * Cairn's listener options: the default listener on {@code port} for TCP; otherwise the default
     * listener off and one named {@code bench} of the wire's type (on loopback, so anonymous
     * clients are let in as on the default listener), on a TLS wire with {@code tlsProvider}
     * ({@code listener.bench.tls_provider}) when it is not null.
     */
    static List<String> cairnListener(int port, Wire.Kind wire, BenchPki pki, String tlsProvider) {
        if (wire == Wire.Kind.TCP) {
            return List.of("--port", Integer.toString(port));
        }
        List<String> options = new ArrayList<>(List.of(
                "--set",
                "default_listener=false",
                "--set",
                "listener.bench.type=" + wire.cliName(),
                "--set",
                "listener.bench.port=" + port));
        if (wire.tls()) {
            options.addAll(List.of(
                    "--set",
                    "listener.bench.certfile=" + pki.certFile().toAbsolutePath(),
                    "--set",
                    "listener.bench.keyfile=" + pki.keyFile().toAbsolutePath()));
            if (tlsProvider != null) {
                options.addAll(List.of("--set", "listener.bench.tls_provider=" + tlsProvider));
            }
        }
        return options;
    }

    /**
     * Cairn's login options for {@code auth}: the same password and ACL files as mosquitto and
     * anonymous clients refused. They are the default listener's and the defaults of a named one.
     * None for null.
     */
    static List<String> cairnAuth(BenchAuth auth) {
        if (auth == null) {
            return List.of();
        }
        return List.of(
                "--set",
                "allow_anonymous=false",
                "--set",
                "password_file=" + auth.passwordFile().toAbsolutePath(),
                "--set",
                "acl_file=" + auth.aclFile().toAbsolutePath());
    }

    /** The topic tree a bridge case's edge forwards: every topic the load generator uses. */
    static final String BRIDGED_TOPICS = "cairn-bench/#";

    /** The bridge's client id on the remote, the same for both edges. */
    static final String BRIDGE_CLIENT_ID = "cairn-bench-edge";

    /** The most QoS 1 messages either edge's bridge keeps unacknowledged by the remote (Cairn's default). */
    static final int BRIDGE_INFLIGHT_MAX = 1000;

    /**
     * Mosquitto's lines for an edge that bridges {@link #BRIDGED_TOPICS} out at QoS 1 to the broker
     * on {@code remotePort}: a {@code connection} block with mosquitto's defaults (protocol 3.1.1,
     * {@code cleansession false}, {@code try_private true}, notifications on, restart_timeout 5 30)
     * and, so that both bridges keep the same window, {@code max_inflight_messages} at Cairn's
     * bridge default (mosquitto's is 20; it is a global option, and the edge has no other
     * receivers). They follow {@link #mosquittoConf}'s lines, whose {@code max_queued_messages 0}
     * keeps mosquitto from dropping what its bridge has not sent yet.
     */
    static String mosquittoBridge(int remotePort) {
        return String.join(
                "\n",
                "max_inflight_messages " + BRIDGE_INFLIGHT_MAX,
                "connection bench",
                "address 127.0.0.1:" + remotePort,
                "remote_clientid " + BRIDGE_CLIENT_ID,
                "topic " + BRIDGED_TOPICS + " out 1",
                "");
    }

    /**
     * Cairn's options for the same bridge: {@code bridge.remote.*} with its defaults (protocol
     * 3.1.1, clean_start false, max_inflight 1000, restart_timeout 5 s to 30 s), only the address,
     * the topic line and the client id given.
     */
    static List<String> cairnBridge(int remotePort) {
        return List.of(
                "--set",
                "bridge.remote.address=127.0.0.1:" + remotePort,
                "--set",
                "bridge.remote.topic.1=" + BRIDGED_TOPICS + " out 1",
                "--set",
                "bridge.remote.client_id=" + BRIDGE_CLIENT_ID);
    }
}
