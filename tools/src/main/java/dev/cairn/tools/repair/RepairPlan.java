package dev.cairn.tools.repair;

import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.tools.Progress;
import dev.cairn.tools.journal.FrameClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What repair found and will do, decided from one classifying pass over the journal (and, if an
 * index exists, the queue entries that point at documents repair removes). Immutable once made.
 */
final class RepairPlan {
    /** The three things repair can face. */
    enum Kind {
        /** Every document decodes (or was already discarded by recovery): nothing to do. */
        CLEAN,
        /** Bad documents only at the end: append a TailDiscarded, as recovery does. */
        TORN_TAIL,
        /** A bad document followed by good ones: rewrite the journal without the bad documents. */
        CORRUPT
    }

    /** A document repair removes (or discards), with why. */
    record Bad(long position, int bytes, FrameClassifier.Verdict verdict, String reason) {
    }

    /** A queue entry of the current index whose message repair removes: that message is lost for that session. */
    /** A queue entry, named by {@code (position, copy)}, whose message is in a removed document. */
    record LostEntry(String clientId, long position, int copy, String state) {
    }

    final Kind kind;
    final List<Bad> bad;
    final long alreadyDiscarded;
    final long documents;
    final long appliedPosition;
    final List<LostEntry> lostEntries;

    private RepairPlan(Kind kind, List<Bad> bad, long alreadyDiscarded, long documents, long appliedPosition,
            List<LostEntry> lostEntries) {
        this.kind = kind;
        this.bad = List.copyOf(bad);
        this.alreadyDiscarded = alreadyDiscarded;
        this.documents = documents;
        this.appliedPosition = appliedPosition;
        this.lostEntries = List.copyOf(lostEntries);
    }

    static RepairPlan make(JournalReader reader, Path indexDir, Progress progress) {
        List<Bad> bad = new ArrayList<>();
        long[] discardedAndDocuments = {0, 0};
        boolean[] corrupt = {false};
        FrameClassifier classifier = new FrameClassifier(c -> {
            switch (c.verdict()) {
                case DISCARDED: discardedAndDocuments[0]++; break;
                case CORRUPT: corrupt[0] = true; bad.add(bad(c)); break;
                case TORN: bad.add(bad(c)); break;
                default: break;
            }
        });
        try (JournalReader.Cursor cursor = reader.cursor(Journal.NO_POSITION)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                discardedAndDocuments[1]++;
                classifier.accept(d);
                progress.advance(1);
            }
        }
        classifier.finish();
        Kind kind = corrupt[0] ? Kind.CORRUPT : bad.isEmpty() ? Kind.CLEAN : Kind.TORN_TAIL;
        long applied = Journal.NO_POSITION;
        List<LostEntry> lost = new ArrayList<>();
        if (Files.isRegularFile(indexDir.resolve("CURRENT"))) {
            try (IndexReader index = IndexReader.openReadOnly(indexDir)) {
                applied = index.appliedPosition();
                Set<Long> removed = new HashSet<>();
                bad.forEach(b -> removed.add(b.position()));
                index.forEachQueueEntry((clientId, entry) -> {
                    if (removed.contains(entry.position())) {
                        lost.add(new LostEntry(clientId, entry.position(), entry.copy(), entry.state().name()));
                    }
                });
            }
        }
        return new RepairPlan(kind, bad, discardedAndDocuments[0], discardedAndDocuments[1], applied, lost);
    }

    private static Bad bad(FrameClassifier.Classified c) {
        return new Bad(c.position(), c.bytes().length, c.verdict(), c.error().getMessage());
    }

    long firstBadPosition() {
        return bad.get(0).position();
    }

    long lastBadPosition() {
        return bad.get(bad.size() - 1).position();
    }

    /**
     * For a torn tail, the index must be rebuilt only if it already applied a torn position (it
     * can only have, if the tear hit a record after it was synced and applied); otherwise the
     * broker just replays from the applied position, past the marker.
     */
    boolean tornTailNeedsIndexRebuild() {
        return appliedPosition != Journal.NO_POSITION && appliedPosition >= firstBadPosition();
    }
}
