package dev.cairn.storage.journal;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordDecodeException;
import dev.cairn.storage.record.TailDiscarded;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks raw documents in position order and decides, one document at a time, which are records,
 * which are discarded torn tail, and where the journal is corrupt. This is the one place that
 * tells a torn tail from corruption (compare etcd's {@code isTornEntry}): bad frames are held back
 * until the next good frame; if that frame is a {@link TailDiscarded} covering them they are
 * skipped, otherwise the first of them is corruption. Bad frames still held at the end are a torn
 * tail, for the caller to judge. Confined to the walking thread.
 */
final class FrameWalker {
    /** A document that did not decode, kept with its raw bytes for the broken-tail copy. */
    record BadDocument(long position, byte[] bytes, RecordDecodeException error) {}

    private final RecordConsumer consumer;
    private final List<BadDocument> pending = new ArrayList<>();
    private long lastGoodPosition = Journal.NO_POSITION;
    private long goodRecords;

    FrameWalker(RecordConsumer consumer) {
        this.consumer = consumer;
    }

    /** Takes the next document. @throws JournalCorruptionException if it proves corruption */
    void accept(long position, byte[] document) {
        JournalRecord record;
        try {
            record = RecordCodec.decode(document);
        } catch (RecordDecodeException e) {
            pending.add(new BadDocument(position, document, e));
            return;
        }
        if (!pending.isEmpty()) {
            settlePending(position, record);
        }
        lastGoodPosition = position;
        goodRecords++;
        consumer.accept(position, record);
    }

    private void settlePending(long goodPosition, JournalRecord record) {
        BadDocument first = pending.get(0);
        long last = pending.get(pending.size() - 1).position();
        if (record instanceof TailDiscarded marker
                && marker.firstPosition() <= first.position()
                && marker.lastPosition() >= last) {
            pending.clear();
            return;
        }
        throw new JournalCorruptionException(
                first.position(),
                first.error().reason(),
                "journal record at position " + first.position() + " (" + Positions.describe(first.position())
                        + ") is corrupt (" + first.error().getMessage() + ") and is followed by a valid record at "
                        + goodPosition + ", so it is not a torn tail");
    }

    /** Bad documents at the end of the walk, in position order: a torn tail if not empty. */
    List<BadDocument> tornTail() {
        return List.copyOf(pending);
    }

    long lastGoodPosition() {
        return lastGoodPosition;
    }

    long goodRecords() {
        return goodRecords;
    }
}
