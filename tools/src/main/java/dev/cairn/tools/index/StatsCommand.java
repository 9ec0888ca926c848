package dev.cairn.tools.index;

import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.index.Presence;
import dev.cairn.storage.index.QueueDepth;
import dev.cairn.storage.index.SessionState;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import dev.cairn.tools.journal.FrameClassifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stats}: what the data directory holds and what keeps the journal from shrinking.
 * Read-only, like dump and verify.
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show records by type, journal cycle files, sessions, queue depths, the bridges' queues, retained"
                    + " messages and the oldest journal position still needed (and by which session's queue). Read-only;"
                    + " safe while"
                    + " the broker runs (the index is then as of the broker's last flush)."
        })
public final class StatsCommand implements Callable<Integer> {
    /** MQTT 5's "never expires" session expiry interval. */
    private static final long EXPIRY_NEVER_SECONDS = 0xFFFF_FFFFL;
    /** The client id prefix of a bridge's session in the broker. */
    private static final String BRIDGE_PREFIX = "$bridge/";

    @Mixin
    DataDirectory dataDir;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "10",
            description = "Show the N sessions with the deepest queues (default: ${DEFAULT-VALUE}).")
    int top;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        Map<Integer, Long> recordsByCycle = new HashMap<>();
        try (JournalReader reader = JournalReader.open(dataDir.journal())) {
            journal(reader, recordsByCycle);
            if (Files.isRegularFile(dataDir.index().resolve("CURRENT"))) {
                try (IndexReader index = IndexReader.openReadOnly(dataDir.index())) {
                    index(index, reader);
                }
            } else {
                out.println();
                out.println(
                        "index: none in " + dataDir.index() + " (the broker rebuilds it from the journal at start)");
            }
        }
        out.flush();
        return ExitCode.OK;
    }

    private void journal(JournalReader reader, Map<Integer, Long> recordsByCycle) {
        Map<RecordType, long[]> byType = new EnumMap<>(RecordType.class);
        Map<FrameClassifier.Verdict, Long> bad = new EnumMap<>(FrameClassifier.Verdict.class);
        Progress progress = Progress.start(
                "stats", reader.documentCount(), spec.commandLine().getErr());
        FrameClassifier classifier = new FrameClassifier(c -> {
            recordsByCycle.merge(reader.cycleOf(c.position()), 1L, Long::sum);
            if (c.bad()) {
                bad.merge(c.verdict(), 1L, Long::sum);
            } else {
                long[] countAndBytes = byType.computeIfAbsent(c.record().type(), t -> new long[2]);
                countAndBytes[0]++;
                countAndBytes[1] += c.bytes().length;
            }
        });
        try (JournalReader.Cursor cursor = reader.cursor(Journal.NO_POSITION)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                classifier.accept(d);
                progress.advance(1);
            }
        }
        classifier.finish();
        progress.finish();

        out.println("journal " + reader.directory() + " (roll cycle " + reader.rollCycleName() + "), positions "
                + reader.firstPosition() + ".." + reader.lastPosition());
        out.println(String.format(Locale.ROOT, "  %-28s %10s %16s %10s", "CYCLE FILE", "CYCLE", "BYTES", "RECORDS"));
        for (JournalReader.CycleFile file : reader.cycleFiles()) {
            out.println(String.format(
                    Locale.ROOT,
                    "  %-28s %10d %16d %10d",
                    file.file().getFileName(),
                    file.cycle(),
                    file.bytes(),
                    recordsByCycle.getOrDefault(file.cycle(), 0L)));
        }
        out.println(String.format(Locale.ROOT, "  %-28s %10s %16s", "RECORD TYPE", "COUNT", "BYTES"));
        long count = 0;
        long bytes = 0;
        for (Map.Entry<RecordType, long[]> e : byType.entrySet()) {
            out.println(String.format(Locale.ROOT, "  %-28s %10d %16d", e.getKey(), e.getValue()[0], e.getValue()[1]));
            count += e.getValue()[0];
            bytes += e.getValue()[1];
        }
        out.println(String.format(Locale.ROOT, "  %-28s %10d %16d", "total", count, bytes));
        if (!bad.isEmpty()) {
            out.println("  damaged documents: " + bad + " (run verify for details)");
        }
    }

    private void index(IndexReader index, JournalReader reader) {
        List<SessionState> sessions = index.sessions();
        long online =
                sessions.stream().filter(s -> s.presence() == Presence.ONLINE).count();
        Map<String, QueueDepth> depths = index.queueDepths();
        out.println();
        out.println("index " + index.directory() + ", applied position " + index.appliedPosition());
        out.println("sessions: " + sessions.size() + " (" + online + " online, " + (sessions.size() - online)
                + " offline)");
        out.println(String.format(
                Locale.ROOT,
                "  %-24s %-8s %12s %-26s %10s %14s",
                "CLIENT",
                "STATE",
                "EXPIRY",
                "EXPIRES AT",
                "QUEUED",
                "QUEUED BYTES"));
        List<SessionState> byDepth = new ArrayList<>(sessions);
        byDepth.sort(Comparator.comparingLong(
                        (SessionState s) -> depthOf(depths, s.clientId()).messages())
                .reversed()
                .thenComparing(SessionState::clientId));
        for (SessionState s : byDepth.subList(0, Math.min(top, byDepth.size()))) {
            QueueDepth depth = depthOf(depths, s.clientId());
            out.println(String.format(
                    Locale.ROOT,
                    "  %-24s %-8s %12s %-26s %10d %14s",
                    s.clientId(),
                    s.presence().name().toLowerCase(Locale.ROOT),
                    expiry(s.sessionExpirySeconds()),
                    expiresAt(s),
                    depth.messages(),
                    bytes(depth)));
        }
        if (byDepth.size() > top) {
            out.println("  ... " + (byDepth.size() - top) + " more sessions (--top to show more)");
        }
        long queued = depths.values().stream().mapToLong(QueueDepth::messages).sum();
        boolean sized = depths.values().stream().allMatch(d -> d.bytes() >= 0);
        long queuedBytes = depths.values().stream().mapToLong(QueueDepth::bytes).sum();
        out.println("queued messages: " + queued + " in " + depths.size() + " queue(s)"
                + (sized ? ", " + queuedBytes + " bytes (topics and payloads)" : ""));
        out.println("retained messages: " + index.retained().size());
        out.println("scheduled wills: " + index.scheduledWills().size());
        Map<String, Long> oldestByClient = new TreeMap<>();
        index.forEachQueueEntry((clientId, entry) -> oldestByClient.merge(clientId, entry.position(), Math::min));
        bridges(sessions, depths, oldestByClient, reader);
        oldestNeeded(reader, depths, oldestByClient);
    }

    /**
     * The bridges' sessions ({@code $bridge/NAME}, docs/decisions/0020-bridge-as-a-session.md),
     * every one, apart from the top N: what each bridge has not yet had acknowledged by its remote.
     */
    private void bridges(
            List<SessionState> sessions,
            Map<String, QueueDepth> depths,
            Map<String, Long> oldestByClient,
            JournalReader reader) {
        List<SessionState> bridges = sessions.stream()
                .filter(s -> s.clientId().startsWith(BRIDGE_PREFIX))
                .sorted(Comparator.comparing(SessionState::clientId))
                .toList();
        if (bridges.isEmpty()) {
            return;
        }
        out.println("bridges: " + bridges.size() + " (their queues: what the remote has not acknowledged yet)");
        out.println(String.format(
                Locale.ROOT,
                "  %-24s %-8s %10s %14s %s",
                "BRIDGE",
                "STATE",
                "QUEUED",
                "QUEUED BYTES",
                "OLDEST QUEUED RECEIVED AT"));
        for (SessionState s : bridges) {
            QueueDepth depth = depthOf(depths, s.clientId());
            Long oldest = oldestByClient.get(s.clientId());
            out.println(String.format(
                    Locale.ROOT,
                    "  %-24s %-8s %10d %14s %s",
                    s.clientId().substring(BRIDGE_PREFIX.length()),
                    s.presence() == Presence.ONLINE ? "linked" : "unlinked",
                    depth.messages(),
                    bytes(depth),
                    oldest == null ? "-" : receivedAt(reader, oldest)));
        }
    }

    /** When the message whose record is at {@code position} was received; "?" when the record is not one. */
    private static String receivedAt(JournalReader reader, long position) {
        try (JournalReader.Cursor cursor = reader.cursor(position)) {
            JournalReader.Document d = cursor.next();
            JournalRecord record = d == null || d.position() != position ? null : RecordCodec.decode(d.bytes());
            if (record instanceof MessageStored m) {
                return Instant.ofEpochMilli(m.receivedAtMillis()).toString();
            }
            if (record instanceof MessageRelocated r) {
                return Instant.ofEpochMilli(r.message().receivedAtMillis()).toString();
            }
            return "?";
        }
    }

    /** Queues hold journal positions, so the oldest queued entry is what pins old cycle files. */
    private static QueueDepth depthOf(Map<String, QueueDepth> depths, String clientId) {
        return depths.getOrDefault(clientId, QueueDepth.EMPTY);
    }

    /** An index older than format 3 kept no sizes; the broker adds them on its next start. */
    private static String bytes(QueueDepth depth) {
        return depth.bytes() < 0 ? "unknown" : Long.toString(depth.bytes());
    }

    private void oldestNeeded(JournalReader reader, Map<String, QueueDepth> depths, Map<String, Long> oldestByClient) {
        if (oldestByClient.isEmpty()) {
            out.println("oldest position still needed: none (no queued messages; every cycle file the index has"
                    + " applied could go)");
            return;
        }
        Map.Entry<String, Long> oldest = oldestByClient.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .orElseThrow();
        long position = oldest.getValue();
        out.println("oldest position still needed: " + position + " (cycle " + reader.cycleOf(position) + ") by the"
                + " queue of '" + oldest.getKey() + "' ("
                + depthOf(depths, oldest.getKey()).messages() + " entries)");
    }

    private static String expiry(long seconds) {
        return seconds >= EXPIRY_NEVER_SECONDS ? "never" : seconds + "s";
    }

    private static String expiresAt(SessionState s) {
        if (s.presence() == Presence.ONLINE) {
            return "- (online)";
        }
        if (s.sessionExpirySeconds() >= EXPIRY_NEVER_SECONDS) {
            return "never";
        }
        return Instant.ofEpochMilli(s.changedAtMillis() + s.sessionExpirySeconds() * 1000)
                .toString();
    }
}
