package dev.cairn.tools.journal;

import dev.cairn.protocol.TopicFilter;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import dev.cairn.tools.TimeArgument;
import dev.cairn.tools.TopicArgument;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dump}: the journal's documents as a table or JSON lines, filtered. Read-only: opens the
 * journal with a read-only Chronicle tailer and never takes the lock, so it is safe while the
 * broker runs; {@code --follow} tails the live journal.
 */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print journal records as a table or JSON lines. Read-only; safe while the broker runs.",
            "Records without a time of their own (deliveries, subscriptions, wills) are filtered by --since/--until"
                    + " with the time of the closest earlier record that has one. Damaged documents are shown with"
                    + " their verdict (CORRUPT, TORN, DISCARDED) unless --type, --client-id or --topic is given."
        })
public final class DumpCommand implements Callable<Integer> {
    /** Output format. */
    enum Format {
        TABLE,
        JSON
    }

    @Mixin
    DataDirectory dataDir;

    @Option(
            names = "--format",
            paramLabel = "table|json",
            description = "Output format (default: ${DEFAULT-VALUE}).",
            defaultValue = "table")
    Format format;

    @Option(
            names = "--payload",
            paramLabel = "utf8|hex|base64|none",
            description = "How to show payloads (default: none for table, base64 for json).")
    PayloadEncoding payload;

    @Option(names = "--from-position", paramLabel = "POS", description = "First position to show (inclusive).")
    Long fromPosition;

