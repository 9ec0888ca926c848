package dev.cairn.broker.core;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicName;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an operator may ask of the core (the admin API, docs/operations.md "Admin API"). Each
 * method submits one command to the core's inbox and returns at once; the core runs it in its
 * next turn, like a packet, and completes the future once that turn's journal records are durable,
 * so a purge or a delete that was answered survives a crash. Any thread.
 */
public final class CoreAdmin {
    private final Consumer<Command> submit;

    CoreAdmin(Consumer<Command> submit) {
        this.submit = submit;
    }

    /** The connected clients, in the order they connected. */
    public CompletableFuture<List<ClientInfo>> clients() {
        return call(AdminDesk::clients);
    }

    /**
     * Disconnects the client (5.0: DISCONNECT 0x98 Administrative action first; 3.1.1: the socket
     * is closed) as any server-side close does: the will is published and the session kept per its
     * expiry interval. Completes with false when no client of that id is connected.
     */
    public CompletableFuture<Boolean> disconnect(String clientId) {
        return call(desk -> desk.disconnect(clientId));
    }

    /**
     * One page of the sessions, online and offline, in client id order (Java's {@link
     * String#compareTo}): at most {@code limit} sessions whose id comes after {@code after} (null
     * or empty: from the first).
     */
    public CompletableFuture<SessionPage> sessions(String after, int limit) {
        return call(desk -> desk.sessions(after, limit));
    }

    /**
     * The {@code limit} sessions with the most messages queued, most first (equal queues in client
     * id order): where to look for the queue that grows. One page only ({@code next} is null).
     */
    public CompletableFuture<SessionPage> largestQueues(int limit) {
        return call(desk -> desk.largestQueues(limit));
    }

    /** The sessions of the configured bridges ({@code $bridge/NAME}), in client id order. */
    public CompletableFuture<List<SessionInfo>> bridges() {
        return call(AdminDesk::bridges);
    }

    /**
     * Empties the session's queue of the messages waiting when the core takes the request, in
     * steps of at most {@link AdminDesk#PURGE_STEP_MAX} messages, one command and core turn each,
     * so the packets of every client run between steps. {@link Purge#firstStep} completes once
     * the first step's records are durable, {@link Purge#done} once the last one's are, with the
     * messages removed so far, or -1 for no such session. Each message either stays queued or leaves for good with its own journal
     * record, so a purge cut short by a crash leaves the queue without a prefix of its messages;
     * it is not resumed.
     */
    public Purge purge(String clientId) {
        Purge purge = new Purge(new CompletableFuture<>(), new CompletableFuture<>());
        purgeSteps(desk -> desk.startPurge(clientId), clientId, 0, purge);
        return purge;
    }

    /** Runs one purge step; when its answer (after the sync) says more remain, submits the next. */
    private void purgeSteps(Function<AdminDesk, AdminDesk.PurgeStep> step, String clientId, long before, Purge purge) {
        call(step).whenComplete((answer, failure) -> {
            if (failure != null) {
                purge.done().completeExceptionally(failure);
                purge.firstStep().completeExceptionally(failure);
                return;
            }
            long purged = answer == null ? -1 : before + answer.purged();
            if (answer == null || answer.finished()) {
                purge.done().complete(purged);
            } else {
                purgeSteps(desk -> desk.continuePurge(clientId), clientId, purged, purge);
            }
            // Ignored after the first step.
            purge.firstStep().complete(new PurgeProgress(purged, answer == null || answer.finished()));
        });
    }

    /** A purge under way: where its first step left it, and its total once it has ended. */
    public record Purge(CompletableFuture<PurgeProgress> firstStep, CompletableFuture<Long> done) {}

    /** Messages a purge removed so far (-1: no such session), and whether it has ended. */
    public record PurgeProgress(long purged, boolean finished) {}

    /**
     * Ends the session (its client disconnected first, 5.0 with 0x98), as if it had expired: its
     * subscriptions, queue and will go, a pending will is published. Completes with false for no
     * such session.
     */
    public CompletableFuture<Boolean> delete(String clientId) {
        return call(desk -> desk.delete(clientId));
    }

