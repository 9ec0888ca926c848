package dev.cairn.broker.core;

import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every topic ACL denial by kind in the broker's stats and logs it at INFO with the client
 * id, the username, the address and the topic, at most one line per client per
 * {@value #LOG_INTERVAL_SECONDS} seconds: a client that keeps trying a forbidden topic must not
 * flood the log. The next line that is logged says how many were held back before it; the
 * counters count them all. Core thread only.
 */
final class AclAudit {
    /** At most one log line per client in this many seconds. */
    static final int LOG_INTERVAL_SECONDS = 10;

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

    AclAudit(BrokerState state) {
        this.state = state;
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
        LOG.info(
                "ACL denied {} '{}' for client {} (username {}, address {}){}",
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
                                + " s were not logged");
    }
}
