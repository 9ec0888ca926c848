package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named cases the side-by-side runner knows: each is a set of load-generator flags, the
 * metric its headline compares and, for a bridge case, how the broker under test is used (as an
 * edge bridging to a remote mosquitto, {@link BridgeRun}). They follow the targets in
 * docs/benchmarks.md.
 */
record BenchmarkCase(String name, List<String> flags, Metric headline, Bridge bridge) {
    /** Whether and how a case puts a bridge between the publishers and the subscribers. */
    enum Bridge {
        /** Publishers and subscribers on the broker under test. */
        NONE,
        /** Publishers on the broker under test (the edge), subscribers on the remote: forwarded msgs/s. */
        FORWARD,
        /** As FORWARD, with the edge killed (SIGKILL) mid-run and restarted: what it acknowledged and lost. */
        KILL
    }

    static final Map<String, BenchmarkCase> CATALOGUE = catalogue();

    private static Map<String, BenchmarkCase> catalogue() {
        Map<String, BenchmarkCase> cases = new LinkedHashMap<>();
        add(cases, "pairwise-qos0", Metric.DELIVERED_PER_SECOND, "--scenario pairwise --publishers 4 --qos 0");
        add(cases, "pairwise-qos1", Metric.DELIVERED_PER_SECOND, "--scenario pairwise --publishers 4 --qos 1");
        add(cases, "pairwise-qos2", Metric.DELIVERED_PER_SECOND, "--scenario pairwise --publishers 4 --qos 2");
        add(cases, "fan-out-qos0", Metric.DELIVERED_PER_SECOND, "--scenario fan-out --subscribers 50 --qos 0");
        add(cases, "fan-in-qos1", Metric.DELIVERED_PER_SECOND, "--scenario fan-in --publishers 50 --qos 1");
        add(
                cases,
                "shared-qos1",
                Metric.DELIVERED_PER_SECOND,
                "--scenario shared --publishers 4 --subscribers 4 --qos 1");
        add(
                cases,
                "rate20k-qos1",
                Metric.LATENCY_P99_MICROS,
                "--scenario pairwise --publishers 4 --qos 1 --rate 20000");
        add(cases, "backlog-qos1", Metric.DRAIN_PER_SECOND, "--scenario backlog --qos 1 --backlog-messages 200000");
        add(
                cases,
                "tls-qos1",
                Metric.DELIVERED_PER_SECOND,
                "--scenario pairwise --publishers 4 --qos 1 --transport tls");
        add(
                cases,
                "auth-qos1",
                Metric.DELIVERED_PER_SECOND,
                "--scenario pairwise --publishers 4 --qos 1 --username " + BenchAuth.USERNAME);
        add(cases, "ws-qos1", Metric.DELIVERED_PER_SECOND, "--scenario pairwise --publishers 4 --qos 1 --transport ws");
        add(
                cases,
                "tls-connect-storm",
                Metric.CONNECT_PER_SECOND,
                "--scenario connect-storm --transport tls --connections 5000");
        add(
                cases,
                "connections",
                Metric.RSS_PER_CONNECTION_BYTES,
                "--scenario connections --connections 10000 --connect-rate 2000 --hold-seconds 5");
        add(
                cases,
                "bridge-qos1",
                Metric.DELIVERED_PER_SECOND,
                "--scenario pairwise --publishers 4 --qos 1",
                Bridge.FORWARD);
        // Publishers may run up to 1,000 messages each ahead of the remote, so the edge holds a queue to lose.
        add(
                cases,
                "bridge-kill-qos1",
                Metric.LOST,
                "--scenario pairwise --publishers 4 --qos 1 --closed-loop-outstanding 1000",
                Bridge.KILL);
        return cases;
    }

    private static void add(Map<String, BenchmarkCase> cases, String name, Metric headline, String flags) {
        add(cases, name, headline, flags, Bridge.NONE);
    }

    private static void add(
            Map<String, BenchmarkCase> cases, String name, Metric headline, String flags, Bridge bridge) {
        cases.put(name, new BenchmarkCase(name, Arrays.asList(flags.split(" ")), headline, bridge));
    }

    static BenchmarkCase named(String name) {
        BenchmarkCase found = CATALOGUE.get(name);
        if (found == null) {
            throw new IllegalArgumentException("unknown case '" + name + "'; known: " + CATALOGUE.keySet());
        }
        return found;
    }

    /** What the case's clients speak: its {@code --transport} flag, TCP without one. */
    Wire.Kind wire() {
        int at = flags.lastIndexOf("--transport");
        return at < 0 || at + 1 >= flags.size() ? Wire.Kind.TCP : Wire.Kind.fromCliName(flags.get(at + 1));
    }

    /**
     * Whether the case's clients log in (its {@code --username} flag): the brokers then refuse
     * anonymous clients and get the run's {@link BenchAuth} files.
     */
    boolean authenticated() {
        return flags.contains("--username");
    }

    /** As {@link #arguments(List, int, long, BenchPki, BenchAuth)} for a case that does not log in. */
    String[] arguments(List<String> commonFlags, int port, long brokerPid, BenchPki pki) {
        return arguments(commonFlags, port, brokerPid, pki, null);
    }

    /**
     * The full load-generator argument list: common flags, then this case's (which win), then the
     * port, for a TLS wire the CA the broker's certificate chains to, and for an authenticated
     * case the password of {@code auth}.
     */
    String[] arguments(List<String> commonFlags, int port, long brokerPid, BenchPki pki, BenchAuth auth) {
        List<String> args = new ArrayList<>(commonFlags);
        args.addAll(flags);
        args.addAll(
                List.of("--port", Integer.toString(port), "--broker-pid", Long.toString(brokerPid), "--label", name));
        if (wire().tls()) {
            args.addAll(List.of("--ca-file", pki.caFile().toString()));
        }
        if (authenticated()) {
            if (auth == null) {
                throw new IllegalArgumentException(name + " logs in: it needs the run's password and ACL files");
            }
            args.addAll(List.of("--password", auth.password()));
        }
        return args.toArray(new String[0]);
    }
}
