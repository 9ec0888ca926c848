package dev.cairn.broker.core;

import dev.cairn.broker.auth.Authenticator;
import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.config.RuntimeLimits;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.session.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What other threads ask of the core. I/O threads submit these to {@link CoreLoop#submit};
 * only the core thread executes them. Dispatch is on {@link #kind()} in one switch.
 */
public sealed interface Command {
    enum Kind {
        OPENED,
        PACKET,
        DECODE_FAILED,
        CLOSED,
        WRITABLE,
        STOP,
        RUN_RETENTION,
        READ_STATS,
        AUTHENTICATED,
        ADMIN,
        APPLY_LIMITS
    }

    Kind kind();

    /** A socket was accepted; the connection waits for CONNECT. */
    record Opened(Connection connection) implements Command {
        public Kind kind() {
            return Kind.OPENED;
        }
    }

    record PacketReceived(Connection connection, Packet packet) implements Command {
        public Kind kind() {
            return Kind.PACKET;
        }
    }

    record DecodeFailed(Connection connection, DecodeError error) implements Command {
        public Kind kind() {
            return Kind.DECODE_FAILED;
        }
    }

    /** The socket closed (either side); the core runs the will and session rules. */
    record Closed(Connection connection) implements Command {
        public Kind kind() {
            return Kind.CLOSED;
        }
    }

    /** The socket became writable again; queued deliveries can move. */
    record Writable(Connection connection) implements Command {
        public Kind kind() {
            return Kind.WRITABLE;
        }
    }

    record Stop() implements Command {
        public Kind kind() {
            return Kind.STOP;
        }
    }

    /** Run a journal retention step now (operators, tests); {@code done} gets its report. */
    record RunRetention(CompletableFuture<RetentionReport> done) implements Command {
        public Kind kind() {
            return Kind.RUN_RETENTION;
        }
    }

    /**
     * The pool verified the credentials of a CONNECT that waits in {@code pending}, or ran a step of
     * its enhanced-authentication exchange; the core continues it with {@code outcome}. {@code
     * pending} is null for a step of a connected client's re-authentication.
     */
    record Authenticated(Connection connection, PendingConnect pending, Authenticator.Outcome outcome)
            implements Command {
        public Kind kind() {
            return Kind.AUTHENTICATED;
        }
    }

    /** Copy the core's counters (monitoring, tests); {@code done} gets them. */
    record ReadStats(CompletableFuture<BrokerStats> done) implements Command {
        public Kind kind() {
            return Kind.READ_STATS;
        }
    }

    /**
     * A reload's new limits (SIGHUP): the core takes them in its turn and completes {@code done}.
     */
    record ApplyLimits(RuntimeLimits limits, CompletableFuture<Void> done) implements Command {
        public Kind kind() {
            return Kind.APPLY_LIMITS;
        }
    }

    /**
     * An operator's request from the admin API ({@link CoreAdmin}); the core runs {@code operation}
     * and completes {@code done} with its answer once the turn's journal records are durable.
     */
    record AdminCall<T>(Function<AdminDesk, T> operation, CompletableFuture<T> done) implements Command {
        public Kind kind() {
            return Kind.ADMIN;
        }
    }
}
