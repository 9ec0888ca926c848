package dev.cairn.benchmarks.load;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The end-to-end load generator: drives an MQTT broker over TCP, TLS or WebSockets ({@link Wire})
 * with one of the
 * {@link Scenario}s and reports throughput, latency, correctness and (given the broker's pid)
 * the broker's CPU and memory. {@link #run} is the library entry the side-by-side runner uses;
 * {@link #main} is the command line ({@code --help} lists it; see {@link LoadOptions.Arguments}).
 *
 * <p>Thread safety: {@link #run} may be called from any thread, one run at a time per caller;
 * each run has its own event loops.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    public static void main(String[] args) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, new PrintWriter(System.out, true));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return; // --help or --version, printed
        }
        RunResult result = run(options);
        System.out.print(result.toTable());
        System.out.println(result.toJson());
        System.exit(result.succeeded() ? 0 : 1);
    }

    /** Runs one scenario to completion; a failure is reported in the result, not thrown. */
    static RunResult run(LoadOptions options) {
        Map<String, String> settings = options.describe();
        String runId = "cb" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
        try (Transport transport = new Transport(options.ioThreads(), options.wire());
                BrokerProcessMonitor broker =
                        options.brokerPid() > 0 ? new BrokerProcessMonitor(options.brokerPid()) : null) {
            settings = new java.util.LinkedHashMap<>(settings);
            settings.put("transport", transport.name());
            Map<Metric, Double> metrics;
            switch (options.scenario()) {
                case BACKLOG:
                    metrics = new BacklogRun(options, transport, runId, broker).run();
                    break;
                case CONNECTIONS:
                    metrics = new ConnectionsRun(options, transport, runId, broker).run();
                    break;
                case CONNECT_STORM:
                    metrics = new ConnectStormRun(options, transport, runId, broker).run();
                    break;
                default:
                    metrics = new StreamingRun(options, transport, runId, broker).run();
                    break;
            }
            return new RunResult(settings, metrics, null);
        } catch (LoadRunException | IllegalArgumentException | IllegalStateException e) {
            return RunResult.failed(settings, e.getMessage());
        }
    }
}
