package dev.cairn.tools.index;

import dev.cairn.storage.index.RocksIndexStore;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.tools.DataFiles;
import dev.cairn.tools.Progress;
import dev.cairn.tools.journal.FrameClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds {@code <data>/index} from the whole journal, the way the broker's recovery does when
 * the index is missing: every good record is applied in order (records discarded by a
 * TailDiscarded are skipped), in write batches that each store the applied position. The old
 * index is moved aside first and put back if the rebuild fails. The caller holds the lock.
 */
public final class IndexRebuilder {
    private static final int BATCH_RECORDS = 4096;

    /** What a rebuild did. {@code oldIndex} is where the previous index was kept, or {@code null}. */
    public record Result(long recordsApplied, long appliedPosition, List<Long> tornPositions, Path oldIndex) {}

    /** The journal cannot be replayed: a corrupt record that only repair can remove. */
    public static final class CorruptJournalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptJournalException(String message) {
            super(message);
        }
    }

    /** Whether to keep the previous index as {@code index.old-<time>}. */
    public enum OldIndex {
        KEEP,
        DISCARD
    }

    private IndexRebuilder() {}

    public static Result rebuild(Path dataDir, OldIndex oldIndex, Progress progress, long nowMillis) {
        Path index = dataDir.resolve("index");
        Path kept = null;
        try {
            if (Files.exists(index)) {
                kept = dataDir.resolve("index.old-" + DataFiles.stamp(nowMillis));
                DataFiles.move(index, kept);
            }
            Result result;
            try {
                result = replay(dataDir.resolve("journal"), index, progress, kept);
            } catch (RuntimeException e) {
                DataFiles.deleteTree(index);
                if (kept != null) {
                    DataFiles.move(kept, index);
                }
                throw e;
            }
            if (oldIndex == OldIndex.DISCARD && kept != null) {
                DataFiles.deleteTree(kept);
                return new Result(result.recordsApplied(), result.appliedPosition(), result.tornPositions(), null);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the index in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Result replay(Path journal, Path index, Progress progress, Path kept) {
        List<PositionedRecord> batch = new ArrayList<>();
        List<Long> torn = new ArrayList<>();
        long[] applied = {0, Journal.NO_POSITION};
        try (JournalReader reader = JournalReader.open(journal)) {
            RocksIndexStore store = RocksIndexStore.open(index);
            try {
                FrameClassifier classifier = new FrameClassifier(c -> {
                    switch (c.verdict()) {
                        case GOOD:
                            batch.add(new PositionedRecord(c.position(), c.record()));
                            applied[0]++;
                            applied[1] = c.position();
                            if (batch.size() >= BATCH_RECORDS) {
                                store.apply(batch);
                                batch.clear();
                            }
                            break;
                        case CORRUPT:
                            throw new CorruptJournalException("journal record at position " + c.position()
                                    + " is corrupt (" + c.error().getMessage() + ") and followed by valid records;"
                                    + " run repair first");
                        case TORN:
                            torn.add(c.position());
                            break;
                        default:
                            break; // DISCARDED: recovery already declared it never happened.
                    }
                });
                try (JournalReader.Cursor cursor = reader.cursor(Journal.NO_POSITION)) {
                    for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                        classifier.accept(d);
                        progress.advance(1);
                    }
                }
                classifier.finish();
                store.apply(batch);
            } finally {
                store.close();
            }
        }
        return new Result(applied[0], applied[1], torn, kept);
    }
}
