package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Opens and closes groups of connections for a run, and waits on futures with a deadline so a
 * silent broker fails the run instead of hanging it.
 *
 * <p>Thread safety: used by the run's one controlling thread.
 */
final class Fleet implements AutoCloseable {
    static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final Transport transport;
    private final LoadOptions options;
    private final List<MqttConnection> open = new ArrayList<>();

    Fleet(Transport transport, LoadOptions options) {
        this.transport = transport;
        this.options = options;
    }

    MqttConnection connect(ClientSettings settings, MqttConnection.Listener listener) {
        MqttConnection connection = await(
                MqttConnection.open(
                        transport, options.host(), options.port(), options.login(settings), options.window(), listener),
                CONNECT_TIMEOUT_SECONDS,
                "CONNECT of " + settings.clientId());
        open.add(connection);
        return connection;
    }

    /** Opens {@code count} subscriber connections (to {@code --subscriber-port}) concurrently and waits for all. */
    List<MqttConnection> connectAll(
            int count,
            Function<Integer, ClientSettings> settings,
            Function<Integer, MqttConnection.Listener> listener) {
        List<CompletableFuture<MqttConnection>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(MqttConnection.open(
                    transport,
                    options.host(),
                    options.subscriberPort(),
                    options.login(settings.apply(i)),
                    options.window(),
                    listener.apply(i)));
        }
        List<MqttConnection> connections = new ArrayList<>();
        for (CompletableFuture<MqttConnection> future : pending) {
            MqttConnection connection = await(future, CONNECT_TIMEOUT_SECONDS, "CONNECT");
            open.add(connection);
            connections.add(connection);
        }
        return connections;
    }

    /** Disconnects one connection and forgets it. */
    void disconnect(MqttConnection connection) {
        open.remove(connection);
        await(connection.disconnect(), 10, "DISCONNECT");
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (MqttConnection connection : open) {
            closing.add(connection.disconnect());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Closing is best effort; the transport shutdown closes whatever is left.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.clear();
    }

    static <T> T await(CompletableFuture<T> future, long timeoutSeconds, String what) {
        try {
            return future.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LoadRunException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LoadRunException(what + " timed out after " + timeoutSeconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadRunException(what + " interrupted", e);
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadRunException("interrupted", e);
        }
    }
}
