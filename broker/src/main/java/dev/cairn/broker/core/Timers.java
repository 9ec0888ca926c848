package dev.cairn.broker.core;

import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.broker.session.Session;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic duties of the core loop: keep alive (1.5 times the interval [MQTT-3.1.2-24]),
 * the CONNECT timeout (which also bounds each wait for a client's AUTH, before its CONNACK and
 * in a re-authentication), refusals of bad credentials whose failure delay has passed (every turn), delayed wills, session expiry, journal retention every
 * {@code journal_retention_check_seconds}, and the {@code $SYS} topics every {@code sys_interval_seconds}. A scan at most every
 * {@link #SCAN_INTERVAL_NANOS}; the sets scanned are bounded by connections_max and the
 * sessions that exist. Core thread only.
 */
final class Timers {
    static final long SCAN_INTERVAL_NANOS = 100_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final ConnectHandler connects;
    private final SysTopics sys;
    private long lastScanNanos;
    private long lastRetentionNanos;

    Timers(BrokerState state, Lifecycle lifecycle, ConnectHandler connects, SysTopics sys) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.connects = connects;
        this.sys = sys;
        this.lastScanNanos = state.nowNanos;
        this.lastRetentionNanos = state.nowNanos;
    }

    /** Nanoseconds until the next scan is due, for the loop's idle wait. */
    long nanosUntilDue() {
        long scan = Math.max(0, lastScanNanos + SCAN_INTERVAL_NANOS - state.nowNanos);
        return Math.min(scan, connects.nanosUntilRefusalDue());
    }

    void run() {
        connects.sendDueRefusals();
        if (state.nowNanos - lastScanNanos < SCAN_INTERVAL_NANOS) {
            return;
        }
        lastScanNanos = state.nowNanos;
        checkConnections();
        checkSessions();
        if (state.nowNanos - lastRetentionNanos >= state.config.journalRetentionCheckSeconds() * 1_000_000_000L) {
            runRetention();
        }
        sys.publishIfDue();
    }

    /** One retention step now (also on request, see {@link Command.RunRetention}); core thread. */
    RetentionReport runRetention() {
        lastRetentionNanos = state.nowNanos;
        RetentionReport report = state.persistence.runRetention();
        state.stats.journalFilesDeleted += report.filesDeleted();
        state.stats.journalBytesDeleted += report.bytesDeleted();
        state.stats.messagesRelocated += report.entriesRelocated();
        return report;
    }

    private void checkConnections() {
        long now = state.nowNanos;
        long connectTimeoutNanos = state.config.connectTimeoutSeconds() * 1_000_000_000L;
        List<Connection> late = new ArrayList<>();
        for (Connection c : state.connections) {
            if (c.phase() == ConnectionPhase.AWAITING_CONNECT) {
                if (now - c.openedAtNanos() > connectTimeoutNanos) {
                    late.add(c);
                }
            } else if (c.phase() == ConnectionPhase.AUTHENTICATING) {
                // A client that stops answering the server's AUTH before its CONNACK.
                if (c.awaitsAuth() && now - c.authStepSinceNanos() > connectTimeoutNanos) {
                    late.add(c);
                }
            } else if (reauthenticationLate(c, now, connectTimeoutNanos)
                    || c.keepAliveSeconds() > 0
                            && now - c.lastPacketAtNanos() > c.keepAliveSeconds() * 1_500_000_000L) {
                late.add(c);
            }
        }
        for (Connection c : late) {
            if (c.phase() == ConnectionPhase.AWAITING_CONNECT) {
                LOG.info(
                        "connection {} from {} sent no CONNECT within {} s; closing",
                        c.wire().id(),
                        c.wire().remoteAddress(),
                        state.config.connectTimeoutSeconds());
                lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            } else if (c.phase() == ConnectionPhase.AUTHENTICATING) {
                LOG.info(
                        "connection {} from {} did not answer the server's AUTH within {} s; closing",
                        c.wire().id(),
                        c.wire().remoteAddress(),
                        state.config.connectTimeoutSeconds());
                lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            } else if (reauthenticationLate(c, now, connectTimeoutNanos)) {
                // A re-authentication that does not finish has failed: DISCONNECT, then close
                // [MQTT-4.12.1-2], with the code of any failed re-authentication, 0x87 Not
                // authorized (the connection's credentials are no longer proven).
                state.stats.authRefusedNotAuthorized++;
                LOG.info(
                        "closing connection {} of user '{}' from {}: re-authentication not answered within {} s [{}]",
                        c.wire().id(),
                        c.username(),
                        c.wire().remoteAddress(),
                        state.config.connectTimeoutSeconds(),
                        ReasonCode.NOT_AUTHORIZED);
                lifecycle.serverDisconnect(c, ReasonCode.NOT_AUTHORIZED, Lifecycle.WillAction.PUBLISH);
            } else {
                LOG.info(
                        "client {} silent for 1.5 x keep alive ({} s); closing",
                        c.session().clientId(),
                        c.keepAliveSeconds());
                lifecycle.serverDisconnect(c, ReasonCode.KEEP_ALIVE_TIMEOUT, Lifecycle.WillAction.PUBLISH);
            }
        }
    }

    /**
     * Whether a connected client started a re-authentication and has not answered the server's
     * AUTH within the CONNECT timeout. Its other packets (a PINGREQ) keep its keep alive going, so
     * this wait needs a bound of its own.
     */
    private static boolean reauthenticationLate(Connection c, long now, long timeoutNanos) {
        return c.awaitsAuth() && now - c.authStepSinceNanos() > timeoutNanos;
    }

    private void checkSessions() {
        long now = state.nowNanos;
        List<Session> expired = new ArrayList<>();
        for (Session s : state.sessions.values()) {
            if (s.delayedWill() != null && now - s.willFireAtNanos() >= 0) {
                lifecycle.fireDelayedWill(s);
            }
            if (s.isExpired(now)) {
                expired.add(s);
            }
        }
        for (Session s : expired) {
            LOG.debug("session {} expired", s.clientId());
            lifecycle.endSession(s);
        }
    }
}
