package dev.cairn.tools.index;

import dev.cairn.storage.OfflineLock;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rebuild-index}: a fresh index from the whole journal, the old one kept aside. */
@Command(
        name = "rebuild-index",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Rebuild <data>/index from the whole journal. Refuses (exit 3) while a broker holds"
                    + " <data>/cairn.lock. The old index is kept as <data>/index.old-<time> unless --discard-old."
                    + " A corrupt journal record stops the rebuild (exit 1, old index restored): run repair first."
                    + " A torn tail is not applied (the broker discards it at start, or run repair)."
        })
public final class RebuildIndexCommand implements Callable<Integer> {
    @Mixin
    DataDirectory dataDir;

    @Option(names = "--discard-old", description = "Delete the old index after a successful rebuild.")
    boolean discardOld;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (OfflineLock lock = OfflineLock.acquire(dataDir.path())) {
            long documents;
            try (JournalReader reader = JournalReader.open(dataDir.journal())) {
                if (reader.retentionFloor() != dev.cairn.storage.journal.Journal.NO_POSITION) {
                    out.println("rebuild-index: the broker's retention deleted the journal below position "
                            + reader.retentionFloor() + ", so the journal alone no longer holds every session,"
                            + " subscription and retained message; refusing to replace the index. Restore the"
                            + " index from a backup taken with the journal instead.");
                    out.flush();
                    return ExitCode.PROBLEMS;
                }
                documents = reader.documentCount();
            }
            Progress progress = Progress.start(
                    "rebuild-index", documents, spec.commandLine().getErr());
            IndexRebuilder.Result result = IndexRebuilder.rebuild(
                    dataDir.path(),
                    discardOld ? IndexRebuilder.OldIndex.DISCARD : IndexRebuilder.OldIndex.KEEP,
                    progress,
                    System.currentTimeMillis());
            progress.finish();
            report(out, result);
            return ExitCode.OK;
        } catch (IndexRebuilder.CorruptJournalException e) {
            out.println("rebuild-index: " + e.getMessage() + "; the previous index is back in place");
            out.flush();
            return ExitCode.PROBLEMS;
        }
    }

    static void report(PrintWriter out, IndexRebuilder.Result result) {
        out.println("rebuilt the index: applied " + result.recordsApplied() + " records, applied position "
                + result.appliedPosition());
        if (!result.tornPositions().isEmpty()) {
            out.println("not applied: torn tail at positions " + result.tornPositions()
                    + " (the broker discards it at its next start; or run repair)");
        }
        out.println(result.oldIndex() == null ? "old index: none kept" : "old index kept as " + result.oldIndex());
        out.flush();
    }
}
