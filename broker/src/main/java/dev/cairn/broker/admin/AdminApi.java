package dev.cairn.broker.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cairn.broker.auth.FailureSlowdown;
import dev.cairn.broker.bridge.BridgeStatus;
import dev.cairn.broker.config.AuthConfig;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.core.CoreAdmin;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /api/} (docs/operations.md, "Admin API"): JSON over the admin
 * listener, for operators and the dashboard. Each request is served on a thread of its own
 * ({@code cairn-admin-api}, with a queue of {@value #QUEUED_MAX} requests; beyond it 503), so a
 * password hash or a wait for the core never delays {@code /metrics} or the health probes. It
 * checks the credentials ({@link AdminAuth}), then asks the core through its inbox
 * ({@link CoreAdmin}) and waits at most {@code admin.api_timeout_ms} for the answer; it never
 * touches core state itself. Client ids and topics in paths and queries are percent-encoded
 * (RFC 3986); a {@code +} is taken as itself, never as a space.
 */
final class AdminApi implements HttpHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final String JSON = "application/json; charset=utf-8";
    /** Requests waiting for the API thread; more get 503 at once. */
    static final int QUEUED_MAX = 64;
    /** Refusals of wrong credentials that may wait for their delay at once. */
    static final int DELAYED_MAX = 256;

    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1000;

    private final JsonFactory json = new JsonFactory();
    private final CoreAdmin core;
    private final AdminAuth auth;
    private final long timeoutMillis;
    private final JournalFiles files;
    private final TopicLimits topicLimits;
    private final ThreadPoolExecutor worker;
    /** Failed logins by address; the worker thread's only. */
    private final FailureSlowdown slowdown;
    /** Sends the delayed refusals of wrong credentials. */
    private final ScheduledExecutorService delayer;

    private final AtomicInteger delayedRefusals = new AtomicInteger();

    private final Supplier<List<BridgeStatus>> bridges;

    /** An answer other than 200, with the message its JSON body carries. */
    private static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A 202 answer: the request was taken and goes on in the core. */
    private record Accepted(Body body) implements Body {
        @Override
        public void write(JsonGenerator g) throws IOException {
            body.write(g);
        }
    }

    AdminApi(
            CoreAdmin core,
            AdminAuth auth,
            AuthConfig slowing,
            long timeoutMillis,
            JournalFiles files,
            TopicLimits topicLimits,
            Supplier<List<BridgeStatus>> bridges) {
        this.core = core;
        this.bridges = bridges;
        this.slowdown = new FailureSlowdown(
                TimeUnit.MILLISECONDS.toNanos(slowing.failureDelayMillis()),
                TimeUnit.MILLISECONDS.toNanos(slowing.failureDelayMaxMillis()),
                slowing.failureAddressesMax());
        this.delayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-admin-delay");
            t.setDaemon(true);
            return t;
        });
        this.auth = auth;
        this.timeoutMillis = timeoutMillis;
        this.files = files;
        this.topicLimits = topicLimits;
        this.worker =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_MAX), r -> {
                    Thread t = new Thread(r, "cairn-admin-api");
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            worker.execute(() -> serve(exchange));
        } catch (RejectedExecutionException e) {
            try (exchange) {
                send(exchange, 503, error("the admin API is busy: " + QUEUED_MAX + " requests are waiting"));
            }
        }
    }

    private void serve(HttpExchange exchange) {
        AdminAuth.Verdict verdict = auth.check(exchange.getRequestHeaders().getFirst("Authorization"));
        if (verdict == AdminAuth.Verdict.WRONG && refuseLater(exchange)) {
            return;
        }
        try (exchange) {
            try {
                authenticate(exchange, verdict);
                Body answer = route(exchange);
                send(exchange, answer instanceof Accepted ? 202 : 200, answer);
            } catch (Refusal r) {
                send(exchange, r.status, error(r.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn(
                        "admin API request {} {} failed: {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI(),
                        e.toString());
                send(exchange, 500, error("internal error: " + e));
            }
        } catch (IOException e) {
            // The client went away before its answer was written: nothing to tell anyone.
            LOG.debug("admin API answer to {} not sent: {}", exchange.getRemoteAddress(), e.toString());
        }
    }

    /**
     * Wrong credentials: the 401 goes out after the failed-login delay of the client's address
     * ({@link FailureSlowdown}, auth_failure_delay_millis as for MQTT logins), from the delay
     * thread, so this thread serves the next request meanwhile. At most {@value #DELAYED_MAX}
     * refusals wait; beyond that the answer is 503 at once.
     *
     * @return whether the exchange was taken care of (false: no delay, refuse it now)
     */
    private boolean refuseLater(HttpExchange exchange) {
        long delay = slowdown.failed(exchange.getRemoteAddress().getAddress().getHostAddress(), System.nanoTime());
        if (delay == 0) {
            return false;
        }
        if (delayedRefusals.incrementAndGet() > DELAYED_MAX) {
            delayedRefusals.decrementAndGet();
            try (exchange) {
                send(exchange, 503, error("too many refused requests are waiting; try again later"));
            } catch (IOException e) {
                LOG.debug("admin API answer to {} not sent: {}", exchange.getRemoteAddress(), e.toString());
            }
            return true;
        }
        delayer.schedule(
                () -> {
                    try (exchange) {
                        try {
                            authenticate(exchange, AdminAuth.Verdict.WRONG);
                        } catch (Refusal r) {
                            send(exchange, r.status, error(r.getMessage()));
                        }
                    } catch (IOException e) {
                        LOG.debug("admin API answer to {} not sent: {}", exchange.getRemoteAddress(), e.toString());
                    } finally {
                        delayedRefusals.decrementAndGet();
                    }
                },
                delay,
                TimeUnit.NANOSECONDS);
        return true;
    }

    private void authenticate(HttpExchange exchange, AdminAuth.Verdict verdict) throws Refusal {
        switch (verdict) {
            case ALLOWED -> {}
            case CLOSED ->
                throw new Refusal(
                        403,
                        "the admin API is closed: set admin.password_file (HTTP Basic users) or admin.token_file (a bearer token)");
            case UNAUTHENTICATED, WRONG -> {
                for (String challenge : auth.challenges()) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
                }
                throw new Refusal(401, "credentials missing or wrong");
            }
        }
    }

    private Body route(HttpExchange exchange) throws Refusal {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String resource = path.size() > 1 ? path.get(1) : "";
        switch (resource) {
            case "clients":
                if (path.size() == 2) {
                    allow(exchange, method, "GET");
                    return clients();
                }
                if (path.size() == 4 && path.get(3).equals("disconnect")) {
                    allow(exchange, method, "POST");
                    return disconnect(path.get(2));
                }
                break;
            case "sessions":
                if (path.size() == 2) {
                    allow(exchange, method, "GET");
                    return sessions(query);
                }
                if (path.size() == 3) {
                    allow(exchange, method, "DELETE");
                    return deleteSession(path.get(2));
                }
                if (path.size() == 4 && path.get(3).equals("purge")) {
                    allow(exchange, method, "POST");
                    return purge(path.get(2));
                }
                break;
            case "retained":
                if (path.size() == 2) {
                    allow(exchange, method, "GET", "DELETE");
                    return method.equals("GET") ? retained(query) : deleteRetained(query);
                }
                break;
            case "bridges":
                if (path.size() == 2) {
                    allow(exchange, method, "GET");
                    return bridges();
                }
                break;
            case "journal":
                if (path.size() == 2) {
                    allow(exchange, method, "GET");
                    return journal();
                }
                break;
            default:
                break;
        }
        throw new Refusal(
                404,
                "no such endpoint: " + exchange.getRequestURI().getRawPath()
                        + " (see docs/operations.md, \"Admin API\")");
    }

    private static void allow(HttpExchange exchange, String method, String... allowed) throws Refusal {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        String list = String.join(", ", allowed);
        exchange.getResponseHeaders().set("Allow", list);
        throw new Refusal(405, method + " is not allowed here; allowed: " + list);
    }

    private Body clients() throws Refusal {
        List<CoreAdmin.ClientInfo> clients = await(core.clients());
        return g -> {
            g.writeArrayFieldStart("clients");
            for (CoreAdmin.ClientInfo c : clients) {
                g.writeStartObject();
                g.writeStringField("clientId", c.clientId());
                g.writeStringField("username", c.username());
                g.writeStringField("address", c.address());
                g.writeStringField("listener", c.listener());
                g.writeStringField("protocol", c.protocol());
                g.writeStringField("connectedSince", instant(c.connectedSinceMillis()));
                g.writeNumberField("inflight", c.inflight());
                g.writeNumberField("queued", c.queued());
                g.writeEndObject();
            }
            g.writeEndArray();
        };
    }

    /**
     * Each configured bridge: its link as the bridge knows it, its session's queue as the core has
     * it now (asked through the inbox, as for /api/sessions).
     */
    private Body bridges() throws Refusal {
        Map<String, CoreAdmin.SessionInfo> sessions = new HashMap<>();
        for (CoreAdmin.SessionInfo s : await(core.bridges())) {
            sessions.put(s.clientId(), s);
        }
        List<BridgeStatus.Snapshot> links =
                bridges.get().stream().map(BridgeStatus::snapshot).toList();
        return g -> {
            g.writeArrayFieldStart("bridges");
            for (BridgeStatus.Snapshot b : links) {
                CoreAdmin.SessionInfo s = sessions.get(BridgeConfig.SESSION_PREFIX + b.name());
                g.writeStartObject();
                g.writeStringField("name", b.name());
                g.writeBooleanField("connected", b.connected());
                g.writeStringField("since", instant(b.sinceMillis()));
                g.writeStringField("remote", b.remote());
                g.writeStringField("session", BridgeConfig.SESSION_PREFIX + b.name());
                g.writeNumberField("queued", s == null ? 0 : s.queued());
                g.writeNumberField("queuedBytes", s == null ? 0 : s.queuedBytes());
                g.writeStringField(
                        "oldestQueuedAt",
                        s == null || s.oldestQueuedAtMillis() < 0 ? null : instant(s.oldestQueuedAtMillis()));
                writeOptional(g, "oldestQueuedAgeMillis", s == null ? -1 : s.oldestQueuedAgeMillis());
                g.writeNumberField("inflight", s == null ? 0 : s.inflight());
                g.writeNumberField("sent", b.sent());
                g.writeNumberField("acknowledged", b.acknowledged());
                g.writeNumberField("reconnects", b.reconnects());
                g.writeNumberField("failures", b.failures());
                g.writeStringField("lastError", b.lastError());
                g.writeStringField("lastErrorAt", b.lastErrorAtMillis() < 0 ? null : instant(b.lastErrorAtMillis()));
                g.writeEndObject();
            }
            g.writeEndArray();
        };
    }

    private Body disconnect(String clientId) throws Refusal {
        if (!await(core.disconnect(clientId))) {
            throw new Refusal(404, "no connected client with id '" + clientId + "'");
        }
        return g -> {
            g.writeStringField("clientId", clientId);
            g.writeBooleanField("disconnected", true);
        };
    }

    private Body sessions(Map<String, String> query) throws Refusal {
        int limit = limit(query);
        String after = query.get("after");
        String order = query.getOrDefault("order", "clientId");
        CoreAdmin.SessionPage page;
        switch (order) {
            case "clientId" -> page = await(core.sessions(after == null || after.isEmpty() ? null : after, limit));
            case "queued" -> {
                if (after != null) {
                    throw new Refusal(
                            400, "order=queued has no pages: it lists the limit largest queues; leave out after");
                }
                page = await(core.largestQueues(limit));
            }
            default -> throw new Refusal(400, "order must be clientId or queued, not '" + order + "'");
        }
        return g -> {
            g.writeNumberField("total", page.total());
            g.writeArrayFieldStart("sessions");
            for (CoreAdmin.SessionInfo s : page.sessions()) {
                g.writeStartObject();
                g.writeStringField("clientId", s.clientId());
                g.writeBooleanField("online", s.online());
                g.writeNumberField("queued", s.queued());
                g.writeNumberField("queuedBytes", s.queuedBytes());
                g.writeStringField(
                        "oldestQueuedAt", s.oldestQueuedAtMillis() < 0 ? null : instant(s.oldestQueuedAtMillis()));
                writeOptional(g, "oldestQueuedAgeMillis", s.oldestQueuedAgeMillis());
                g.writeNumberField("inflight", s.inflight());
                g.writeNumberField("expiryIntervalSeconds", s.expiryIntervalSeconds());
                g.writeStringField("expiresAt", s.expiresAtMillis() < 0 ? null : instant(s.expiresAtMillis()));
                g.writeBooleanField("purging", s.purging());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("next", page.next());
        };
    }

    /**
     * Answered once the purge's first step is durable: 200 when that was all of it, else 202 while
     * the core goes on in steps (the session's listing says {@code purging} until it has ended).
     */
    private Body purge(String clientId) throws Refusal {
        CoreAdmin.Purge purge = core.purge(clientId);
        CoreAdmin.PurgeProgress first = await(purge.firstStep());
        if (first.purged() < 0) {
            throw new Refusal(404, "no session with client id '" + clientId + "'");
        }
        long purged = first.purged();
        boolean purging = !first.finished();
        Body body = g -> {
            g.writeStringField("clientId", clientId);
            g.writeNumberField("purged", purged);
            g.writeBooleanField("purging", purging);
        };
        return purging ? new Accepted(body) : body;
    }

    private Body deleteSession(String clientId) throws Refusal {
        if (!await(core.delete(clientId))) {
            throw new Refusal(404, "no session with client id '" + clientId + "'");
        }
        return g -> {
            g.writeStringField("clientId", clientId);
            g.writeBooleanField("deleted", true);
        };
    }

    private Body retained(Map<String, String> query) throws Refusal {
        String raw = query.getOrDefault("filter", "#");
        TopicFilter filter;
        try {
            filter = TopicFilter.parse(raw, topicLimits);
        } catch (InvalidTopicException e) {
            throw new Refusal(400, "filter: " + e.getMessage());
        }
        CoreAdmin.RetainedPage page = await(core.retained(filter, limit(query)));
        return g -> {
            g.writeNumberField("matched", page.matched());
            g.writeArrayFieldStart("messages");
            for (CoreAdmin.RetainedInfo m : page.messages()) {
                g.writeStartObject();
                g.writeStringField("topic", m.topic());
                g.writeNumberField("qos", m.qos());
                g.writeNumberField("payloadBytes", m.payloadBytes());
                g.writeStringField("payloadStartBase64", Base64.getEncoder().encodeToString(m.payloadStart()));
                g.writeStringField("payloadStartUtf8", utf8OrNull(m.payloadStart()));
                g.writeEndObject();
            }
            g.writeEndArray();
        };
    }

    private Body deleteRetained(Map<String, String> query) throws Refusal {
        String raw = query.get("topic");
        if (raw == null) {
            throw new Refusal(400, "the topic parameter is missing: DELETE /api/retained?topic=TOPIC");
        }
        TopicName topic;
        try {
            topic = TopicName.parse(raw, topicLimits);
        } catch (InvalidTopicException e) {
            throw new Refusal(400, "topic: " + e.getMessage());
        }
        switch (await(core.deleteRetained(topic))) {
            case NONE -> throw new Refusal(404, "no retained message on topic '" + raw + "'");
            case NO_SPACE ->
                throw new Refusal(507, "the journal is short of disk space (disk_free_min_bytes); nothing was deleted");
            case DELETED -> {}
        }
        return g -> {
            g.writeStringField("topic", raw);
            g.writeBooleanField("deleted", true);
        };
    }

    private Body journal() throws Refusal {
        CoreAdmin.JournalInfo j = await(core.journal());
        JournalFiles.Usage disk = files.usage();
        return g -> {
            g.writeStringField("dataDir", files.dataDir().toString());
            g.writeNumberField("journalBytes", disk.journalBytes());
            g.writeNumberField("cycleFiles", disk.cycleFiles());
            g.writeStringField("firstCycleFile", disk.firstCycleFile());
            g.writeStringField("lastCycleFile", disk.lastCycleFile());
            g.writeNumberField("indexBytes", disk.indexBytes());
            g.writeNumberField("diskFreeBytes", disk.freeBytes());
            g.writeNumberField("diskTotalBytes", disk.totalBytes());
            g.writeNumberField("appendedRecords", j.appendedRecords());
            g.writeNumberField("appendedBytes", j.appendedBytes());
            g.writeNumberField("lastAppendedPosition", j.lastAppendedPosition());
            g.writeNumberField("syncedPosition", j.syncedPosition());
            g.writeNumberField("indexUnappliedRecords", j.unappliedRecords());
            g.writeBooleanField("refusingNewData", j.refusingNewData());
        };
    }

    private <T> T await(CompletableFuture<T> answer) throws Refusal {
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Refusal(
                    503,
                    "the core did not answer within " + timeoutMillis
                            + " ms (admin.api_timeout_ms); the command may still take effect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "the broker is stopping");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the core failed the request: " + e.getCause(), e.getCause());
        }
    }

    private static int limit(Map<String, String> query) throws Refusal {
        String raw = query.get("limit");
        if (raw == null) {
            return LIMIT_DEFAULT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= LIMIT_MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, as a number out of range is.
        }
        throw new Refusal(400, "limit must be a number from 1 to " + LIMIT_MAX + ", not '" + raw + "'");
    }

    /** The path's segments, each percent-decoded, without the empty one before the first slash. */
    private static List<String> segments(String rawPath) throws Refusal {
        String[] raw = rawPath.substring(1).split("/", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = decode(raw[i]);
        }
        return List.of(out);
    }

    private static Map<String, String> query(String rawQuery) throws Refusal {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (out.put(name, value) != null) {
                throw new Refusal(400, "the parameter " + name + " is given twice");
            }
        }
        return out;
    }

    /**
     * Percent-decodes one part of a URI (RFC 3986). URLDecoder decodes forms, where {@code +} is a
     * space; here it is itself (a topic filter's wildcard, a character of a client id).
     */
    private static String decode(String raw) throws Refusal {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "bad percent-encoding in '" + raw + "': " + e.getMessage());
        }
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void writeOptional(JsonGenerator g, String name, long value) throws IOException {
        if (value < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    private static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static Body error(String message) {
        return g -> g.writeStringField("error", message);
    }

    private void send(HttpExchange exchange, int status, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        }
        bytes.write('\n');
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.size());
        try (OutputStream out = exchange.getResponseBody()) {
            bytes.writeTo(out);
        }
    }

    /** Stops the API thread; requests still queued are not answered. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
