package dev.cairn.broker.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.broker.bridge.BridgeStatus;
import dev.cairn.broker.config.AuthConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.MonitoringConfig;
import dev.cairn.broker.core.CoreAdmin;
import dev.cairn.broker.core.CoreMeasures;
import dev.cairn.broker.reload.Reloadable;
import dev.cairn.protocol.TopicLimits;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin listener: the JDK's {@link HttpServer} on {@code admin.bind}:{@code admin.port},
 * answering on one thread of its own ({@code cairn-admin}), so requests are handled one at a time
 * and a slow scraper cannot take more than that thread. Paths:
 *
 * <ul>
 *   <li>{@code /metrics}: every metric in the Prometheus text format (version 0.0.4);
 *   <li>{@code /health/live}: 200 while the process runs and its core thread is alive, else 503;
 *   <li>{@code /health/ready}: 200 once recovery has finished and every listener is bound, until
 *       the broker begins to stop; 503 before and after, with the stage in the body;
 *   <li>{@code /api/...}: the admin API ({@link AdminApi}), with credentials only, on a thread of
 *       its own; 503 until the core runs;
 *   <li>{@code /dashboard/...}: the web dashboard's static files ({@link DashboardFiles}), without
 *       credentials (the page asks for them and sends them with its {@code /api/} requests), each
 *       with a Content-Security-Policy that allows only this listener's own scripts, styles and
 *       requests; {@code /} and {@code /dashboard} redirect to {@code /dashboard/}.
 * </ul>
 *
 * Anything else is 404, any method but GET and HEAD 405. Started before the data directory is
 * opened, so that the health answers are there while the journal is recovered.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    /**
     * The dashboard's policy: scripts, styles, images and requests from this listener only, no inline
     * script or style element, no plugins, no framing by other pages, no form posting elsewhere.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService thread;
    private final Health health;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final AdminAuth auth;
    private final DashboardFiles dashboard = DashboardFiles.onClassPath();
    private final long apiTimeoutMillis;
    private volatile AdminApi api;
    /** Exchanges being answered now, so that {@link #close} waits only when there are any. */
    private final AtomicInteger answering = new AtomicInteger();
    /** The bridges' link status ({@link #registerBridges}); empty until the broker starts them. */
    private volatile List<BridgeStatus> bridges = List.of();

    private AdminServer(
            HttpServer server, ExecutorService thread, Health health, AdminAuth auth, long apiTimeoutMillis) {
        this.server = server;
        this.thread = thread;
        this.health = health;
        this.auth = auth;
        this.apiTimeoutMillis = apiTimeoutMillis;
    }

    /**
     * Binds and starts the listener with the JVM's metrics registered; the broker's own are added
     * by {@link #register} once the core exists.
     *
     * @throws ConfigException naming the address and the keys when it cannot bind (the port is taken),
     *     or naming the key and the file when the admin API's credentials cannot be read
     */
    public static AdminServer start(MonitoringConfig config, Health health) {
        AdminAuth auth = AdminAuth.open(config.api());
        InetSocketAddress address = new InetSocketAddress(config.adminBind(), config.adminPort());
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new ConfigException("the admin listener cannot bind to " + config.adminBind() + ":"
                    + config.adminPort() + " (admin.bind, admin.port; admin.enabled = false switches it off): "
                    + e.getMessage());
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-admin");
            t.setDaemon(true);
            return t;
        });
        AdminServer admin =
                new AdminServer(server, thread, health, auth, config.api().timeoutMillis());
        JvmMetrics.builder().register(admin.registry);
        server.createContext("/", admin.counted(admin::handle));
        server.createContext("/api/", admin.counted(admin::api));
        server.setExecutor(thread);
        server.start();
        LOG.info(
                "Cairn admin listening on {}:{} (/metrics, /health/live, /health/ready, /dashboard/; /api/ {})",
                server.getAddress().getHostString(),
                server.getAddress().getPort(),
                auth.open() ? "with credentials" : "closed: set admin.password_file or admin.token_file to open it");
        return admin;
    }

    /**
     * Adds the broker's own metrics (docs/operations.md) to every later scrape; any thread.
     *
     * @param listeners the names of the broker's listeners
     * @param connectionsRefused the sockets a listener (by name) closed at accept; any thread
     * @param tlsHandshakeFailures the TLS handshakes that failed on a listener (by name); any thread
     * @param dataDir the data directory, whose file system and size the metrics show
     */
    public void registerBroker(
            CoreMeasures core,
            List<String> listeners,
            ToLongFunction<String> connectionsRefused,
            ToLongFunction<String> tlsHandshakeFailures,
            Path dataDir) {
        registry.register(
                new BrokerMetrics(core, listeners, connectionsRefused, tlsHandshakeFailures, dataDir, () -> bridges));
    }

    /** The bridges, whose status {@code /metrics} and {@code /api/bridges} show from now on; any thread. */
    public void registerBridges(List<BridgeStatus> statuses) {
        bridges = List.copyOf(statuses);
    }

    /**
     * Opens the admin API on {@code core} (until then it answers 503); any thread.
     *
     * @param dataDir the data directory, whose journal files {@code /api/journal} shows
     * @param topicLimits the limits topics and filters in requests are parsed with
     * @param slowing how wrong credentials are slowed (auth_failure_delay_millis and its kin, as for MQTT)
     */
    public void registerApi(CoreAdmin core, Path dataDir, TopicLimits topicLimits, AuthConfig slowing) {
        api = new AdminApi(
                core, auth, slowing, apiTimeoutMillis, new JournalFiles(dataDir), topicLimits, () -> bridges);
    }

    /**
     * The reload (SIGHUP) of the admin API's credential files, {@code admin.password_file} and
     * {@code admin.token_file}; a file that turns out bad keeps what was loaded from it.
     */
    public Reloadable credentialsReloadable() {
        return Reloadable.of("admin API credentials", auth::reload);
    }

    private void api(HttpExchange exchange) throws IOException {
        AdminApi current = api;
        if (current != null) {
            current.handle(exchange);
            return;
        }
        try (exchange) {
            send(exchange, 503, "application/json; charset=utf-8", "{\"error\":\"the broker is starting\"}\n");
        }
    }

    /** The address it is bound to (the port chosen when admin.port is 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, TEXT, "only GET and HEAD\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> send(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, scrape());
                case "/health/live" -> health(exchange, health.live(), health.live() ? "live" : "core thread stopped");
                case "/health/ready" ->
                    health(exchange, health.ready(), health.stage().description());
                case "/", "/dashboard" -> redirect(exchange, DashboardFiles.PREFIX);
                default -> file(exchange);
            }
        } catch (RuntimeException e) {
            // A scrape that failed (the data directory gone, say) is the scraper's 500, not the broker's end.
            LOG.warn("admin request {} failed: {}", exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    private void file(HttpExchange exchange) throws IOException {
        Optional<DashboardFiles.File> file =
                dashboard.find(exchange.getRequestURI().getPath());
        if (file.isEmpty()) {
            send(exchange, 404, TEXT, "not found: /metrics, /health/live, /health/ready, /api/, /dashboard/\n");
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        // A new broker version may bring new files: the browser asks again each time (they are small).
        headers.set("Cache-Control", "no-cache");
        send(exchange, 200, file.get().contentType(), file.get().body());
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 302, TEXT, "see " + location + "\n");
    }

    private byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    private static void health(HttpExchange exchange, boolean ok, String stage) throws IOException {
        send(exchange, ok ? 200 : 503, TEXT, (stage + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private HttpHandler counted(HttpHandler handler) {
        return exchange -> {
            answering.incrementAndGet();
            try {
                handler.handle(exchange);
            } finally {
                answering.decrementAndGet();
            }
        };
    }

    /**
     * Stops answering (requests under way get a second to finish) and ends its thread. The JDK's
     * {@code HttpServer.stop(delay)} waits the whole delay even when no request is under way (JDK
     * 17), so the delay is asked for only when one is: a broker stop is not a second longer for it.
     */
    @Override
    public void close() {
        server.stop(answering.get() > 0 ? 1 : 0);
        thread.shutdownNow();
        AdminApi current = api;
        if (current != null) {
            current.close();
        }
    }
}
