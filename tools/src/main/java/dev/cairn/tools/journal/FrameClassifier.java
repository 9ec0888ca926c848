package dev.cairn.tools.journal;

import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordDecodeException;
import dev.cairn.storage.record.TailDiscarded;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the rules of {@code docs/journal-format.md} ("Torn tail versus corruption") to raw
 * documents, in order, and reports every document with its verdict instead of stopping at the
 * first bad one as recovery does: a bad document is held back until the next good one; if that
 * is a {@link TailDiscarded} covering it, it was discarded by recovery; otherwise it is corruption.
 * Bad documents still held when the walk ends are a torn tail. Confined to the walking thread.
 */
public final class FrameClassifier {
    /** What a document is. */
    public enum Verdict {
        /** Decodes: a record. */
        GOOD,
        /** Bad, and covered by the TailDiscarded right after it: recovery discarded it. */
        DISCARDED,
        /** Bad, and followed by a good record that does not discard it. */
        CORRUPT,
        /** Bad, at the end of the journal, not discarded yet. */
        TORN
    }

    /** One document with its verdict; {@code record} is set for GOOD, {@code error} otherwise. */
    public record Classified(
            long position, byte[] bytes, Verdict verdict, JournalRecord record, RecordDecodeException error) {

        public boolean bad() {
            return verdict != Verdict.GOOD;
        }
    }

    /** Receives classified documents in position order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Classified document);
    }

    private final Sink sink;
    private final List<Classified> pending = new ArrayList<>();

    public FrameClassifier(Sink sink) {
        this.sink = sink;
    }

    public void accept(JournalReader.Document document) {
        JournalRecord record;
        try {
            record = RecordCodec.decode(document.bytes());
        } catch (RecordDecodeException e) {
            pending.add(new Classified(document.position(), document.bytes(), Verdict.TORN, null, e));
            return;
        }
        if (!pending.isEmpty()) {
            Verdict verdict = covers(record) ? Verdict.DISCARDED : Verdict.CORRUPT;
            for (Classified bad : pending) {
                sink.accept(new Classified(bad.position(), bad.bytes(), verdict, null, bad.error()));
            }
            pending.clear();
        }
        sink.accept(new Classified(document.position(), document.bytes(), Verdict.GOOD, record, null));
    }

    private boolean covers(JournalRecord record) {
        return record instanceof TailDiscarded marker
                && marker.firstPosition() <= pending.get(0).position()
                && marker.lastPosition() >= pending.get(pending.size() - 1).position();
    }

    /** Ends the walk: bad documents still held are reported as a torn tail. */
    public void finish() {
        pending.forEach(sink::accept);
        pending.clear();
    }
}
