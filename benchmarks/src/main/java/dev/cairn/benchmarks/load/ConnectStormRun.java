package dev.cairn.benchmarks.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connect-storm scenario: clients connect as fast as the broker lets them, each one CONNECT,
 * CONNACK, DISCONNECT and close, with at most {@link #PENDING_MAX} under way at once (a fleet of
 * devices reconnecting after an outage). Over TLS every connection is a full handshake ({@link
 * Wire} resumes no session), so the figures are handshakes per second and the broker's CPU time
 * (utime + stime from /proc/PID/stat) per handshake. A warm-up of {@code --warmup-seconds} of the
 * same traffic comes first, so a JVM's first handshakes (interpreted, not yet compiled) are not
 * counted; then {@code --connections} are measured.
 *
 * <p>Thread safety: {@link #run} is called once by the controlling thread; completions run on the
 * transport's event loops and touch only the atomics and the semaphore.
 */
final class ConnectStormRun {
    /** Connections under way at once: enough to keep the broker's I/O threads busy, no more. */
    static final int PENDING_MAX = 64;

    private final LoadOptions options;
    private final Transport transport;
    private final String runId;
    private final BrokerProcessMonitor broker;
    private final AtomicInteger nextId = new AtomicInteger();

    ConnectStormRun(LoadOptions options, Transport transport, String runId, BrokerProcessMonitor broker) {
        this.options = options;
        this.transport = transport;
        this.runId = runId;
        this.broker = broker;
    }

    Map<Metric, Double> run() {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        storm(Integer.MAX_VALUE, warmupEnd);
        double cpuBefore = broker == null ? 0 : broker.cpuSeconds();
        long start = System.nanoTime();
        int count = options.connections();
        storm(count, Long.MAX_VALUE);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.CONNECTIONS, (double) count);
        metrics.put(Metric.CONNECT_PER_SECOND, count / seconds);
        if (broker != null) {
            double cpu = broker.cpuSeconds() - cpuBefore;
            metrics.put(Metric.BROKER_CPU_SECONDS, cpu);
            metrics.put(Metric.BROKER_CPU_MILLIS_PER_CONNECT, cpu * 1_000 / count);
            metrics.put(Metric.BROKER_CPU_UTILISATION, cpu / seconds);
        }
        return metrics;
    }

    /**
     * Runs connect-and-close cycles until {@code count} have finished or, once one has, the clock
     * passes {@code deadlineNanos}; the first failure fails the run.
     */
    private void storm(int count, long deadlineNanos) {
        Semaphore room = new Semaphore(PENDING_MAX);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int started = 0;
        while (started < count && (started == 0 || System.nanoTime() < deadlineNanos)) {
            acquire(room, 1);
            rethrow(failure);
            started++;
            String clientId = runId + "-storm" + nextId.getAndIncrement();
            MqttConnection.open(
                            transport,
                            options.host(),
                            options.port(),
                            options.login(ClientSettings.clean(clientId, options.protocol())),
                            1,
                            MqttConnection.NO_MESSAGES)
                    .thenCompose(MqttConnection::disconnect)
                    .whenComplete((done, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        room.release();
                    });
        }
        acquire(room, PENDING_MAX); // every cycle under way has finished
        room.release(PENDING_MAX);
        rethrow(failure);
    }

    private static void acquire(Semaphore room, int permits) {
        try {
            if (!room.tryAcquire(permits, Fleet.CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new LoadRunException(
                        "connections neither connected nor failed within " + Fleet.CONNECT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadRunException("interrupted", e);
        }
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable error = failure.get();
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            throw new LoadRunException("a connection failed: " + cause.getMessage(), cause);
        }
    }
}
