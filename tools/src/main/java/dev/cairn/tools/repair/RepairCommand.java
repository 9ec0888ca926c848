package dev.cairn.tools.repair;

import dev.cairn.storage.OfflineLock;
import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.JournalTail;
import dev.cairn.storage.journal.SyncPolicy;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.DataFiles;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import dev.cairn.tools.index.IndexRebuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code repair}: makes a damaged journal one the broker opens, keeping a copy of everything it
 * removes. A torn tail gets the TailDiscarded marker recovery would write; mid-journal corruption
 * means rewriting the journal without the bad documents, then rebuilding the index.
 */
@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Repair a torn tail or mid-journal corruption. Refuses (exit 3) while a broker holds"
                    + " <data>/cairn.lock.",
            "Torn tail (bad documents only at the end): their raw bytes are copied to <data>/journal-broken-<time>"
                    + " and a TailDiscarded marker is appended, exactly as the broker's recovery does; the index is"
                    + " rebuilt only if it had applied a torn position.",
            "Corruption (a bad document followed by good ones): the journal is rewritten into a new queue without"
                    + " the bad documents (raw bytes copied to <data>/journal-removed-<time>); the old journal is kept as"
                    + " <data>/journal.old-<time>. Positions change, so the index is rebuilt (old one kept as"
                    + " <data>/index.old-<time>). A message removed is lost for every session it was queued for: those"
                    + " queue entries are listed; delivery records of removed messages are dropped. Records that name a"
                    + " position (deliveries, relocated copies' queue entries) are moved to the new positions; a"
                    + " relocated copy's ref to a removed message is dropped and listed.",
            "Exit code with --dry-run: 0 if nothing needs repair, 1 if repair would change something."
        })
public final class RepairCommand implements Callable<Integer> {
    @Mixin
    DataDirectory dataDir;

    @Option(names = "--dry-run", description = "Print exactly what would be done; change nothing.")
    boolean dryRun;

