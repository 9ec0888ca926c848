package dev.cairn.storage.journal;

import dev.cairn.storage.record.BinaryWriter;
import dev.cairn.storage.record.TailDiscarded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies the journal after a position as {@link Kind#CLEAN}, {@link Kind#TORN} or
 * {@link Kind#CORRUPT} (the rules are in {@code docs/journal-format.md}), and discards a torn tail.
 * Runs on the thread that opens the store, before anyone else uses the journal.
 */
public final class JournalTail {
    private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
    private static final DateTimeFormatter BROKEN_FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final byte[] BROKEN_FILE_MAGIC = "CAIRN-BROKEN-TAIL 1\n".getBytes(StandardCharsets.US_ASCII);

    /** The three outcomes of a tail check. */
    public enum Kind {
        CLEAN,
        TORN,
        CORRUPT
    }

    /** What a check found. */
    public static final class Report {
        private final Kind kind;
        private final long lastGoodPosition;
        private final long recordsChecked;
        private final List<FrameWalker.BadDocument> tornTail;
        private final JournalCorruptionException corruption;

        Report(
                Kind kind,
                long lastGoodPosition,
                long recordsChecked,
                List<FrameWalker.BadDocument> tornTail,
                JournalCorruptionException corruption) {
            this.kind = kind;
            this.lastGoodPosition = lastGoodPosition;
            this.recordsChecked = recordsChecked;
            this.tornTail = tornTail;
            this.corruption = corruption;
        }

        public Kind kind() {
            return kind;
        }

        /** The last valid record seen, or the position the check started after if none. */
        public long lastGoodPosition() {
            return lastGoodPosition;
        }

        public long recordsChecked() {
            return recordsChecked;
        }

        /** Positions of the torn documents, empty unless {@link Kind#TORN}. */
        public List<Long> tornPositions() {
            return tornTail.stream().map(FrameWalker.BadDocument::position).toList();
        }

        /** The corruption found, or {@code null} unless {@link Kind#CORRUPT}. */
        public JournalCorruptionException corruption() {
            return corruption;
        }

        @Override
        public String toString() {
            return kind + " (checked " + recordsChecked + " records, last good " + lastGoodPosition
                    + (tornTail.isEmpty() ? "" : ", torn " + tornPositions()) + ")";
        }
    }

    private JournalTail() {}

    /** Reads and checks every document after {@code afterPosition}. */
    public static Report check(ChronicleJournal journal, long afterPosition) {
        FrameWalker walker = new FrameWalker((position, record) -> {});
        try {
            journal.scanDocuments(afterPosition, walker::accept);
        } catch (JournalCorruptionException e) {
            return new Report(Kind.CORRUPT, walker.lastGoodPosition(), walker.goodRecords(), List.of(), e);
        }
        long lastGood = walker.goodRecords() == 0 ? afterPosition : walker.lastGoodPosition();
        List<FrameWalker.BadDocument> torn = walker.tornTail();
        return new Report(torn.isEmpty() ? Kind.CLEAN : Kind.TORN, lastGood, walker.goodRecords(), torn, null);
    }

    /**
     * Discards a torn tail: copies the torn documents to {@code <dataDir>/journal-broken-<time>}
     * (fsynced, with its directory), logs a WARN, then appends and syncs a {@link TailDiscarded}
     * covering them. Must run on the journal's owner thread.
     *
     * @return the file holding the copy
     */
    public static Path discardTornTail(ChronicleJournal journal, Report report, Path dataDir, long nowMillis) {
        if (report.kind() != Kind.TORN) {
            throw new IllegalArgumentException("not a torn tail: " + report);
        }
        List<FrameWalker.BadDocument> torn = report.tornTail;
        Path copy = dataDir.resolve("journal-broken-" + BROKEN_FILE_TIME.format(Instant.ofEpochMilli(nowMillis)));
        writeCopy(copy, torn);
        long first = torn.get(0).position();
        long last = torn.get(torn.size() - 1).position();
        LOG.warn(
                "Journal tail is torn: {} record(s) at positions {}..{} failed their checks ({}) and are "
                        + "discarded; a copy of their bytes is in {}",
                torn.size(),
                first,
                last,
                torn.get(0).error().getMessage(),
                copy);
        journal.append(new TailDiscarded(first, last, nowMillis));
        journal.sync();
        return copy;
    }

    private static void writeCopy(Path copy, List<FrameWalker.BadDocument> torn) {
        BinaryWriter writer = new BinaryWriter(1024);
        writer.raw(BROKEN_FILE_MAGIC, 0, BROKEN_FILE_MAGIC.length);
        for (FrameWalker.BadDocument document : torn) {
            writer.i64(document.position()).bytes(document.bytes());
        }
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(writer.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            ChronicleJournal.fsyncDirectory(copy.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the torn-tail copy " + copy, e);
        }
    }
}