    /** At most {@code limit} unexpired retained messages whose topic {@code filter} matches. */
    public CompletableFuture<RetainedPage> retained(TopicFilter filter, int limit) {
        return call(desk -> desk.retained(filter, limit));
    }

    /** Clears the retained message of {@code topic}, journaled as an empty retained PUBLISH would be. */
    public CompletableFuture<RetainedDeletion> deleteRetained(TopicName topic) {
        return call(desk -> desk.deleteRetained(topic));
    }

    /** The journal's figures the core owns (positions, appends, the index's lag). */
    public CompletableFuture<JournalInfo> journal() {
        return call(AdminDesk::journal);
    }

    private <T> CompletableFuture<T> call(Function<AdminDesk, T> operation) {
        CompletableFuture<T> done = new CompletableFuture<>();
        submit.accept(new Command.AdminCall<>(operation, done));
        return done;
    }

    /**
     * One connected client.
     *
     * @param username the user name it connected with (or its certificate gave), null for none
     * @param address the peer's address and port
     * @param listener the name of the listener it connected on
     * @param protocol "3.1", "3.1.1" or "5.0"
     * @param connectedSinceMillis when its connection was accepted, wall clock
     * @param inflight deliveries sent and not yet acknowledged
     * @param queued messages waiting to be sent, in memory and on disk
     */
    public record ClientInfo(
            String clientId,
            String username,
            String address,
            String listener,
            String protocol,
            long connectedSinceMillis,
            int inflight,
            long queued) {}

    /**
     * One session.
     *
     * @param queued messages waiting to be sent (in flight not counted)
     * @param queuedBytes their bytes (topic plus payload)
     * @param oldestQueuedAtMillis when the oldest message waiting on disk was received, -1 for none
     * @param oldestQueuedAgeMillis how long ago that was, by the broker's clock, -1 for none
     * @param expiryIntervalSeconds the session expiry interval (4294967295: never)
     * @param expiresAtMillis when an offline session will expire, -1 while online or never
     * @param purging whether a purge of its queue is under way ({@link #purge})
     */
    public record SessionInfo(
            String clientId,
            boolean online,
            long queued,
            long queuedBytes,
            long oldestQueuedAtMillis,
            long oldestQueuedAgeMillis,
            int inflight,
            long expiryIntervalSeconds,
            long expiresAtMillis,
            boolean purging) {}

    /**
     * A page of sessions; {@code next} is the id to pass as {@code after} for the following page,
     * null on the last one; {@code total} counts every session.
     */
    public record SessionPage(List<SessionInfo> sessions, int total, String next) {}

    /**
     * One retained message; {@code payloadStart} holds at most its first {@link
     * AdminDesk#PAYLOAD_PREVIEW_BYTES} bytes.
     */
    public record RetainedInfo(String topic, int qos, int payloadBytes, byte[] payloadStart) {}

    /** Retained messages matching a filter; {@code matched} counts all, also those beyond the limit. */
    public record RetainedPage(List<RetainedInfo> messages, int matched) {}

    /** What a retained deletion did. */
    public enum RetainedDeletion {
        DELETED,
        /** No retained message for that topic. */
        NONE,
        /** The journal is short of disk space (disk_free_min_bytes); nothing changed. */
        NO_SPACE
    }

    /**
     * The journal as the core sees it.
     *
     * @param appendedRecords records appended since the broker started
     * @param appendedBytes bytes appended since the broker started
     * @param lastAppendedPosition the position of the last record appended, -1 for none
     * @param syncedPosition the highest position known durable
     * @param unappliedRecords records appended and not yet applied to the index
     * @param refusingNewData whether the journal refuses new data for want of disk space
     */
    public record JournalInfo(
            long appendedRecords,
            long appendedBytes,
            long lastAppendedPosition,
            long syncedPosition,
            int unappliedRecords,
            boolean refusingNewData) {}
}
