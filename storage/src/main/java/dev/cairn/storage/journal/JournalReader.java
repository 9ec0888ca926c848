package dev.cairn.storage.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A read-only view of a journal directory for the operator tools: raw documents with their
 * positions, in order, without decoding or judging them, plus the bookkeeping Chronicle keeps
 * (first and last position, cycles, cycle files). It opens Chronicle read-only and never takes
 * the data-directory lock, so it is safe while a broker appends to the same journal; a
 * {@link Cursor} then also sees documents appended after it was created.
 *
 * <p>Threads: the reader may be shared; each {@link Cursor} belongs to the thread that created it.
 */
public final class JournalReader implements AutoCloseable {
    /** One Chronicle data document: its position and its raw bytes (a Cairn frame if undamaged). */
    public record Document(long position, byte[] bytes) {}

    /** A cycle file of the journal. {@code bytes} is the apparent size (files are pre-grown and sparse). */
    public record CycleFile(int cycle, Path file, long bytes) {}

    /** Reads documents one after another; {@link #next} returns {@code null} at the current end. */
    public interface Cursor extends AutoCloseable {
        /** The next document, or {@code null} if there is none yet (call again to follow a live journal). */
        Document next();

        @Override
        void close();
    }

    private final Path directory;
    private final SingleChronicleQueue queue;

    private JournalReader(Path directory, SingleChronicleQueue queue) {
        this.directory = directory;
        this.queue = queue;
    }

    /**
     * Opens the journal in {@code directory} read-only.
     *
     * @throws IllegalArgumentException if the directory holds no journal (no {@code .cq4} file)
     * @throws JournalFormatException if a cycle file has no complete header (named in the message)
     */
    public static JournalReader open(Path directory) {
        if (!hasCycleFiles(directory)) {
            throw new IllegalArgumentException("no journal in " + directory + " (no .cq4 cycle files)");
        }
        List<Path> headerless = HeaderlessCycleFiles.find(directory);
        if (!headerless.isEmpty()) {
            throw new JournalFormatException(
                    headerless.get(0),
                    "journal cycle file " + headerless.get(0)
                            + " has no complete header (the broker"
                            + " stopped while creating it, e.g. kill -9 during a cycle roll); starting the broker once removes"
                            + " it if it holds nothing, and a read-only tool will not touch it");
        }
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
                .readOnly(true)
                .rollCycle(guessRollCycle(directory))
                .build();
        return new JournalReader(directory, queue);
    }

