package dev.cairn.tools.repair;

import dev.cairn.storage.index.IndexReader;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.Progress;
import dev.cairn.tools.journal.FrameClassifier;
import dev.cairn.tools.journal.PositionSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What repair found and will do, decided from one classifying pass over the journal (and, if an
 * index exists, the queue entries that point at documents repair removes). Immutable once made.
 * For a rewrite, the pass also finds the refs of {@code MessageRelocated} records that name a queue
 * entry whose message is not a good {@code MessageStored} in this journal (usually: in a document
 * repair leaves out): the journal alone says whose they were, so they are listed even without an
 * index. Refs below the journal's first position (retention deleted their originals) are not
 * listed: repair refuses to rewrite such a journal.
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
    record Bad(long position, int bytes, FrameClassifier.Verdict verdict, String reason) {}

    /** A queue entry of the current index whose message repair removes: that message is lost for that session. */
    /** A queue entry, named by {@code (position, copy)}, whose message is in a removed document. */
    record LostEntry(String clientId, long position, int copy, String state) {}

    /**
     * A ref of the relocated copy at {@code relocationPosition} to the queue entry
     * {@code (clientId, position, copy)} whose {@code MessageStored} the rewrite does not keep: the
     * ref is dropped (and the copy, once none of its refs remains), for the reason given.
     */
    record DroppedRef(String clientId, long position, int copy, long relocationPosition, String reason) {}

    final Kind kind;
    final List<Bad> bad;
    final long alreadyDiscarded;
    final long documents;
    final long appliedPosition;
    final List<LostEntry> lostEntries;
    final List<DroppedRef> droppedRefs;

    private RepairPlan(
            Kind kind,
            List<Bad> bad,
            long alreadyDiscarded,
            long documents,
            long appliedPosition,
            List<LostEntry> lostEntries,
            List<DroppedRef> droppedRefs) {
        this.kind = kind;
        this.bad = List.copyOf(bad);
        this.alreadyDiscarded = alreadyDiscarded;
        this.documents = documents;
        this.appliedPosition = appliedPosition;
        this.lostEntries = List.copyOf(lostEntries);
        this.droppedRefs = List.copyOf(droppedRefs);
    }

    static RepairPlan make(JournalReader reader, Path indexDir, Progress progress) {
        List<Bad> bad = new ArrayList<>();
        long[] discardedAndDocuments = {0, 0};
        boolean[] corrupt = {false};
        Set<Long> leftOut = new HashSet<>();
        PositionSet stored = new PositionSet();
        long first = reader.firstPosition();
        List<DroppedRef> droppedRefs = new ArrayList<>();
        FrameClassifier classifier = new FrameClassifier(c -> {
            switch (c.verdict()) {
                case DISCARDED:
                    discardedAndDocuments[0]++;
                    leftOut.add(c.position());
                    break;
                case CORRUPT:
                    corrupt[0] = true;
                    bad.add(bad(c));
                    leftOut.add(c.position());
                    break;
                case TORN:
                    bad.add(bad(c));
                    leftOut.add(c.position());
                    break;
                default:
                    // A relocation follows its original, and documents are classified in order, so
                    // whatever a ref can name is known by now.
                    if (c.record().type() == RecordType.MESSAGE_STORED) {
                        stored.add(c.position());
                    } else if (c.record() instanceof MessageRelocated r) {
                        for (QueueRef ref : r.refs()) {
                            if (ref.queuePosition() >= first && !stored.contains(ref.queuePosition())) {
                                droppedRefs.add(new DroppedRef(
                                        ref.clientId(),
                                        ref.queuePosition(),
                                        ref.copy(),
                                        c.position(),
                                        leftOut.contains(ref.queuePosition())
                                                ? "its message is in a removed document"
                                                : "no MessageStored record at that position"));
                            }
                        }
                    }
                    break;
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
                        lost.add(new LostEntry(
                                clientId,
                                entry.position(),
                                entry.copy(),
                                entry.state().name()));
                    }
                });
            }
        }
        return new RepairPlan(
                kind,
                bad,
                discardedAndDocuments[0],
                discardedAndDocuments[1],
                applied,
                lost,
                kind == Kind.CORRUPT ? droppedRefs : List.of());
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
