package dev.cairn.broker.core;

import dev.cairn.broker.auth.Authenticator;
import dev.cairn.broker.auth.FailureSlowdown;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketEncoder;
import dev.cairn.broker.codec.PacketType;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.AuthConfig;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.Negotiated;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.broker.time.LineBudget;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT (section 3.1): validates what the decoder could not (client id rules and limits,
 * will topic and QoS, authentication method), has the credentials checked by the {@link
 * Authenticator}, takes over a connected session with the same client id, starts or resumes the
 * session, answers CONNACK with the negotiated limits and re-sends what was in flight.
 *
 * <p>A check the authenticator cannot answer at once (a password hash) runs on the auth pool:
 * the connection waits in {@link ConnectionPhase#AUTHENTICATING}, holding what the client sends
 * meanwhile, while the core goes on; the pool posts a {@link Command.Authenticated} back to the
 * inbox and {@link #onAuthenticated} continues the CONNECT, unless the connection closed
 * meanwhile. Bad credentials are refused after the failure delay of their address ({@link
 * FailureSlowdown}), counted on the core's clock. Core thread only.
 */
final class ConnectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    private static final int REFUSAL_LINES = 20;
    private static final long REFUSAL_WINDOW_NANOS = 10_000_000_000L;

    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final Deliveries deliveries;
    private final ListenerSecurity security;
    private final Executor authPool;
    private final Consumer<Command> inbox;
    private final FailureSlowdown slowdown;
    /** At most {@link #REFUSAL_LINES} refusal lines every {@link #REFUSAL_WINDOW_NANOS}. */
    private final LineBudget refusalLines;
    /** At most as many lines about accepted logins, on a budget of their own. */
    private final LineBudget acceptLines;
    /** Refusals waiting out their failure delay, earliest first. */
    private final PriorityQueue<DelayedRefusal> delayedRefusals =
            new PriorityQueue<>(Comparator.comparingLong(DelayedRefusal::dueNanos));

    private record DelayedRefusal(Connection connection, Packet.Connect connect, ReasonCode reason, long dueNanos) {}

    ConnectHandler(
            BrokerState state,
            Lifecycle lifecycle,
            Deliveries deliveries,
            ListenerSecurity security,
            Executor authPool,
            Consumer<Command> inbox) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.deliveries = deliveries;
        this.security = security;
        this.authPool = authPool;
        this.inbox = inbox;
        AuthConfig auth = state.config.auth();
        this.refusalLines = new LineBudget(REFUSAL_LINES, REFUSAL_WINDOW_NANOS, () -> state.nowNanos);
        this.acceptLines = new LineBudget(REFUSAL_LINES, REFUSAL_WINDOW_NANOS, () -> state.nowNanos);
        this.slowdown = new FailureSlowdown(
                auth.failureDelayMillis() * 1_000_000L,
                auth.failureDelayMaxMillis() * 1_000_000L,
                auth.failureAddressesMax());
    }

    void onConnect(Connection c, Packet.Connect p) {
        String clientId = p.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (p.version() != ProtocolVersion.MQTT_5 && !p.cleanStart() || p.version() == ProtocolVersion.MQTT_3_1) {
                refuse(c, p, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client id"); // [MQTT-3.1.3-8]
                return;
            }
            clientId = "cairn-" + UUID.randomUUID(); // [MQTT-3.1.3-6]
            assigned = true;
        }
        ReasonCode refusal = check(c, p, clientId);
        if (refusal != null) {
            refuse(c, p, refusal, "CONNECT refused");
            return;
        }
        WillMessage will;
        try {
            will = willOf(p, clientId);
        } catch (InvalidTopicException e) {
            refuse(c, p, ReasonCode.TOPIC_NAME_INVALID, "invalid will topic: " + e.getMessage());
            return;
        }
        PendingConnect pending = new PendingConnect(p, clientId, assigned, will, ++state.connectsReceived);
        String method = p.version() == ProtocolVersion.MQTT_5 ? p.properties().authenticationMethod() : null;
        if (c.origin().internal()) {
            // A bridge's own local side (ADR 0020): made by the broker, not by a network client.
            decide(c, pending, Authenticator.Outcome.of(Authenticator.Verdict.ACCEPTED));
            return;
        }
        if (c.origin().certificateUsername() != null && method == null) {
            // The TLS handshake verified a client certificate that names the user
            // (use_identity_as_username / use_subject_as_username): that is the credential, and
            // the CONNECT's user name and password are not checked, as mosquitto does.
            decide(c, pending, Authenticator.Outcome.of(Authenticator.Verdict.ACCEPTED));
            return;
        }
        Authenticator.Request request = new Authenticator.Request(
                clientId,
                p.username(),
                p.password(),
                c.wire().remoteHost(),
                security.anonymousAllowed(c.origin().listener()),
                method,
                method == null ? null : p.properties().authenticationData());
        // The password file, anonymous rule and enhanced methods of the listener the client came in on.
        Authenticator authenticator = security.connectAuthenticator(c.origin().listener());
        c.setAuthMethod(method);
        Authenticator.Outcome quick = authenticator.quickVerdict(request);
        if (quick != null) {
            decide(c, pending, quick);
            return;
        }
        c.startAuthenticating(pending.sequence());
        onPool(c, pending, () -> authenticator.verify(request));
    }

    /**
     * Runs one step of a check on the auth pool; its outcome comes back as a {@link
     * Command.Authenticated} ({@code pending} null for a re-authentication).
     */
    private void onPool(Connection c, PendingConnect pending, Supplier<Authenticator.Outcome> step) {
        c.setAuthRunning(true);
        try {
            authPool.execute(() -> inbox.accept(new Command.Authenticated(c, pending, step.get())));
        } catch (RejectedExecutionException e) {
            c.setAuthRunning(false);
            if (pending != null) {
                refuse(c, pending.connect(), ReasonCode.SERVER_UNAVAILABLE, "the auth pool is stopping");
            } else {
                lifecycle.serverDisconnect(c, ReasonCode.SERVER_SHUTTING_DOWN, Lifecycle.WillAction.PUBLISH);
            }
        }
    }

    /** The pool's answer for a CONNECT (or re-authentication) that waited; a connection that closed meanwhile just lets go. */
    void onAuthenticated(Connection c, PendingConnect pending, Authenticator.Outcome outcome) {
        c.setAuthRunning(false);
        if (pending == null) {
            onReauthenticated(c, outcome);
            return;
        }
        if (c.phase() != ConnectionPhase.AUTHENTICATING) {
            outcome.release().run();
            return;
        }
        decide(c, pending, outcome);
    }

    /**
     * A packet while a CONNECT's enhanced-authentication exchange runs. Until its CONNACK the
     * client may send only AUTH and DISCONNECT [MQTT-3.1.2-30], and AUTH only as the answer
     * (0x18) to the server's AUTH [MQTT-4.12.0-3], with the CONNECT's method [MQTT-4.12.0-5];
     * anything else is a Protocol Error, answered with CONNACK 0x82 before the close [MQTT-4.12.0-4].
     */
    void onPacketDuringExchange(Connection c, Packet packet) {
        if (packet.type() == PacketType.DISCONNECT) {
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            return;
        }
        String error = null;
        if (packet.type() != PacketType.AUTH) {
            error = packet.type() + " before the CONNACK of an enhanced authentication [MQTT-3.1.2-30]";
        } else {
            Packet.Auth auth = (Packet.Auth) packet;
            if (auth.reason() != ReasonCode.CONTINUE_AUTHENTICATION) {
                error = "AUTH " + auth.reason() + " before the CONNACK; only 0x18 answers the server [MQTT-4.12.0-3]";
            } else if (!c.authMethod().equals(auth.properties().authenticationMethod())) {
                error = "AUTH with another Authentication Method than the CONNECT's [MQTT-4.12.0-5]";
            } else if (!c.awaitsAuth()) {
                error = "AUTH before the server's AUTH asked for it [MQTT-4.12.0-3]";
            } else {
                c.takeAuthStep().accept(auth.properties().authenticationData());
                return;
            }
        }
        c.send(new Packet.ConnAck(false, ReasonCode.PROTOCOL_ERROR, Properties.EMPTY));
        lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, error);
    }

    /**
     * AUTH on a connected client (section 4.12.1): 0x19 starts a re-authentication with the
     * CONNECT's method [MQTT-4.12.1-1], 0x18 answers the server's AUTH 0x18 [MQTT-4.12.0-3]. The
     * connection goes on meanwhile. AUTH where the CONNECT named no method [MQTT-4.12.0-7], with
     * another method, 0x19 while an exchange runs, 0x18 that nothing asked for, and 0x00 (sent only
     * by servers, section 3.15.2.1) are Protocol Errors: DISCONNECT 0x82.
     */
    void onAuth(Connection c, Packet.Auth auth) {
        String method = auth.properties().authenticationMethod();
        String error = null;
        if (c.authMethod() == null) {
            error = "AUTH on a connection whose CONNECT named no Authentication Method [MQTT-4.12.0-7]";
        } else if (!c.authMethod().equals(method)) {
            error = "AUTH with another Authentication Method than the CONNECT's [MQTT-4.12.1-1]";
        } else if (auth.reason() == ReasonCode.RE_AUTHENTICATE) {
            if (c.awaitsAuth() || c.authRunning()) {
                error = "AUTH 0x19 while a re-authentication is in progress";
            }
        } else if (auth.reason() == ReasonCode.CONTINUE_AUTHENTICATION) {
            if (!c.awaitsAuth()) {
                error = "AUTH 0x18 that no AUTH of the server asked for [MQTT-4.12.0-3]";
            }
        } else {
            error = "AUTH " + auth.reason() + " from a client; only servers send it (3.15.2.1)";
        }
        if (error != null) {
            lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, error);
            return;
        }
        byte[] data = auth.properties().authenticationData();
        if (auth.reason() == ReasonCode.CONTINUE_AUTHENTICATION) {
            c.takeAuthStep().accept(data);
            return;
        }
        Authenticator.Request request = new Authenticator.Request(
                c.session().clientId(),
                c.username(),
                null,
                c.wire().remoteHost(),
                security.anonymousAllowed(c.origin().listener()),
                method,
                data);
        Authenticator authenticator = security.connectAuthenticator(c.origin().listener());
        Authenticator.Outcome quick = authenticator.quickVerdict(request);
        if (quick != null) {
            onReauthenticated(c, quick);
        } else {
            onPool(c, null, () -> authenticator.verify(request));
        }
    }

    /**
     * A re-authentication's step answered: AUTH 0x18 to go on, AUTH 0x00 when it succeeded as the
     * same user, else DISCONNECT 0x87 and close [MQTT-4.12.1-2] (a DISCONNECT cannot say 0x86).
     */
    private void onReauthenticated(Connection c, Authenticator.Outcome outcome) {
        if (c.phase() != ConnectionPhase.CONNECTED) {
            outcome.release().run();
            return;
        }
        switch (outcome.verdict()) {
            case CONTINUE:
                awaitClient(c, outcome, null);
                return;
            case ACCEPTED:
                if (outcome.username() == null || outcome.username().equals(c.username())) {
                    // The connection keeps its identity: the session's ACL judges it as before.
                    c.replaceAuthRelease(outcome.release());
                    c.send(new Packet.Auth(ReasonCode.SUCCESS, authProperties(c, outcome.authData())));
                    LOG.debug(
                            "connection {} re-authenticated as user '{}'",
                            c.wire().id(),
                            c.username());
                    return;
                }
                outcome.release().run();
                break;
            default:
                outcome.release().run();
                break;
        }
        state.stats.authRefusedNotAuthorized++;
        LOG.info(
                "closing connection {} of user '{}' from {}: re-authentication failed [{}]",
                c.wire().id(),
                c.username(),
                c.wire().remoteAddress(),
                ReasonCode.NOT_AUTHORIZED);
        lifecycle.serverDisconnect(c, ReasonCode.NOT_AUTHORIZED, Lifecycle.WillAction.PUBLISH);
    }

    /**
     * Sends AUTH 0x18 with the outcome's data [MQTT-4.12.0-2] and waits for the client's answer,
     * which the outcome's continuation takes on the pool.
     */
    private void awaitClient(Connection c, Authenticator.Outcome outcome, PendingConnect pending) {
        Authenticator.Continuation next = outcome.next();
        c.awaitAuth(data -> onPool(c, pending, () -> next.next(data)), state.nowNanos);
        c.send(new Packet.Auth(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(c, outcome.authData())));
    }

    /** Every AUTH, and a successful CONNACK, carries the CONNECT's method [MQTT-4.12.0-5]. */
    private static Properties authProperties(Connection c, byte[] data) {
        Properties.Builder b = Properties.builder().authenticationMethod(c.authMethod());
        if (data != null) {
            b.authenticationData(data);
        }
        return b.build();
    }

    /**
     * Continues a CONNECT with its credentials' verdict. Refusals say 0x86 Bad user name or
     * password (3.1.1: 4) or 0x87 Not authorized (3.1.1: 5), never which part was wrong; one
     * that follows credentials waits out its address's failure delay first.
     */
    private void decide(Connection c, PendingConnect pending, Authenticator.Outcome outcome) {
        Packet.Connect p = pending.connect();
        if (outcome.verdict() == Authenticator.Verdict.CONTINUE) {
            if (c.phase() == ConnectionPhase.AWAITING_CONNECT) {
                c.startAuthenticating(pending.sequence());
            }
            awaitClient(c, outcome, pending);
            return;
        }
        c.setAuthRelease(outcome.release());
        if (outcome.verdict() == Authenticator.Verdict.BAD_METHOD) {
            // Not offered on this listener: 0x8C, then close [MQTT-4.12.0-1].
            refuse(
                    c,
                    p,
                    ReasonCode.BAD_AUTHENTICATION_METHOD,
                    "authentication method '" + c.authMethod() + "' is not offered on listener "
                            + c.origin().listener());
            return;
        }
        if (!outcome.accepted()) {
            ReasonCode reason;
            if (outcome.verdict() == Authenticator.Verdict.NOT_AUTHORIZED) {
                reason = ReasonCode.NOT_AUTHORIZED;
                state.stats.authRefusedNotAuthorized++;
            } else {
                reason = ReasonCode.BAD_USER_NAME_OR_PASSWORD;
                state.stats.authRefusedBadCredentials++;
            }
            boolean guessed = p.username() != null || c.authMethod() != null;
            long delay = guessed ? slowdown.failed(c.wire().remoteHost(), state.nowNanos) : 0;
            if (delay > 0 && delayedRefusals.size() >= state.limits.connectionsMax()) {
                // Waiting refusals of connections closed meanwhile stay queued until due; at most
                // connections_max wait, so quickly closed guesses cannot grow the queue.
                delayedRefusals.removeIf(r -> r.connection().phase() == ConnectionPhase.CLOSED);
                if (delayedRefusals.size() >= state.limits.connectionsMax()) {
                    delay = 0;
                }
            }
            if (delay == 0) {
                refuse(c, p, reason, failure(c, p));
                return;
            }
            c.startRefusing();
            delayedRefusals.add(new DelayedRefusal(c, p, reason, state.nowNanos + delay));
            return;
        }
        String clientId = pending.clientId();
        if (needsNewPersistentSession(c, p, clientId) && state.persistence.refusesNewData()) {
            // A session that outlives its connection lives in the journal, which is short of disk
            // space (docs/durability.md, "Full disk"). 0x97 Quota exceeded: "an implementation or
            // administrative imposed limit has been exceeded" (MQTT 5.0 section 3.2.2.2), the
            // limit being disk_free_min_bytes; the same code the refused PUBLISHes carry, and
            // unlike 0x89 Server busy it does not invite an immediate retry. A 3.1.1 client gets
            // return code 3, Server unavailable. Session Present is 0 [MQTT-3.2.2-6], then close
            // [MQTT-3.2.2-7]. Sessions that exist already may reconnect to drain their queues.
            refuse(
                    c,
                    p,
                    ReasonCode.QUOTA_EXCEEDED,
                    "no new persistent session while the journal is short of disk" + " space");
            return;
        }
        String username = username(c, p, outcome);
        if (username != null) {
            state.stats.authAccepted++;
            logAccepted(c, pending.clientId(), username);
        }
        accept(c, pending, username, outcome.authData());
    }

    /** What a refusal's log line says failed: the password check of a user, or an enhanced method's exchange. */
    private static String failure(Connection c, Packet.Connect p) {
        return c.authMethod() != null
                ? c.authMethod() + " authentication failed"
                : "authentication failed for user '" + p.username() + "'";
    }

    /** Sends the refusals whose failure delay has passed; called every turn. */
    void sendDueRefusals() {
        DelayedRefusal r;
        while ((r = delayedRefusals.peek()) != null && state.nowNanos - r.dueNanos() >= 0) {
            delayedRefusals.poll();
            if (r.connection().phase() == ConnectionPhase.REFUSING) {
                refuse(
                        r.connection(),
                        r.connect(),
                        r.reason(),
                        failure(r.connection(), r.connect()) + " (after the failure delay)");
            }
        }
    }

    /** Nanoseconds until the next delayed refusal is due, or {@link Long#MAX_VALUE} for none. */
    long nanosUntilRefusalDue() {
        DelayedRefusal r = delayedRefusals.peek();
        return r == null ? Long.MAX_VALUE : Math.max(0, r.dueNanos() - state.nowNanos);
    }

    /** Whether accepting {@code p} starts a session with an expiry, which the journal must hold. */
    private boolean needsNewPersistentSession(Connection c, Packet.Connect p, String clientId) {
        return sessionExpiry(p, c.origin().internal()) > 0 && (p.cleanStart() || state.sessions.get(clientId) == null);
    }

    private ReasonCode check(Connection c, Packet.Connect p, String clientId) {
        if (clientId.getBytes(StandardCharsets.UTF_8).length > state.config.clientIdLengthMax()) {
            return ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
        }
        if (clientId.startsWith(BridgeConfig.SESSION_PREFIX) && !c.origin().internal()) {
            // The bridges' sessions (ADR 0020): a network client taking one over would receive, and
            // acknowledge away, the bridge's queue. The server may refuse a client id [MQTT-3.1.3-5];
            // 5.0 says 0x85 Client Identifier not valid, 3.1.1 return code 2 [MQTT-3.2.2-6].
            return ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
        }
        if (p.bridge() && !state.config.allowBridgeMarker()) {
            // allow_bridge_marker = false: the bridge mark (level 0x83, 0x84) is refused as the
            // unknown level it is to MQTT itself, return code 0x01 [MQTT-3.1.2-2]; a mosquitto or
            // Cairn bridge then connects again unmarked.
            return ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
        }
        Packet.Will will = p.will();
        if (will != null && will.qos().value() > state.config.qosMax()) {
            return ReasonCode.QOS_NOT_SUPPORTED; // [MQTT-3.2.2-12]
        }
        if (will != null && will.retain() && !state.config.retainAvailable()) {
            return ReasonCode.RETAIN_NOT_SUPPORTED; // [MQTT-3.2.2-13]
        }
        return null;
    }

    /**
     * The username the connection acts as: on a listener that takes it from the verified client
     * certificate, that one, and the username in the CONNECT is ignored (as mosquitto's
     * use_identity_as_username does); otherwise the one an enhanced method proved, else the
     * CONNECT's, or null.
     */
    private static String username(Connection c, Packet.Connect p, Authenticator.Outcome outcome) {
        String fromCertificate = c.origin().certificateUsername();
        if (fromCertificate != null) {
            return fromCertificate;
        }
        return outcome.username() != null ? outcome.username() : p.username();
    }

    /** The audit line of a login with a user name, held to the same budget shape as refusals. */
    private void logAccepted(Connection c, String clientId, String username) {
        long heldBack = acceptLines.take();
        if (heldBack >= 0) { // A reconnect storm of a whole fleet must not flood the log either.
            LOG.info(
                    "login accepted on connection {} from {} (client id '{}', user '{}' by {}, listener {}){}",
                    c.wire().id(),
                    c.wire().remoteAddress(),
                    clientId,
                    username,
                    c.origin().certificateUsername() != null
                            ? "client certificate"
                            : c.authMethod() != null ? c.authMethod() : "password",
                    c.origin().listener(),
                    heldBack == 0 ? "" : "; " + heldBack + " more accepted logins were not logged");
        }
    }

    /**
     * The line of a client that connected as a bridge (try_private's mark), at INFO like a login:
     * an operator should see which connections get No Local and Retain As Published.
     */
    private void logBridge(Connection c, String clientId, Packet.Connect p, boolean sessionPresent) {
        long heldBack = acceptLines.take();
        if (heldBack >= 0) {
            LOG.info(
                    "bridge connected on connection {} from {} (client id '{}', {}, listener {}, {}, session present"
                            + " {}): its subscriptions are No Local and Retain As Published{}",
                    c.wire().id(),
                    c.wire().remoteAddress(),
                    clientId,
                    c.username() == null ? "anonymous" : "user '" + c.username() + "'",
                    c.origin().listener(),
                    p.version(),
                    sessionPresent,
                    heldBack == 0 ? "" : "; " + heldBack + " more accepted logins were not logged");
        }
    }

    private void refuse(Connection c, Packet.Connect p, ReasonCode reason, String why) {
        long heldBack = refusalLines.take();
        if (heldBack >= 0) { // A scanner or a fleet with a wrong password must not flood the log.
            LOG.info(
                    "refusing connection {} from {} (client id '{}'): {} [{}]{}",
                    c.wire().id(),
                    c.wire().remoteAddress(),
                    p.clientId(),
                    why,
                    reason,
                    heldBack == 0 ? "" : "; " + heldBack + " more refusals were not logged");
        }
        // Session Present is 0 on every refusal [MQTT-3.2.2-6]; then close [MQTT-3.2.2-7].
        Packet.ConnAck refusal = new Packet.ConnAck(false, reason, Properties.EMPTY);
        if (fitsClient(c, p, refusal)) {
            c.send(refusal);
        }
        lifecycle.close(c, Lifecycle.WillAction.DISCARD);
    }

    /**
     * Whether a CONNACK fits the 5.0 client's Maximum Packet Size, which bounds every packet the
     * server sends, CONNACK included [MQTT-3.1.2-24]. The CONNACK we send carries no Reason String
     * or User Property, the properties a server drops to make a packet fit ([MQTT-3.2.2-19],
     * [MQTT-3.2.2-20]); the others are the limits the client must know. So a CONNACK that does
     * not fit is not sent at all: the connection is closed without it, and the client's library
     * reports its own limit as too small. Logs why when it does not fit.
     */
    private static boolean fitsClient(Connection c, Packet.Connect p, Packet.ConnAck connAck) {
        Long clientMax = p.version() == ProtocolVersion.MQTT_5 ? p.properties().maximumPacketSizeBytes() : null;
        if (clientMax == null) {
            return true;
        }
        int size = PacketEncoder.encodedSize(connAck, p.version());
        if (size <= clientMax) {
            return true;
        }
        LOG.info(
                "closing connection {} (client id '{}') without CONNACK: it takes {} bytes, more than the"
                        + " client's Maximum Packet Size of {} [MQTT-3.1.2-24]",
                c.wire().id(),
                p.clientId(),
                size,
                clientMax);
        return false;
    }

    private WillMessage willOf(Packet.Connect p, String clientId) throws InvalidTopicException {
        Packet.Will w = p.will();
        if (w == null) {
            return null;
        }
        TopicName.parse(w.topic(), state.topicLimits);
        Properties props = w.properties();
        long delay = props.willDelayIntervalSeconds() == null ? 0 : props.willDelayIntervalSeconds();
        long expiry = props.messageExpiryIntervalSeconds() == null
                ? WillMessage.NO_EXPIRY
                : props.messageExpiryIntervalSeconds();
        Message message = new Message(
                w.topic(),
                w.qos(),
                w.retain(),
                w.payload(),
                Messages.forwardable(props),
                clientId,
                Message.NEVER_EXPIRES);
        return new WillMessage(message, delay, expiry);
    }

    private void accept(Connection c, PendingConnect pending, String username, byte[] authData) {
        Packet.Connect p = pending.connect();
        String clientId = pending.clientId();
        WillMessage will = pending.will();
        boolean assigned = pending.assigned();
        long expiry = sessionExpiry(p, c.origin().internal());
        Negotiated negotiated = negotiate(p, will, c.origin().internal());
        Properties connAckProperties = connAckProperties(p, clientId, assigned, expiry, negotiated, c, authData);
        // Checked before anything changes: a client that cannot receive the CONNACK takes over no
        // session. Session Present does not change the size.
        if (!fitsClient(c, p, new Packet.ConnAck(false, ReasonCode.SUCCESS, connAckProperties))) {
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            return;
        }
        Session existing = state.sessions.get(clientId);
        if (existing != null
                && existing.isConnected()
                && existing.connection().connectSequence() > pending.sequence()) {
            // A later CONNECT for this client id was accepted while this one's credentials were
            // being checked: as if this one had been accepted first and then taken over.
            LOG.info(
                    "closing connection {} (client id '{}'): a later CONNECT for it was accepted first",
                    c.wire().id(),
                    clientId);
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            return;
        }
        if (existing != null && existing.isConnected()) {
            LOG.info(
                    "client {} connected again from {}; taking over its session",
                    clientId,
                    c.wire().remoteAddress());
            lifecycle.serverDisconnect(
                    existing.connection(),
                    ReasonCode.SESSION_TAKEN_OVER,
                    Lifecycle.WillAction.PUBLISH); // [MQTT-3.1.4-3]
            existing = state.sessions.get(clientId); // A session with expiry 0 ended with it.
        }
        if (existing != null && lifecycle.endIfDue(existing)) {
            existing = null; // Expired since the last timer scan: not resumed [MQTT-3.1.2-23].
        }
        boolean sessionPresent = !p.cleanStart() && existing != null;
        Session session;
        if (sessionPresent) {
            session = existing;
        } else {
            if (existing != null) {
                lifecycle.endSession(existing); // [MQTT-3.1.2-4]
            }
            session = state.newSession(clientId);
            state.sessions.put(clientId, session);
        }
        if (session.delayedWill() != null) {
            state.persistence.willCancelled(clientId); // [MQTT-3.1.3-9]: reconnected within the delay.
        }
        session.setExpiryIntervalSeconds(expiry);
        session.attach(c);
        state.clientsConnected++;
        state.stats.clientsConnectedMax = Math.max(state.stats.clientsConnectedMax, state.clientsConnected);
        state.stats.connectsAccepted++;
        // The identity the topic ACL judges the session by, from now until its next CONNECT.
        session.identify(username, c.origin().listener());
        state.persistence.sessionOpened(
                clientId,
                p.cleanStart(),
                expiry,
                p.version().level(),
                will,
                new Identity(session.username(), session.listener()));
        c.accept(negotiated, session, pending.sequence());
        state.connectionCounts.accepted(c);
        c.setUsername(username);
        c.send(new Packet.ConnAck(sessionPresent, ReasonCode.SUCCESS, connAckProperties));
        if (p.bridge()) {
            logBridge(c, clientId, p, sessionPresent);
        } else {
            LOG.debug(
                    "client {} connected on listener {} as {} ({}, session present {})",
                    clientId,
                    c.origin().listener(),
                    c.username() == null ? "anonymous" : "user '" + c.username() + "'",
                    p.version(),
                    sessionPresent);
        }
        if (sessionPresent) {
            deliveries.resume(session);
        }
    }

    /**
     * The session expiry the CONNECT asks for, capped by session_expiry_max_seconds; a bridge's
     * session ({@code internal}) is not capped: its queue must outlive any outage (ADR 0020).
     */
    private long sessionExpiry(Packet.Connect p, boolean internal) {
        long requested;
        if (p.version() == ProtocolVersion.MQTT_5) {
            Long v = p.properties().sessionExpiryIntervalSeconds();
            requested = v == null ? 0 : v;
        } else {
            requested = p.cleanStart() ? 0 : Session.NEVER_EXPIRES;
        }
        return internal ? requested : Math.min(requested, state.limits.sessionExpiryMaxSeconds());
    }

    /** {@code internal}: a bridge's local side, which keeps the keep alive 0 it asks for (no timeout). */
    private Negotiated negotiate(Packet.Connect p, WillMessage will, boolean internal) {
        Properties props = p.properties();
        int keepAlive = p.keepAliveSeconds();
        // 0 means "never time out", which is more than any maximum: a 5.0 client asking for it
        // gets the maximum as Server Keep Alive, as mosquitto's max_keepalive does. A 3.1.1 client
        // cannot be told a different value, so its own stands.
        boolean aboveMax = keepAlive == 0 || keepAlive > state.limits.keepAliveMaxSeconds();
        if (p.version() == ProtocolVersion.MQTT_5 && aboveMax && !internal) {
            keepAlive = state.limits.keepAliveMaxSeconds();
        }
        int receiveMax = props.receiveMaximum() == null ? 65_535 : props.receiveMaximum();
        long packetMax = props.maximumPacketSizeBytes() == null ? Long.MAX_VALUE : props.maximumPacketSizeBytes();
        int aliasMax = props.topicAliasMaximum() == null ? 0 : props.topicAliasMaximum();
        int serverAliasMax = p.version() == ProtocolVersion.MQTT_5 ? state.config.topicAliasMax() : 0;
        Long requestedExpiry = p.properties().sessionExpiryIntervalSeconds();
        return new Negotiated(
                p.version(),
                keepAlive,
                receiveMax,
                packetMax,
                aliasMax,
                serverAliasMax,
                will,
                requestedExpiry == null ? 0 : requestedExpiry,
                p.bridge());
    }

    private Properties connAckProperties(
            Packet.Connect p,
            String clientId,
            boolean assigned,
            long expiry,
            Negotiated n,
            Connection c,
            byte[] authData) {
        if (p.version() != ProtocolVersion.MQTT_5) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder()
                .receiveMaximum(state.config.inflightInboundMax())
                .maximumPacketSizeBytes((long) state.config.packetSizeMaxBytes())
                .topicAliasMaximum(state.config.topicAliasMax())
                .retainAvailable(state.config.retainAvailable() ? 1 : 0)
                .wildcardSubscriptionAvailable(1)
                .subscriptionIdentifierAvailable(1)
                .sharedSubscriptionAvailable(1);
        if (state.config.qosMax() < QoS.EXACTLY_ONCE.value()) {
            b.maximumQos(state.config.qosMax()); // Absent means 2 [MQTT-3.2.2-9].
        }
        if (assigned) {
            b.assignedClientIdentifier(clientId);
        }
        if (c.authMethod() != null) {
            b.authenticationMethod(c.authMethod()); // [MQTT-4.12.0-5]
            if (authData != null) {
                b.authenticationData(authData);
            }
        }
        Long requestedExpiry = p.properties().sessionExpiryIntervalSeconds();
        if (requestedExpiry != null && requestedExpiry != expiry) {
            b.sessionExpiryIntervalSeconds(expiry);
        }
        if (n.keepAliveSeconds() != p.keepAliveSeconds()) {
            b.serverKeepAliveSeconds(n.keepAliveSeconds()); // [MQTT-3.2.2-21]
        }
        Integer wantsResponseInfo = p.properties().requestResponseInformation();
        if (wantsResponseInfo != null && wantsResponseInfo == 1) {
            b.responseInformation("response/" + clientId);
        }
        return b.build();
    }
}
