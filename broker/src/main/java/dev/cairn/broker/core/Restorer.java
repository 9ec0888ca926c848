package dev.cairn.broker.core;

import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.BridgeTopic;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.persistence.Recovered;
import dev.cairn.broker.persistence.RestoredSession;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads what storage recovered into the core's state at start, on the core thread before any
 * connection is accepted: sessions with their subscriptions, inbound QoS 2 ids, in-flight
 * deliveries (the rest of each queue stays on disk as backlog), delayed wills and expiry clocks,
 * and retained messages. A session that was connected when the broker stopped is treated as
 * disconnected now, so its expiry clock starts at this restart; one whose expiry is 0 ends.
 */
final class Restorer {
    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);

    private final BrokerState state;
    private final Lifecycle lifecycle;

    Restorer(BrokerState state, Lifecycle lifecycle) {
        this.state = state;
        this.lifecycle = lifecycle;
    }

    void restore(Recovered recovered) {
        long nowMillis = state.clock.currentTimeMillis();
        int sessions = 0;
        long queued = 0;
        for (RestoredSession r : recovered.sessions()) {
            Session s = restoreSession(r, recovered, nowMillis);
            if (s != null) {
                sessions++;
                queued += s.outbound().queuedCount() + s.outbound().inflightCount();
            }
        }
        fitBridgeSessions();
        int retained = 0;
        for (Message m : recovered.retained()) {
            try {
                state.retained.put(TopicName.parse(m.topic(), state.topicLimits), m);
                retained++;
            } catch (InvalidTopicException e) {
                LOG.warn("skipping retained message on '{}': {}", m.topic(), e.getMessage());
            }
        }
        LOG.info(
                "restored {} sessions ({} queued or in-flight messages) and {} retained messages",
                sessions,
                queued,
                retained);
    }

    /**
     * Fits the bridges' sessions to the configuration (ADR 0020). The session of a bridge the
     * configuration no longer has ends: nothing would ever drain it, and it would fill up to the
     * queue limits and then, with queue_overflow = reject, refuse the publishers of its topics.
     * Its queue goes with it, which the WARN says. A configured bridge's session loses the
     * subscriptions of out topic lines that were removed or became in lines (the bridge subscribes the configured ones
     * when it registers); what they queued already is dropped by the bridge as it comes.
     */
    private void fitBridgeSessions() {
        Map<String, Set<String>> configured = new HashMap<>();
        for (BridgeConfig b : state.config.bridges()) {
            Set<String> filters = new HashSet<>();
            for (BridgeTopic t : b.topics()) {
                if (t.direction().sendsOut()) { // An in line has no local subscription.
                    filters.add(t.localFilter());
                }
            }
            configured.put(b.sessionClientId(), filters);
        }
        for (Session s : new ArrayList<>(state.sessions.values())) {
            if (!s.clientId().startsWith(BridgeConfig.SESSION_PREFIX)) {
                continue;
            }
            Set<String> filters = configured.get(s.clientId());
            if (filters != null) {
                for (TopicFilter f : s.subscribedFilters()) {
                    if (!filters.contains(f.value())) {
                        LOG.info(
                                "bridge session {}: topic {} is no longer configured; unsubscribed",
                                s.clientId(),
                                f.value());
                        state.subscriptions.unsubscribe(s, f);
                        s.removeSubscription(f.value());
                        state.persistence.unsubscribed(s.clientId(), f.value());
                    }
                }
            } else {
                LOG.warn(
                        "bridge {} is no longer configured: its session ends, dropping {} queued or in-flight messages",
                        s.clientId().substring(BridgeConfig.SESSION_PREFIX.length()),
                        s.outbound().queuedCount() + s.outbound().inflightCount());
                lifecycle.endSession(s);
            }
        }
    }

    private Session restoreSession(RestoredSession r, Recovered recovered, long nowMillis) {
        Session s = state.newSession(r.clientId());
        s.setExpiryIntervalSeconds(r.expiryIntervalSeconds());
        if (r.expiryIntervalSeconds() == 0) {
            // It ended when its connection went down with the broker.
            state.persistence.sessionExpired(r.clientId());
            return null;
        }
        state.sessions.put(r.clientId(), s);
        long offlineForMillis = r.wasOnline() ? 0 : Math.max(0, nowMillis - r.changedAtMillis());
        s.restoreDisconnected(state.nowNanos - offlineForMillis * 1_000_000L);
        if (r.wasOnline()) {
            state.persistence.sessionClosed(r.clientId(), r.expiryIntervalSeconds());
        }
        for (Map.Entry<String, SubscriptionOptions> e : r.subscriptions().entrySet()) {
            try {
                TopicFilter filter = TopicFilter.parse(e.getKey(), state.topicLimits);
                state.subscriptions.subscribe(s, filter, e.getValue());
                s.putSubscription(filter);
            } catch (InvalidTopicException ex) {
                LOG.warn(
                        "session {}: skipping stored subscription '{}': {}", r.clientId(), e.getKey(), ex.getMessage());
            }
        }
        Identity owner = r.owner();
        if (owner != null && state.security.hasListener(owner.listener())) {
            // Judged by the topic ACL as its owner until its client connects again. An owner not
            // known (journaled before owners were) or on a listener no longer configured stays
            // unknown: its will is then published only where no ACL is in force (Lifecycle).
            s.identify(owner.username(), owner.listener());
        }
        s.addAwaitingPubRel(r.inboundQos2());
        if (r.delayedWill() != null) {
            long dueInMillis = r.willFireAtMillis() - nowMillis;
            s.scheduleWill(r.delayedWill(), state.nowNanos + Math.max(0, dueInMillis) * 1_000_000L);
        }
        restoreQueue(s, r, recovered);
        return s;
    }

    private void restoreQueue(Session s, RestoredSession r, Recovered recovered) {
        if (r.queueDepth() == 0) {
            return;
        }
        Recovered.InflightHead head = recovered.inflight(r.clientId(), 65_535);
        long inflightBytes = 0;
        for (Delivery d : head.deliveries()) {
            s.outbound().restoreInflight(d);
            inflightBytes += d.message().queuedBytes();
        }
        // In-flight messages count against no queue limit; the rest of the depth is what waits.
        s.outbound()
                .restoreBacklog(
                        r.queueDepth() - head.deliveries().size(),
                        r.queueBytes() - inflightBytes,
                        head.lastPosition(),
                        head.lastCopy(),
                        head.firstWaitingPosition());
    }
}
