package dev.cairn.broker.core;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.broker.persistence.NoSpaceException;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's requests of {@link CoreAdmin} on the core thread, with the same handlers
 * the protocol uses: a disconnect is a server-side close ({@link Lifecycle#serverDisconnect}), a
 * deletion the session's end ({@link Lifecycle#endSession}), a purge the queue's own discarding
 * ({@link OutboundQueue#purgeStep}, a bounded step per command), so each is journaled as that
 * change always is. Each change is
 * logged at INFO. Core thread only.
 */
final class AdminDesk {
    private static final Logger LOG = LoggerFactory.getLogger(AdminDesk.class);
    /** How much of a retained message's payload a listing carries. */
    static final int PAYLOAD_PREVIEW_BYTES = 256;

    /**
     * Most queued messages one purge step removes, one step per core turn: as many as the
     * commands of one full batch ({@link CoreLoop#BATCH_COMMANDS_MAX}). Removing a message costs
     * what a PUBACK does (one finished record journaled, one index entry deleted) plus reading its
     * entry, so a step holds the core about as long as a full batch of acknowledgements would, and
     * the turn's sync and index write stay the size a busy turn's are.
     */
    static final int PURGE_STEP_MAX = CoreLoop.BATCH_COMMANDS_MAX;

    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final Deliveries deliveries;

    AdminDesk(BrokerState state, Lifecycle lifecycle, Deliveries deliveries) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.deliveries = deliveries;
    }

    /** Everything the core owns, for tests in this package that check it on the core thread. */
    BrokerState state() {
        return state;
    }

    List<CoreAdmin.ClientInfo> clients() {
        List<CoreAdmin.ClientInfo> out = new ArrayList<>();
        long nowMillis = state.clock.currentTimeMillis();
        for (Connection c : state.connections) {
            Session s = c.session();
            if (c.phase() != ConnectionPhase.CONNECTED || s == null) {
                continue;
            }
            out.add(new CoreAdmin.ClientInfo(
                    s.clientId(),
                    c.username(),
                    address(c.wire().remoteAddress()),
                    c.origin().listener(),
                    CoreMeasures.protocolName(c),
                    nowMillis - (state.nowNanos - c.openedAtNanos()) / 1_000_000L,
                    s.outbound().inflightCount(),
                    s.outbound().queuedCount()));
        }
        return out;
    }

    /** The peer as {@code host:port}, without the {@code /} an unresolved socket address starts with. */
    private static String address(String remote) {
        return remote.startsWith("/") ? remote.substring(1) : remote;
    }

    boolean disconnect(String clientId) {
        Session s = state.sessions.get(clientId);
        if (s == null || !s.isConnected()) {
            return false;
        }
        LOG.info("admin API: disconnecting client {}", clientId);
        // A close by the server: the will goes out [MQTT-3.1.2-8], the session stays per its expiry.
        lifecycle.serverDisconnect(s.connection(), ReasonCode.ADMINISTRATIVE_ACTION, Lifecycle.WillAction.PUBLISH);
        return true;
    }

    CoreAdmin.SessionPage sessions(String after, int limit) {
        // The page's ids are the `limit` smallest after `after`: a bounded heap, not a sort of every
        // session, since there may be a hundred thousand of them.
        PriorityQueue<Session> page = new PriorityQueue<>(
                limit + 1, Comparator.comparing(Session::clientId).reversed());
        boolean more = false;
        for (Session s : state.sessions.values()) {
            if (after != null && s.clientId().compareTo(after) <= 0) {
                continue;
            }
            page.add(s);
            if (page.size() > limit) {
                page.poll();
                more = true;
            }
        }
        List<CoreAdmin.SessionInfo> out = new ArrayList<>(page.size());
        while (!page.isEmpty()) {
            out.add(info(state, page.poll()));
        }
        Collections.reverse(out);
        String next = more && !out.isEmpty() ? out.get(out.size() - 1).clientId() : null;
        return new CoreAdmin.SessionPage(out, state.sessions.size(), next);
    }

    /** The {@code limit} sessions with the most messages queued, most first (ties in client id order). */
    CoreAdmin.SessionPage largestQueues(int limit) {
        Comparator<Session> largestFirst = Comparator.comparingLong(
                        (Session s) -> s.outbound().queuedCount())
                .reversed()
                .thenComparing(Session::clientId);
        // A bounded heap whose head is the smallest kept, as for a page in client id order.
        PriorityQueue<Session> top = new PriorityQueue<>(limit + 1, largestFirst.reversed());
        for (Session s : state.sessions.values()) {
            top.add(s);
            if (top.size() > limit) {
                top.poll();
            }
        }
        List<CoreAdmin.SessionInfo> out = new ArrayList<>(top.size());
        while (!top.isEmpty()) {
            out.add(info(state, top.poll()));
        }
        Collections.reverse(out);
        return new CoreAdmin.SessionPage(out, state.sessions.size(), null);
    }

    /** The sessions of the configured bridges ({@code $bridge/NAME}), in client id order. */
    List<CoreAdmin.SessionInfo> bridges() {
        List<CoreAdmin.SessionInfo> out = new ArrayList<>();
        for (BridgeConfig b : state.config.bridges()) {
            Session s = state.sessions.get(BridgeConfig.SESSION_PREFIX + b.name());
            if (s != null) {
                out.add(info(state, s));
            }
        }
        out.sort(Comparator.comparing(CoreAdmin.SessionInfo::clientId));
        return out;
    }

    /** What the API and the metrics show of one session; the oldest message's time is read from the index. */
    static CoreAdmin.SessionInfo info(BrokerState state, Session s) {
        OutboundQueue q = s.outbound();
        long nowMillis = state.clock.currentTimeMillis();
        long expiresAt = -1;
        if (!s.isConnected() && s.expiryIntervalSeconds() != Session.NEVER_EXPIRES) {
            long leftNanos = s.expiryIntervalSeconds() * 1_000_000_000L - (state.nowNanos - s.disconnectedAtNanos());
            expiresAt = nowMillis + Math.max(0, leftNanos / 1_000_000L);
        }
        long oldest = q.backlogCount() > 0 || q.inMemoryCount() > 0
                ? state.persistence.sessionJournal(s.clientId()).oldestQueuedAtMillis()
                : -1;
        return new CoreAdmin.SessionInfo(
                s.clientId(),
                s.isConnected(),
                q.queuedCount(),
                q.queuedBytes(),
                oldest,
                oldest < 0 ? -1 : Math.max(0, nowMillis - oldest),
                q.inflightCount(),
                s.expiryIntervalSeconds(),
                expiresAt,
                q.purging());
    }

    /**
     * Starts purging the session's queue of what waits now (up to the last journal position
     * appended) and takes the first step; {@link #continuePurge} takes the others, one per
     * command, so other commands run between steps. Null for no such session.
     */
    PurgeStep startPurge(String clientId) {
        Session s = state.sessions.get(clientId);
        if (s == null) {
            return null;
        }
        LOG.info(
                "admin API: purging the queue of session {}: {} messages waiting",
                clientId,
                s.outbound().queuedCount());
        s.outbound().startPurge(state.persistence.lastAppendedPosition());
        return purgeStep(s);
    }

    /** The next step of the session's purge; a finished step of none when it has ended or the session is gone. */
    PurgeStep continuePurge(String clientId) {
        Session s = state.sessions.get(clientId);
        if (s == null || !s.outbound().purging()) {
            return new PurgeStep(0, true);
        }
        return purgeStep(s);
    }

    private PurgeStep purgeStep(Session s) {
        long purged = s.outbound().purgeStep(PURGE_STEP_MAX);
        if (s.outbound().purging()) {
            return new PurgeStep(purged, false);
        }
        LOG.info(
                "admin API: purge of session {} ended: {} messages waiting",
                s.clientId(),
                s.outbound().queuedCount());
        deliveries.pump(s); // What was queued after the purge began moves again.
        return new PurgeStep(purged, true);
    }

    /** What one step of a purge removed, and whether the purge has ended. */
    record PurgeStep(long purged, boolean finished) {}

    boolean delete(String clientId) {
        Session s = state.sessions.get(clientId);
        if (s == null) {
            return false;
        }
        LOG.info("admin API: deleting session {}{}", clientId, s.isConnected() ? " (disconnecting its client)" : "");
        if (s.isConnected()) {
            lifecycle.serverDisconnect(s.connection(), ReasonCode.ADMINISTRATIVE_ACTION, Lifecycle.WillAction.PUBLISH);
        }
        // A session of expiry 0 ended with its connection; any other ends here.
        if (state.sessions.get(clientId) == s) {
            lifecycle.endSession(s);
        }
        return true;
    }

    CoreAdmin.RetainedPage retained(TopicFilter filter, int limit) {
        List<CoreAdmin.RetainedInfo> out = new ArrayList<>();
        int[] matched = {0};
        state.retained.match(filter, (topic, m) -> {
            if (m.isExpired(state.nowNanos)) {
                return;
            }
            matched[0]++;
            if (out.size() < limit) {
                byte[] payload = m.payload();
                out.add(new CoreAdmin.RetainedInfo(
                        topic.value(),
                        m.qos().value(),
                        payload.length,
                        Arrays.copyOf(payload, Math.min(payload.length, PAYLOAD_PREVIEW_BYTES))));
            }
        });
        out.sort(Comparator.comparing(CoreAdmin.RetainedInfo::topic));
        return new CoreAdmin.RetainedPage(out, matched[0]);
    }

    CoreAdmin.RetainedDeletion deleteRetained(TopicName topic) {
        Message current = state.retained.get(topic);
        if (current == null || current.isExpired(state.nowNanos)) {
            return CoreAdmin.RetainedDeletion.NONE;
        }
        // Journaled as a retained PUBLISH with an empty payload, which clears the topic's retained
        // message on replay [MQTT-3.3.1-6], but routed to no one: subscribers are not told.
        Message clear = new Message(
                topic.value(), QoS.AT_MOST_ONCE, true, new byte[0], Properties.EMPTY, "", Message.NEVER_EXPIRES);
        try {
            state.persistence.messageStored(clear, List.of(), 0, state.nowNanos);
        } catch (NoSpaceException e) {
            return CoreAdmin.RetainedDeletion.NO_SPACE;
        }
        state.retained.remove(topic);
        LOG.info("admin API: deleted the retained message of topic {}", topic.value());
        return CoreAdmin.RetainedDeletion.DELETED;
    }

    CoreAdmin.JournalInfo journal() {
        return new CoreAdmin.JournalInfo(
                state.persistence.appendedRecords(),
                state.persistence.appendedBytes(),
                state.persistence.lastAppendedPosition(),
                state.persistence.syncedPosition(),
                state.persistence.unappliedRecords(),
                state.persistence.refusesNewData());
    }
}