    @Option(names = "--to-position", paramLabel = "POS", description = "Last position to show (inclusive).")
    Long toPosition;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = TimeArgument.class,
            description = "Only records at or after TIME (ISO-8601 such as 2026-11-25T10:00:00Z, or epoch ms).")
    Long sinceMillis;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = TimeArgument.class,
            description = "Only records before TIME (ISO-8601 or epoch ms).")
    Long untilMillis;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description = "Only records of this type (repeatable), e.g."
                    + " MESSAGE_STORED, SESSION_OPENED. Values: ${COMPLETION-CANDIDATES}.")
    List<RecordType> types;

    @Option(
            names = "--client-id",
            paramLabel = "ID",
            description = "Only records about this client (repeatable):"
                    + " its session, subscriptions and deliveries, and messages it published or was a recipient of.")
    List<String> clientIds;

    @Option(
            names = "--topic",
            paramLabel = "FILTER",
            converter = TopicArgument.class,
            description = "Only messages (and wills) whose topic matches this MQTT filter (+ and # allowed).")
    TopicFilter topic;

    @Option(names = "--follow", description = "After the last record, keep polling for new ones (stop with Ctrl-C).")
    boolean follow;

    @Option(
            names = "--poll-interval-ms",
            hidden = true,
            defaultValue = "200",
            description = "How often --follow polls for new records.")
    long pollIntervalMillis;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private Set<RecordType> typeSet;
    private long lastTimeMillis = RecordView.NO_TIME;
    private long shown;
    private long read;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        typeSet = types == null || types.isEmpty() ? null : EnumSet.copyOf(types);
        if (payload == null) {
            payload = format == Format.JSON ? PayloadEncoding.BASE64 : PayloadEncoding.NONE;
        }
        try (JournalReader reader = JournalReader.open(dataDir.journal())) {
            long from = fromPosition == null ? Journal.NO_POSITION : fromPosition;
            Progress progress = startProgress(reader, from);
            if (format == Format.TABLE) {
                out.println(String.format(
                        Locale.ROOT,
                        "%-20s %-16s %-22s %8s %-24s %s",
                        "POSITION",
                        "CYCLE/SEQ",
                        "TYPE",
                        "BYTES",
                        "TIME",
                        "DETAILS"));
            }
            FrameClassifier classifier = new FrameClassifier(c -> show(reader, c));
            try (JournalReader.Cursor cursor = reader.cursor(from)) {
                walk(cursor, classifier, progress);
            }
            classifier.finish();
            progress.finish();
        }
        if (format == Format.TABLE) {
            out.println(shown + " of " + read + " documents shown");
        }
        out.flush();
        return ExitCode.OK;
    }

    /** Dump's stdout is the data, so no bar on a terminal; plain lines on stderr when redirected. */
    private Progress startProgress(JournalReader reader, long from) {
        if (follow || System.console() != null) {
            return Progress.start("dump", 0, spec.commandLine().getErr(), Progress.Mode.OFF, 0);
        }
        long start = from == Journal.NO_POSITION ? reader.firstPosition() : from;
        long end = toPosition == null ? reader.lastPosition() + 1 : toPosition + 1;
        long total = start == Journal.NO_POSITION ? 0 : reader.documentCount(start, end);
        return Progress.start("dump", total, spec.commandLine().getErr(), Progress.Mode.LINES, 5_000);
    }

    /** Reads to the end (or to --to-position); with --follow, until the thread is interrupted (Ctrl-C). */
    private void walk(JournalReader.Cursor cursor, FrameClassifier classifier, Progress progress) {
        while (true) {
            JournalReader.Document document = cursor.next();
            if (document == null) {
                if (!follow) {
                    return;
                }
                out.flush();
                try {
                    Thread.sleep(pollIntervalMillis);
                } catch (InterruptedException e) {
                    return; // The way a test (or an embedding program) ends a follow; Ctrl-C exits the JVM.
                }
                continue;
            }
            if (toPosition != null && document.position() > toPosition) {
                return;
            }
            read++;
            classifier.accept(document);
            progress.advance(1);
        }
    }

    private void show(JournalReader reader, FrameClassifier.Classified c) {
        long time = c.record() == null ? RecordView.NO_TIME : RecordView.time(c.record());
        if (time != RecordView.NO_TIME) {
            lastTimeMillis = time;
        }
        if (!selected(c, lastTimeMillis)) {
            return;
        }
        shown++;
        out.println(format == Format.JSON ? json(reader, c, time) : row(reader, c, time));
        if (follow) {
            out.flush();
        }
    }

    private boolean selected(FrameClassifier.Classified c, long effectiveTime) {
        if (sinceMillis != null || untilMillis != null) {
            if (effectiveTime == RecordView.NO_TIME) {
                return false;
            }
            if ((sinceMillis != null && effectiveTime < sinceMillis)
                    || (untilMillis != null && effectiveTime >= untilMillis)) {
                return false;
            }
        }
        if (c.bad()) {
            return typeSet == null && clientIds == null && topic == null;
        }
        JournalRecord record = c.record();
        if (typeSet != null && !typeSet.contains(record.type())) {
            return false;
        }
        if (clientIds != null && RecordView.clientIds(record).stream().noneMatch(clientIds::contains)) {
            return false;
        }
        if (topic != null) {
            String name = RecordView.topic(record);
            return name != null && TopicArgument.matches(topic, name);
        }
        return true;
    }

    private String row(JournalReader reader, FrameClassifier.Classified c, long time) {
        String type = c.bad() ? "BAD/" + c.verdict() : c.record().type().name();
        String details = c.bad() ? c.error().getMessage() : RecordView.details(c.record(), payload);
        return String.format(
                Locale.ROOT,
                "%-20d %-16s %-22s %8d %-24s %s",
                c.position(),
                cycleSeq(reader, c.position()),
                type,
                c.bytes().length,
                time == RecordView.NO_TIME ? "-" : Instant.ofEpochMilli(time).toString(),
                details);
    }

    private String json(JournalReader reader, FrameClassifier.Classified c, long time) {
        Json json = new Json()
                .field("position", c.position())
                .field("cycle", reader.cycleOf(c.position()))
                .field("seq", reader.sequenceOf(c.position()))
                .field("type", c.bad() ? "BAD" : c.record().type().name())
                .field("bytes", c.bytes().length)
                .field(
                        "time",
                        time == RecordView.NO_TIME
                                ? null
                                : Instant.ofEpochMilli(time).toString());
        if (c.bad()) {
            json.field("verdict", c.verdict().name())
                    .field("reason", c.error().reason().name())
                    .field("error", c.error().getMessage());
        } else {
            RecordView.addJson(c.record(), json, payload);
        }
        return json.toString();
    }

    private static String cycleSeq(JournalReader reader, long position) {
        return reader.cycleOf(position) + "/" + reader.sequenceOf(position);
    }
}