    @Option(
            names = "--discard-old",
            description = "After a successful rewrite, delete journal.old-<time> and"
                    + " index.old-<time> (the copy of the removed documents is always kept).")
    boolean discardOld;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        try (OfflineLock lock = OfflineLock.acquire(dataDir.path())) {
            RepairPlan plan;
            JournalRollCycle rollCycle;
            long retentionFloor;
            try (JournalReader reader = JournalReader.open(dataDir.journal())) {
                retentionFloor = reader.retentionFloor();
                Progress progress = Progress.start(
                        "repair: scan",
                        reader.documentCount(),
                        spec.commandLine().getErr());
                plan = RepairPlan.make(reader, dataDir.index(), progress);
                progress.finish();
                rollCycle = reader.rollCycle().orElse(JournalRollCycle.HOURLY);
            }
            describe(plan);
            if (plan.kind == RepairPlan.Kind.CLEAN) {
                out.println("nothing to repair");
                out.flush();
                return ExitCode.OK;
            }
            if (dryRun) {
                out.println("dry run: nothing was changed");
                out.flush();
                return ExitCode.PROBLEMS;
            }
            boolean rebuildsIndex = plan.kind != RepairPlan.Kind.TORN_TAIL || plan.tornTailNeedsIndexRebuild();
            if (rebuildsIndex && retentionFloor != dev.cairn.storage.journal.Journal.NO_POSITION) {
                out.println("repair: the broker's retention deleted the journal below position " + retentionFloor
                        + "; this repair rebuilds the index from the journal, which would lose every session,"
                        + " subscription and retained message recorded only before that position. Nothing was"
                        + " changed. Restore the data directory from a backup, or move the corrupt cycle file"
                        + " aside by hand knowing its records are lost (see docs/operations.md).");
                out.flush();
                return ExitCode.PROBLEMS;
            }
            long now = System.currentTimeMillis();
            if (plan.kind == RepairPlan.Kind.TORN_TAIL) {
                discardTornTail(plan, rollCycle, now);
            } else {
                rewrite(plan, rollCycle, now);
            }
            out.println("repair done; run verify to check, then start the broker");
            out.flush();
            return ExitCode.OK;
        }
    }

    private void describe(RepairPlan plan) {
        out.println("journal: " + plan.documents + " documents; " + plan.bad.size() + " bad"
                + (plan.alreadyDiscarded > 0 ? ", " + plan.alreadyDiscarded + " already discarded by recovery" : ""));
        for (RepairPlan.Bad b : plan.bad) {
            out.println(
                    "  " + b.verdict() + " at position " + b.position() + " (" + b.bytes() + " bytes): " + b.reason());
        }
        String will = dryRun ? "would " : "will ";
        Path data = dataDir.path();
        switch (plan.kind) {
            case CLEAN:
                return;
            case TORN_TAIL:
                out.println("plan (torn tail, as the broker's recovery does it):");
                out.println("  1. " + will + "copy the raw bytes of positions " + plan.firstBadPosition() + ".."
                        + plan.lastBadPosition() + " to " + data.resolve("journal-broken-<time>"));
                out.println("  2. " + will + "append TailDiscarded(" + plan.firstBadPosition() + ", "
                        + plan.lastBadPosition() + ") to the journal and sync it");
                out.println("  3. "
                        + (plan.tornTailNeedsIndexRebuild()
                                ? will + "rebuild the index (it applied a torn"
                                        + " position; old one kept as index.old-<time>)"
                                : "index: unchanged (it has not applied" + " the torn positions)"));
                break;
            case CORRUPT:
                out.println("plan (mid-journal corruption; Chronicle cannot remove documents in place):");
                out.println("  1. " + will + "write a new journal without the " + plan.bad.size() + " bad document(s)"
                        + (plan.alreadyDiscarded > 0 ? " and the " + plan.alreadyDiscarded + " already discarded" : "")
                        + "; all positions change");
                out.println("  2. " + will + "copy the raw bytes of every left-out document to "
                        + data.resolve("journal-removed-<time>"));
                out.println("  3. " + will + "keep the old journal as " + data.resolve("journal.old-<time>")
                        + (discardOld ? " (deleted at the end: --discard-old)" : ""));
                out.println("  4. " + will + "rebuild the index from the new journal (old one kept as index.old-<time>"
                        + (discardOld ? ", deleted at the end" : "") + ")");
                break;
            default:
                throw new IllegalStateException("unknown plan " + plan.kind);
        }
        for (RepairPlan.LostEntry lost : plan.lostEntries) {
            out.println("  lost: the queue entry of '" + lost.clientId() + "' at position " + lost.position()
                    + (lost.copy() == 0 ? "" : " copy " + lost.copy()) + " (" + lost.state()
                    + "): its message is in a removed document");
        }
        for (RepairPlan.DroppedRef ref : plan.droppedRefs) {
            out.println("  relocation ref dropped: the queue entry of '" + ref.clientId() + "' at position "
                    + ref.position() + (ref.copy() == 0 ? "" : " copy " + ref.copy())
                    + ", served by the relocated copy at position " + ref.relocationPosition() + ": "
                    + ref.reason());
        }
    }

    private void discardTornTail(RepairPlan plan, JournalRollCycle rollCycle, long now) {
        Path copy;
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir.journal(), SyncPolicy.FSYNC, rollCycle)) {
            JournalTail.Report report = JournalTail.check(journal, Journal.NO_POSITION);
            if (report.kind() != JournalTail.Kind.TORN) {
                throw new IllegalStateException("expected a torn tail, the storage's check found " + report);
            }
            copy = JournalTail.discardTornTail(journal, report, dataDir.path(), now);
        }
        out.println("copied " + plan.bad.size() + " torn document(s) to " + copy);
        out.println("appended TailDiscarded(" + plan.firstBadPosition() + ", " + plan.lastBadPosition() + ")");
        if (plan.tornTailNeedsIndexRebuild()) {
            rebuildIndex(now);
        }
    }

    private void rewrite(RepairPlan plan, JournalRollCycle rollCycle, long now) {
        String stamp = DataFiles.stamp(now);
        Path data = dataDir.path();
        Path fresh = data.resolve("journal.new-" + stamp);
        Path removedCopy = data.resolve("journal-removed-" + stamp);
        Path old = data.resolve("journal.old-" + stamp);
        JournalRewriter.Result result;
        try (JournalReader reader = JournalReader.open(dataDir.journal())) {
            Progress progress = Progress.start(
                    "repair: rewrite",
                    reader.documentCount(),
                    spec.commandLine().getErr());
            result = JournalRewriter.rewrite(reader, fresh, rollCycle, removedCopy, progress);
            progress.finish();
        }
        try {
            DataFiles.move(dataDir.journal(), old);
            DataFiles.move(fresh, dataDir.journal());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot swap the journals in " + data + " (the new one is " + fresh + ", the old one " + old + "): "
                            + e.getMessage(),
                    e);
        }
        out.println("wrote a new journal: " + result.recordsKept() + " records kept, " + result.documentsRemoved()
                + " documents removed (copied to " + removedCopy + "), " + result.deliveriesDropped()
                + " delivery records of removed messages dropped, " + result.markersDropped()
                + " TailDiscarded markers dropped");
        if (result.relocationsKept() + result.relocationsDropped() > 0) {
            out.println("relocated copies: " + result.relocationsKept() + " kept, their refs moved to the new"
                    + " positions; " + result.relocationRefsDropped() + " refs to messages not kept dropped; "
                    + result.relocationsDropped() + " copies dropped as they served no remaining entry"
                    + (result.relocationsDropped() == 0 ? "" : " (copied to " + removedCopy + ")"));
        }
        out.println("old journal kept as " + old);
        rebuildIndex(now);
        if (discardOld) {
            try {
                DataFiles.deleteTree(old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + old, e);
            }
            out.println("deleted " + old + " (--discard-old)");
        }
    }

    private void rebuildIndex(long now) {
        long documents;
        try (JournalReader reader = JournalReader.open(dataDir.journal())) {
            documents = reader.documentCount();
        }
        Progress progress = Progress.start(
                "repair: rebuild-index", documents, spec.commandLine().getErr());
        IndexRebuilder.Result result = IndexRebuilder.rebuild(
                dataDir.path(),
                discardOld ? IndexRebuilder.OldIndex.DISCARD : IndexRebuilder.OldIndex.KEEP,
                progress,
                now);
        progress.finish();
        out.println("rebuilt the index: applied " + result.recordsApplied() + " records"
                + (result.oldIndex() == null ? "" : "; old index kept as " + result.oldIndex()));
    }
}
