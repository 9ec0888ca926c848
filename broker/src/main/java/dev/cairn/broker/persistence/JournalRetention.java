package dev.cairn.broker.persistence;

import dev.cairn.storage.index.IndexStore;
import dev.cairn.storage.index.PayloadRef;
import dev.cairn.storage.journal.CycleFile;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention step (docs/durability.md, "Retention"), on the core thread, which owns journal
 * and index:
 * <ol>
 * <li>Delete: the journal is needed from {@code min(index applied position, oldest position any
 *     queue entry reads)}; every cycle file wholly before that position's cycle is deleted, after
 *     the index is flushed so that a crash cannot take it back behind the deleted files.</li>
 * <li>Relocate: queue entries whose message lies in a cycle at least {@code relocateAfterCycles}
 *     old get a copy of it at the journal head ({@code MessageRelocated}), at most
 *     {@code relocateBatchMax} entries per step, oldest first. The entries keep their keys, so
 *     queue order, packet ids and delivery states do not change. The copies are appended in this
 *     turn and become durable with its group commit; the index repoints the entries when it
 *     applies them, and the next step can delete the old cycle. Skipped while the journal is
 *     short of disk space ({@link JournalSpace}): the copies would take space before the old
 *     cycle gives any back.</li>
 * </ol>
 */
final class JournalRetention {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    private final Journal journal;
    private final IndexStore index;
    private final ToLongFunction<MessageRelocated> append;
    private final int relocateAfterCycles;
    private final int relocateBatchMax;
    private final BooleanSupplier shortOfSpace;

    JournalRetention(
            Journal journal,
            IndexStore index,
            ToLongFunction<MessageRelocated> append,
            int relocateAfterCycles,
            int relocateBatchMax,
            BooleanSupplier shortOfSpace) {
        this.journal = journal;
        this.index = index;
        this.append = append;
        this.relocateAfterCycles = relocateAfterCycles;
        this.relocateBatchMax = relocateBatchMax;
        this.shortOfSpace = shortOfSpace;
    }

    RetentionReport run() {
        long applied = index.appliedPosition();
        long oldestQueued = index.oldestQueuedPosition();
        long needed = applied;
        String neededBy = applied < 0 ? "nothing" : "index";
        if (oldestQueued >= 0 && oldestQueued < applied) {
            needed = oldestQueued;
            neededBy = "queue";
        }
        List<CycleFile> deleted = List.of();
        if (needed >= 0 && hasFilesBefore(needed)) {
            // The index state that frees those files must survive a crash first: the WAL is off,
            // so a crash reverts the index to its last flush, and recovery then replays the
            // journal from that flush's applied position, which must still be on disk.
            index.flush();
            deleted = journal.deleteCyclesBefore(needed);
        }
        long bytes = deleted.stream().mapToLong(CycleFile::sizeBytes).sum();
        if (!deleted.isEmpty()) {
            LOG.info(
                    "retention deleted {} journal cycle files ({} bytes: {} .. {}); the journal is needed from"
                            + " position {} ({})",
                    deleted.size(),
                    bytes,
                    deleted.get(0).file().getFileName(),
                    deleted.get(deleted.size() - 1).file().getFileName(),
                    needed,
                    neededBy.equals("index") ? "the index's applied position" : "the oldest queued message");
        }
        int[] relocated = shortOfSpace.getAsBoolean() ? new int[] {0, 0} : relocate();
        return new RetentionReport(needed, neededBy, deleted.size(), bytes, relocated[0], relocated[1]);
    }

    private boolean hasFilesBefore(long position) {
        List<CycleFile> files = journal.cycleFiles();
        return !files.isEmpty() && files.get(0).cycle() < journal.cycleOf(position);
    }

    /** Returns {entries relocated, copies written}. */
    private int[] relocate() {
        long cutoff = journal.cycleStart(journal.currentCycle() - relocateAfterCycles + 1);
        List<PayloadRef> refs = index.payloadRefsBefore(cutoff, relocateBatchMax);
        if (refs.isEmpty()) {
            return new int[] {0, 0};
        }
        int copies = 0;
        int from = 0;
        while (from < refs.size()) {
            long payloadPosition = refs.get(from).payloadPosition();
            int to = from;
            List<QueueRef> group = new ArrayList<>();
            while (to < refs.size() && refs.get(to).payloadPosition() == payloadPosition) {
                PayloadRef ref = refs.get(to);
                group.add(new QueueRef(ref.clientId(), ref.queuePosition(), ref.queueCopy()));
                to++;
            }
            MessageStored message =
                    JournalRecovered.storedMessage(journal, group.get(0).queuePosition(), payloadPosition);
            append.applyAsLong(new MessageRelocated(group, withoutRecipients(message)));
            copies++;
            from = to;
        }
        LOG.info(
                "retention relocated {} queued messages ({} copies) older than {} journal cycles to the journal head",
                refs.size(),
                copies,
                relocateAfterCycles);
        return new int[] {refs.size(), copies};
    }

    private static MessageStored withoutRecipients(MessageStored m) {
        if (m.recipients().isEmpty()) {
            return m;
        }
        return new MessageStored(
                m.publisherClientId(),
                m.topic(),
                m.qos(),
                m.retain(),
                m.properties(),
                m.payload(),
                m.receivedAtMillis(),
                m.expiresAtMillis(),
                List.of());
    }
}
