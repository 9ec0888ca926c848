package dev.cairn.tools.journal;

import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verify}: checks every journal record and the index against the journal, printing each
 * problem with its position. Read-only (Chronicle read-only, RocksDB read-only), so it also runs
 * while the broker does; the index it then sees is the broker's last flush.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Check every journal record (frame, CRC, format version, decoding, positions growing,"
                    + " deliveries referring to stored messages, relocated copies naming the queue entries and"
                    + " messages they copy) and the index against the journal (applied position, queue entries and"
                    + " where relocated ones read, queue depths, sessions and their owners, retained messages). Prints each problem with its"
                    + " position; exit code 1 if there is any. Read-only; safe while the broker runs."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    DataDirectory dataDir;

    @Option(
            names = "--max-problems",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Print at most N problems (all are counted; default: ${DEFAULT-VALUE}).")
    int maxProblems;

    @Option(names = "--no-index", description = "Check the journal only.")
    boolean skipIndex;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private long problems;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        boolean hasIndex = !skipIndex && Files.isRegularFile(dataDir.index().resolve("CURRENT"));
        try (IndexReader index = hasIndex ? IndexReader.openReadOnly(dataDir.index()) : null;
                JournalReader reader = JournalReader.open(dataDir.journal())) {
            long applied = index == null ? Long.MAX_VALUE : index.appliedPosition();
            JournalFacts facts = new JournalFacts(applied, this::report);
            Progress progress = Progress.start(
                    "verify", reader.documentCount(), spec.commandLine().getErr());
            facts.scan(reader, progress);
            progress.finish();
            printJournalSummary(reader, facts);
            if (index != null) {
                IndexCheck.Summary summary = new IndexCheck(index, facts, this::report).run();
                out.println(String.format(
                        Locale.ROOT,
                        "index:   applied position %d, %d sessions, %d queue entries," + " %d retained messages",
                        summary.appliedPosition(),
                        summary.sessions(),
                        summary.queueEntries(),
                        summary.retained()));
            } else {
                out.println("index:   "
                        + (skipIndex
                                ? "not checked (--no-index)"
                                : "none in " + dataDir.index()
                                        + " (the broker rebuilds it from the journal at start)"));
            }
        }
        if (problems > maxProblems) {
            out.println("... " + (problems - maxProblems) + " more problems not shown");
        }
        out.println(problems == 0 ? "OK: no problems found" : "FAILED: " + problems + " problem(s) found");
        out.flush();
        return problems == 0 ? ExitCode.OK : ExitCode.PROBLEMS;
    }

    private void report(long position, String message) {
        problems++;
        if (problems <= maxProblems) {
            out.println(
                    "PROBLEM " + (position == Journal.NO_POSITION ? "" : "at position " + position + ": ") + message);
        }
    }

    private void printJournalSummary(JournalReader reader, JournalFacts facts) {
        StringBuilder types = new StringBuilder();
        for (Map.Entry<RecordType, long[]> e : facts.byType.entrySet()) {
            types.append(types.length() == 0 ? "" : ", ")
                    .append(e.getKey().name().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(e.getValue()[0]);
        }
        out.println(String.format(
                Locale.ROOT,
                "journal: %d documents in %d cycle file(s), positions %d..%d;"
                        + " good %d, discarded by recovery %d, corrupt %d, torn %d; format versions %s",
                facts.documents,
                reader.cycleFiles().size(),
                facts.firstPosition,
                facts.lastPosition,
                count(facts, FrameClassifier.Verdict.GOOD),
                count(facts, FrameClassifier.Verdict.DISCARDED),
                count(facts, FrameClassifier.Verdict.CORRUPT),
                count(facts, FrameClassifier.Verdict.TORN),
                facts.byVersion));
        out.println("records: " + (types.length() == 0 ? "none" : types));
    }

    private static long count(JournalFacts facts, FrameClassifier.Verdict verdict) {
        return facts.byVerdict.getOrDefault(verdict, 0L);
    }
}