    /**
     * Chronicle takes the roll cycle from the queue's metadata anyway, but warns when the builder's
     * differs; guessing it from the cycle file names keeps the tools' output free of that noise.
     */
    private static RollCycle guessRollCycle(Path directory) {
        RollCycle[] candidates = {RollCycles.FAST_HOURLY, RollCycles.FIVE_MINUTELY, RollCycles.FAST_DAILY};
        try (var files = Files.list(directory)) {
            String name = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cq4"))
                    .findFirst()
                    .orElse("");
            String stem = name.substring(0, Math.max(0, name.length() - ".cq4".length()));
            for (RollCycle candidate : candidates) {
                if (parses(stem, candidate)) {
                    return candidate;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return RollCycles.FAST_HOURLY;
    }

    private static boolean parses(String stem, RollCycle candidate) {
        try {
            DateTimeFormatter.ofPattern(candidate.format()).parse(stem);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static boolean hasCycleFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var files = Files.list(directory)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The first position in the journal, or {@link Journal#NO_POSITION} if it is empty. */
    /**
     * The position below which the broker's retention may have deleted cycle files, or
     * {@link Journal#NO_POSITION} if it never deleted any: before it the journal is incomplete.
     */
    public long retentionFloor() {
        return RetentionFloor.read(directory());
    }

    public long firstPosition() {
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE || first < 0 ? Journal.NO_POSITION : first;
    }

    /** The last position in the journal as of now, or {@link Journal#NO_POSITION} if it is empty. */
    public long lastPosition() {
        long last = queue.lastIndex();
        return last < 0 ? Journal.NO_POSITION : last;
    }

    /** The number of documents in the journal as of now (for progress reporting). */
    public long documentCount() {
        return queue.entryCount();
    }

    /** The number of documents in {@code [fromInclusive, toExclusive)}, for progress reporting. */
    public long documentCount(long fromInclusive, long toExclusive) {
        return queue.countExcerpts(fromInclusive, toExclusive);
    }

    public int cycleOf(long position) {
        return queue.rollCycle().toCycle(position);
    }

    public long sequenceOf(long position) {
        return queue.rollCycle().toSequenceNumber(position);
    }

    /** The roll cycle written in the journal's metadata, if it is one Cairn configures. */
    public Optional<JournalRollCycle> rollCycle() {
        RollCycle cycle = queue.rollCycle();
        if (cycle == RollCycles.FIVE_MINUTELY) {
            return Optional.of(JournalRollCycle.FIVE_MINUTELY);
        } else if (cycle == RollCycles.FAST_HOURLY) {
            return Optional.of(JournalRollCycle.HOURLY);
        } else if (cycle == RollCycles.FAST_DAILY) {
            return Optional.of(JournalRollCycle.DAILY);
        }
        return Optional.empty();
    }

    /** Chronicle's name for the roll cycle, for reports. */
    public String rollCycleName() {
        return queue.rollCycle().toString();
    }

    /** The cycle files that exist, oldest first. */
    public List<CycleFile> cycleFiles() {
        RollCycle rollCycle = queue.rollCycle();
        DateTimeFormatter names =
                DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        List<CycleFile> files = new ArrayList<>();
        if (firstPosition() == Journal.NO_POSITION) {
            return files;
        }
        NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
        for (long cycle : cycles) {
            long startMillis = cycle * rollCycle.lengthInMillis() + rollCycle.defaultEpoch();
            Path file = directory.resolve(names.format(Instant.ofEpochMilli(startMillis)) + ".cq4");
            files.add(new CycleFile((int) cycle, file, sizeOf(file)));
        }
        return files;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A cursor at the first document at or after {@code fromPositionInclusive}
     * ({@link Journal#NO_POSITION} for the start of the journal).
     */
    public Cursor cursor(long fromPositionInclusive) {
        ExcerptTailer tailer = queue.createTailer();
        if (fromPositionInclusive == Journal.NO_POSITION || fromPositionInclusive <= firstPosition()) {
            tailer.toStart();
        } else if (!tailer.moveToIndex(fromPositionInclusive)) {
            // The position is not a document (between cycles, or past the end): start at the end
            // if it lies beyond the journal, else at the first document after it.
            long last = lastPosition();
            if (fromPositionInclusive > last) {
                tailer.toEnd();
            } else {
                tailer.toStart();
                return new SkippingCursor(tailer, fromPositionInclusive);
            }
        }
        return new SkippingCursor(tailer, Journal.NO_POSITION);
    }

    /** Skips documents below a position (used when the start position is not itself a document). */
    private static final class SkippingCursor implements Cursor {
        private final ExcerptTailer tailer;
        private final long skipBelow;

        SkippingCursor(ExcerptTailer tailer, long skipBelow) {
            this.tailer = tailer;
            this.skipBelow = skipBelow;
        }

        @Override
        public Document next() {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    if (dc.index() >= skipBelow) {
                        return new Document(dc.index(), copy(dc.wire().bytes()));
                    }
                }
            }
        }

        @Override
        public void close() {
            tailer.close();
        }
    }

    private static byte[] copy(Bytes<?> bytes) {
        byte[] document = new byte[(int) bytes.readRemaining()];
        bytes.read(document);
        return document;
    }

    @Override
    public void close() {
        queue.close();
    }
}
