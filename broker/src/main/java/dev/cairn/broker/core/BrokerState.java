package dev.cairn.broker.core;

import dev.cairn.broker.acl.TopicAcl;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.RuntimeLimits;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.delivery.OutboundQueue;
import dev.cairn.broker.delivery.QueueLimits;
import dev.cairn.broker.delivery.QueueTotals;
import dev.cairn.broker.persistence.Persistence;
import dev.cairn.broker.routing.RetainedMessages;
import dev.cairn.broker.routing.SubscriptionTree;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.TopicLimits;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the core owns: sessions by client id, live connections, the subscription tree and
 * the retained messages, plus the config and clock they are judged by. One instance per
 * broker, touched by the core thread only, so plain collections and no locks.
 */
final class BrokerState {
    /** As the broker started; what a reload may change is in {@link #limits}. */
    final BrokerConfig config;
    /** The limits in force: the config's, then each reload's ({@link Command.ApplyLimits}). */
    RuntimeLimits limits;

    final Clock clock;
    final TopicLimits topicLimits;
    /** The bounds of every session's queue, from {@link #limits}. */
    QueueLimits queueLimits;

    final Outbox outbox = new Outbox();
    final Map<String, Session> sessions = new HashMap<>();
    final Set<Connection> connections = new LinkedHashSet<>();
    final SubscriptionTree<Session, SubscriptionOptions> subscriptions = new SubscriptionTree<>();
    final RetainedMessages<Message> retained = new RetainedMessages<>();
    /**
     * The broker's own {@code $SYS} messages, retained in memory only: never journaled, never
     * among the clients' retained messages (so never in the journal, the index or a dump).
     */
    final RetainedMessages<Message> sysRetained = new RetainedMessages<>();

    final Stats stats = new Stats();
    /**
     * The figures of all sessions' queues as running totals, and which one holds the oldest
     * waiting journaled message, for the metrics: read without a scan of the sessions.
     */
    final QueueTotals queueTotals = new QueueTotals();
    /** Open connections by listener and protocol, kept as they open, are accepted and close. */
    final ConnectionCounts connectionCounts = new ConnectionCounts();
    /** Connected sessions whose backlog waits for the index to apply this turn's records. */
    final Set<Session> awaitingIndex = new LinkedHashSet<>();

    final Persistence persistence;
    /**
     * Each listener's topic ACL (and authenticator); the rules may be swapped by a reload on
     * another thread (see AclStore).
     */
    final ListenerSecurity security;
    /** Counts and logs what the ACL refused. */
    final AclAudit aclAudit = new AclAudit(this);

    long nowNanos;
    /** Sessions with a connected client, kept as they attach and detach. */
    long clientsConnected;
    /** CONNECTs received so far; numbers them in arrival order ({@link PendingConnect#sequence}). */
    long connectsReceived;

    BrokerState(BrokerConfig config, Clock clock, Persistence persistence, ListenerSecurity security) {
        this.config = config;
        this.clock = clock;
        this.persistence = persistence;
        this.security = security;
        this.topicLimits = new TopicLimits(config.topicLengthMaxBytes(), config.topicLevelsMax());
        this.limits = RuntimeLimits.of(config);
        this.queueLimits = new QueueLimits(
                limits.queuedMessagesMax(), limits.queuedBytesMax(), config.queuedMessagesInMemoryMax());
        this.nowNanos = clock.nanoTime();
    }

    /**
     * The topic ACL rules in force for {@code session}: those of the listener its client last
     * connected on. Only for a session whose identity is known ({@link Session#identityKnown}).
     */
    TopicAcl acl(Session session) {
        return security.acl(session.listener()).current();
    }

    /** A new, empty session whose queue spills to the journal and the index. */
    Session newSession(String clientId) {
        Persistence.SessionJournal journal = persistence.sessionJournal(clientId);
        OutboundQueue queue = new OutboundQueue(queueLimits, journal, journal, queueTotals);
        return new Session(clientId, queue);
    }

    /** Counters for logs and tests; core thread only ({@link #snapshot} for other threads). */
    static final class Stats {
        long messagesReceived;
        long messagesDelivered;
        long messagesDroppedQueueFull;
        /** QoS 1/2 PUBLISHes refused, unacknowledged, because a queue was full (queue_overflow=reject). */
        long messagesRejectedQueueFull;

        long messagesDroppedNoSession;
        long journalFilesDeleted;
        long journalBytesDeleted;
        long messagesRelocated;
        /** PUBLISHes refused, unacknowledged, because the journal was short of disk space. */
        long messagesRejectedDiskFull;

        long aclDeniedSubscribe;
        long aclDeniedPublish;
        long aclDeniedDelivery;
        long aclDeniedWill;

        long authAccepted;
        long authRefusedBadCredentials;
        long authRefusedNotAuthorized;

        long messagesDroppedExpired;
        long messagesDroppedTooLarge;
        long connectsAccepted;
        long clientsConnectedMax;

        /** By QoS (index 0 to 2): messages routed and their payload bytes. */
        final long[] receivedByQos = new long[3];

        final long[] receivedBytesByQos = new long[3];
        /** By QoS of the delivery (index 0 to 2): copies queued for a subscriber and their payload bytes. */
        final long[] deliveredByQos = new long[3];

        final long[] deliveredBytesByQos = new long[3];

        CoreFigures.QosCounts qosCounts() {
            return new CoreFigures.QosCounts(
                    receivedByQos.clone(),
                    receivedBytesByQos.clone(),
                    deliveredByQos.clone(),
                    deliveredBytesByQos.clone());
        }

        BrokerStats snapshot() {
            return new BrokerStats(
                    messagesReceived,
                    messagesDelivered,
                    messagesDroppedQueueFull,
                    messagesRejectedQueueFull,
                    messagesDroppedNoSession,
                    journalFilesDeleted,
                    journalBytesDeleted,
                    messagesRelocated,
                    messagesRejectedDiskFull,
                    aclDeniedSubscribe,
                    aclDeniedPublish,
                    aclDeniedDelivery,
                    aclDeniedWill,
                    authAccepted,
                    authRefusedBadCredentials,
                    authRefusedNotAuthorized,
                    messagesDroppedExpired,
                    messagesDroppedTooLarge,
                    connectsAccepted,
                    clientsConnectedMax);
        }
    }
}
