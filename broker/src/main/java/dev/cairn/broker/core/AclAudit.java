package dev.cairn.broker.core;

import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.broker.time.LineBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every topic ACL denial by kind in the broker's stats and logs it at INFO with the client
 * id, the username, the address and the topic, at most one line per client per
 * {@value #LOG_INTERVAL_SECONDS} seconds (a client that keeps trying a forbidden topic must not
 * flood the log) and at most {@value #LINES_PER_INTERVAL} lines for all clients together in that
 * time (nor must a fleet of clients each trying once). A line that is logged says how many were
 * held back before it, of its client and of all; the counters count them all. Core thread only.
 */
final class AclAudit {
    /** At most one log line per client in this many seconds. */
    static final int LOG_INTERVAL_SECONDS = 10;
    /** At most this many lines for all clients together every {@link #LOG_INTERVAL_SECONDS}. */
    static final int LINES_PER_INTERVAL = 20;

    private static final Logger LOG = LoggerFactory.getLogger(AclAudit.class);
    private static final long LOG_INTERVAL_NANOS = LOG_INTERVAL_SECONDS * 1_000_000_000L;

    /** What the ACL refused. */
    enum Denial {
        /** A SUBSCRIBE filter the client may not read: SUBACK 0x87 (3.1.1: 0x80). */
        SUBSCRIBE("SUBSCRIBE to"),
        /** A PUBLISH on a topic the client may not write: not forwarded. */
        PUBLISH("PUBLISH on"),
        /** A message the client may no longer read, withheld at delivery. */
        DELIVERY("delivery of a message on"),
        /** A will on a topic its owner may not write: not published. */
        WILL("will on");

        private final String what;

        Denial(String what) {
            this.what = what;
        }
    }

    private final BrokerState state;
    private final LineBudget lines;

    AclAudit(BrokerState state) {
        this.state = state;
        this.lines = new LineBudget(LINES_PER_INTERVAL, LOG_INTERVAL_NANOS, () -> state.nowNanos);
    }

    /** As {@link #denied(Denial, Session, String, String)} with the session's current address. */
    void denied(Denial kind, Session session, String topic) {
        Connection c = session.connection();
        denied(kind, session, c == null ? "none (offline)" : c.wire().remoteAddress(), topic);
    }

    /** Counts and (rate-limited) logs one denial; {@code address} is the client's, or why there is none. */
    void denied(Denial kind, Session session, String address, String topic) {
        BrokerState.Stats stats = state.stats;
        switch (kind) {
            case SUBSCRIBE:
                stats.aclDeniedSubscribe++;
                break;
            case PUBLISH:
                stats.aclDeniedPublish++;
                break;
            case DELIVERY:
                stats.aclDeniedDelivery++;
                break;
            case WILL:
                stats.aclDeniedWill++;
                break;
            default:
                throw new IllegalArgumentException("unknown denial " + kind);
        }
        int heldBack = session.deniedLogPermit(state.nowNanos, LOG_INTERVAL_NANOS);
        if (heldBack < 0 || !LOG.isInfoEnabled()) {
            return;
        }
        long heldBackOfAll = lines.take();
        if (heldBackOfAll < 0) {
            return;
        }
        LOG.info(
                "ACL denied {} '{}' for client {} (username {}, address {}){}{}",
                kind.what,
                topic,
                session.clientId(),
                session.identityKnown()
                        ? session.username() == null ? "none" : "'" + session.username() + "'"
                        : "unknown since the restart",
                address,
                heldBack == 0
                        ? ""
                        : "; " + heldBack + " more denials of this client in the last " + LOG_INTERVAL_SECONDS
                                + " s were not logged",
                heldBackOfAll == 0 ? "" : "; " + heldBackOfAll + " more denials of any client were not logged");
    }
}
