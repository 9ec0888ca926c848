package dev.cairn.tools.journal;

import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.index.QueueDepth;
import dev.cairn.storage.index.QueueEntry;
import dev.cairn.storage.index.SessionState;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.SessionOwner;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verify's checks of the index against the journal facts: the applied position is in the
 * journal, every queue entry points at a stored message, and at the one the journal's
 * relocations leave it reading (the last {@code MessageRelocated} naming it, else its own
 * {@code MessageStored}), stored queue depths (messages and bytes) match the entries,
 * every session opened in the journal and owned by the username and listener of its last
 * {@code SessionOpened} (by which the broker's ACL judges it after a restart), and the retained messages are those the journal sets up
 * to the applied position. Each problem names the client and the position.
 */
final class IndexCheck {
    /** What the index holds, for the summary. */
    record Summary(long appliedPosition, int sessions, long queueEntries, int retained) {}

    private final IndexReader index;
    private final JournalFacts journal;
    private final JournalFacts.Problems problems;

    IndexCheck(IndexReader index, JournalFacts journal, JournalFacts.Problems problems) {
        this.index = index;
        this.journal = journal;
        this.problems = problems;
    }

    Summary run() {
        long applied = index.appliedPosition();
        // A broker writes the format with the WAL off, so until its first flush a read-only view
        // sees neither format nor applied position: that is an empty index, not a wrong one.
        boolean neverFlushed = index.indexFormat() == -1 && applied == -1;
        if (!neverFlushed && !IndexReader.readsAsCurrent(index.indexFormat())) {
            problems.report(
                    Journal.NO_POSITION,
                    "index format " + index.indexFormat() + ", this tool reads " + IndexReader.supportedIndexFormat()
                            + ": run rebuild-index");
        }
        if (applied > journal.lastPosition) {
            problems.report(
                    applied,
                    "index applied position " + applied + " is after the journal's last position "
                            + journal.lastPosition + ": synced journal records are missing; run rebuild-index");
        }
        List<SessionState> sessions = index.sessions();
        Set<String> sessionIds = new HashSet<>();
        // Retention deletes whole cycle files, so once it has deleted any, sessions opened and
        // retained messages set before the floor have no record left: only the index knows them.
        boolean complete = journal.retentionFloor == Journal.NO_POSITION;
        for (SessionState s : sessions) {
            sessionIds.add(s.clientId());
            if (complete && !journal.openedClients.contains(s.clientId())) {
                problems.report(
                        Journal.NO_POSITION,
                        "index has session '" + s.clientId() + "' but the journal has no SessionOpened record for it");
            }
            checkOwner(s);
        }
        long entries = checkQueues(sessionIds);
        if (complete) {
            checkRetained();
        }
        return new Summary(applied, sessions.size(), entries, index.retained().size());
    }

    /**
     * The session's owner in the index is the one its last {@code SessionOpened} names: nothing
     * else sets it. Checked where that record is still in the journal (retention may have deleted
     * it) and the index's format keeps owners (older ones read every owner as not known).
     */
    private void checkOwner(SessionState s) {
        JournalFacts.Opened opened = journal.lastOpened.get(s.clientId());
        if (opened == null
                || index.indexFormat() != IndexReader.supportedIndexFormat()
                || Objects.equals(opened.owner(), s.owner())) {
            return;
        }
        problems.report(
                opened.position(),
                "session '" + s.clientId() + "' is owned by " + owner(s.owner())
                        + " in the index, but its last SessionOpened names " + owner(opened.owner())
                        + " (the topic ACL judges its will by the index's); run rebuild-index");
    }

    /** How problems name an owner: its username and listener. */
    private static String owner(SessionOwner owner) {
        if (owner == null) {
            return "an owner not known";
        }
        return (owner.username() == null ? "no username (anonymous)" : "user '" + owner.username() + "'")
                + " on listener '" + owner.listener() + "'";
    }

    private long checkQueues(Set<String> sessionIds) {
        Map<String, QueueDepth> counted = new TreeMap<>();
        long[] total = {0};
        index.forEachQueueEntry((clientId, entry) -> {
            total[0]++;
            counted.merge(
                    clientId,
                    new QueueDepth(1, entry.messageBytes()),
                    (a, b) -> new QueueDepth(a.messages() + b.messages(), a.bytes() + b.bytes()));
            long p = entry.position();
            long payload = entry.payloadPosition(); // Where its message is read; moved by relocation.
            if (payload < journal.firstPosition) {
                problems.report(
                        p,
                        "queue entry of '" + clientId + "' reads its message at " + payload
                                + ", before the journal's first position " + journal.firstPosition
                                + " (the cycle file holding it is gone)");
            } else if (!journal.messagePositions.contains(payload)) {
                problems.report(
                        p,
                        "queue entry of '" + clientId + "' (" + entry.state() + ") reads its message at " + payload
                                + ", which holds no MessageStored or MessageRelocated record");
            } else {
                checkRelocation(clientId, entry);
            }
            if (!sessionIds.contains(clientId)) {
                problems.report(p, "queue entry of '" + clientId + "', which has no session in the index");
            }
        });
        Map<String, QueueDepth> stored = index.queueDepths();
        Set<String> clients = new TreeSet<>(stored.keySet());
        clients.addAll(counted.keySet());
        boolean sized = IndexReader.readsAsCurrent(index.indexFormat());
        for (String clientId : clients) {
            QueueDepth depth = stored.getOrDefault(clientId, QueueDepth.EMPTY);
            QueueDepth entries = counted.getOrDefault(clientId, QueueDepth.EMPTY);
            if (depth.messages() != entries.messages()) {
                problems.report(
                        Journal.NO_POSITION,
                        "queue depth of '" + clientId + "' is stored as " + depth.messages() + " but the queue holds "
                                + entries.messages() + " entries");
            } else if (sized && depth.bytes() != entries.bytes()) {
                problems.report(
                        Journal.NO_POSITION,
                        "queued bytes of '" + clientId + "' are stored as " + depth.bytes()
                                + " but its entries' messages add up to " + entries.bytes());
            }
        }
        return total[0];
    }

    /**
     * An entry reads its message where the last {@code MessageRelocated} naming it (up to the
     * applied position) put it, or, if none names it, where it was stored: applying a relocation
     * moves every named entry that still exists, and nothing else moves an entry's message.
     */
    private void checkRelocation(String clientId, QueueEntry entry) {
        QueueRef ref = new QueueRef(clientId, entry.position(), entry.copy());
        Long relocated = journal.relocatedTo.get(ref);
        long expected = relocated == null ? entry.position() : relocated;
        if (entry.payloadPosition() == expected) {
            return;
        }
        problems.report(
                entry.position(),
                JournalFacts.entry(ref) + " reads its message at " + entry.payloadPosition() + ", but "
                        + (relocated == null
                                ? "no MessageRelocated names it: its message is at " + expected
                                : "the last MessageRelocated naming it is at " + expected)
                        + "; run rebuild-index");
    }

    private void checkRetained() {
        Set<String> inIndex = new TreeSet<>();
        index.retained().forEach(r -> inIndex.add(r.topic()));
        Set<String> inJournal = journal.retained.keySet();
        if (inIndex.size() != inJournal.size()) {
            problems.report(
                    Journal.NO_POSITION,
                    "index has " + inIndex.size() + " retained messages, the journal" + " sets " + inJournal.size()
                            + " up to the applied position");
        }
        int shown = 0;
        for (String topic : inIndex) {
            if (!inJournal.contains(topic) && shown++ < 10) {
                problems.report(
                        Journal.NO_POSITION,
                        "retained message on '" + topic + "' is in the index but not set by the journal");
            }
        }
        for (String topic : inJournal) {
            if (!inIndex.contains(topic) && shown++ < 10) {
                problems.report(
                        journal.retained.get(topic),
                        "retained message on '" + topic + "' is set by the journal but missing from the index");
            }
        }
    }
}
