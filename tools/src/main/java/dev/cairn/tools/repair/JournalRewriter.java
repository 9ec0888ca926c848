package dev.cairn.tools.repair;

import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Received;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.tools.DataFiles;
import dev.cairn.tools.Progress;
import dev.cairn.tools.journal.FrameClassifier;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a journal with mid-journal corruption into a new Chronicle queue, leaving out every bad
 * document. Chronicle cannot remove documents in place, so this is the only way to a journal the
 * broker will open. Positions change, so every record that names a position is rewritten with one
 * map, old {@code MessageStored} position to new (a queue entry's key is its message's position):
 * delivery records follow their message to its new position, or are dropped with it; an inbound
 * QoS 2 record keeps its packet id (exactly-once still holds) and points at
 * {@link Journal#NO_POSITION} if its message was removed; a {@code MessageRelocated} keeps each
 * ref whose entry's message was kept, moved to that message's new position, and loses the others
 * (their entries no longer exist; applied unmoved, a ref would name whatever entry now has that
 * position), and is left out once no ref remains; TailDiscarded markers are dropped with the
 * documents they covered. The raw bytes of the removed documents, and of a relocation left out,
 * the last copy of a message whose original was removed, go to the removed-copy file. Confined to
 * the calling thread.
 */
final class JournalRewriter {
    /** First line of the removed-copy file; then per document: i64 position, u32 length, the bytes. */
    static final String REMOVED_FILE_HEADER = "CAIRN-REPAIR-REMOVED 1\n";

    /** What the rewrite did. */
    record Result(
            long recordsKept,
            long documentsRemoved,
            long deliveriesDropped,
            long markersDropped,
            long relocationsKept,
            long relocationRefsDropped,
            long relocationsDropped) {}

    private final Map<Long, Long> newPositionOfMessage = new HashMap<>();
    private long kept;
    private long removed;
    private long deliveriesDropped;
    private long markersDropped;
    private long relocationsKept;
    private long relocationRefsDropped;
    private long relocationsDropped;

    static Result rewrite(
            JournalReader source, Path target, JournalRollCycle rollCycle, Path removedCopy, Progress progress) {
        JournalRewriter rewriter = new JournalRewriter();
        try (ChronicleJournal out = ChronicleJournal.open(target, SyncPolicy.FSYNC, rollCycle);
                DataOutputStream copy =
                        new DataOutputStream(new BufferedOutputStream(new FileOutputStream(removedCopy.toFile())))) {
            copy.write(REMOVED_FILE_HEADER.getBytes(StandardCharsets.US_ASCII));
            FrameClassifier classifier = new FrameClassifier(c -> rewriter.take(c, out, copy));
            try (JournalReader.Cursor cursor = source.cursor(Journal.NO_POSITION)) {
                for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                    classifier.accept(d);
                    progress.advance(1);
                }
            }
            classifier.finish();
            out.sync();
            copy.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + removedCopy + ": " + e.getMessage(), e);
        }
        try (var channel = java.nio.channels.FileChannel.open(removedCopy, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
            DataFiles.fsyncDirectory(removedCopy.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + removedCopy, e);
        }
        return new Result(
                rewriter.kept,
                rewriter.removed,
                rewriter.deliveriesDropped,
                rewriter.markersDropped,
                rewriter.relocationsKept,
                rewriter.relocationRefsDropped,
                rewriter.relocationsDropped);
    }

    private void take(FrameClassifier.Classified c, ChronicleJournal out, DataOutputStream copy) {
        if (c.bad()) {
            removed++;
            copyRemoved(c, copy);
            return;
        }
        JournalRecord record = remap(c.record());
        if (record == null) {
            if (c.record() instanceof MessageRelocated) { // the last copy of a message whose original was removed
                copyRemoved(c, copy);
            }
            return;
        }
        long position = out.append(record);
        kept++;
        if (record.type() == dev.cairn.storage.record.RecordType.MESSAGE_STORED) {
            newPositionOfMessage.put(c.position(), position);
        }
    }

    private static void copyRemoved(FrameClassifier.Classified c, DataOutputStream copy) {
        try {
            copy.writeLong(c.position());
            copy.writeInt(c.bytes().length);
            copy.write(c.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the removed-copy file", e);
        }
    }

    /** The record with positions moved to the new journal, or {@code null} to leave it out. */
    private JournalRecord remap(JournalRecord record) {
        switch (record.type()) {
            case DELIVERY_SENT: {
                DeliverySent d = (DeliverySent) record;
                Long moved = moved(d.position());
                return moved == null ? null : new DeliverySent(d.clientId(), moved, d.packetId(), d.copy());
            }
            case DELIVERY_RELEASED: {
                DeliveryReleased d = (DeliveryReleased) record;
                Long moved = moved(d.position());
                return moved == null ? null : new DeliveryReleased(d.clientId(), moved, d.packetId(), d.copy());
            }
            case DELIVERY_ACKNOWLEDGED: {
                DeliveryAcknowledged d = (DeliveryAcknowledged) record;
                Long moved = moved(d.position());
                return moved == null ? null : new DeliveryAcknowledged(d.clientId(), moved, d.copy());
            }
            case INBOUND_QOS2_RECEIVED: {
                InboundQos2Received r = (InboundQos2Received) record;
                Long moved = newPositionOfMessage.get(r.position());
                return new InboundQos2Received(r.clientId(), r.packetId(), moved == null ? Journal.NO_POSITION : moved);
            }
            case MESSAGE_RELOCATED:
                return relocated((MessageRelocated) record);
            case TAIL_DISCARDED:
                markersDropped++;
                return null;
            default:
                return record;
        }
    }

    /**
     * The refs name queue entries by their message's position, as delivery records do, so they
     * move by the same map; the copy itself gets its new position from the append.
     */
    private MessageRelocated relocated(MessageRelocated r) {
        List<QueueRef> refs = new ArrayList<>(r.refs().size());
        for (QueueRef ref : r.refs()) {
            Long moved = newPositionOfMessage.get(ref.queuePosition());
            if (moved == null) {
                relocationRefsDropped++;
            } else {
                refs.add(new QueueRef(ref.clientId(), moved, ref.copy()));
            }
        }
        if (refs.isEmpty()) {
            relocationsDropped++;
            return null;
        }
        relocationsKept++;
        return new MessageRelocated(refs, r.message());
    }

    private Long moved(long oldPosition) {
        Long moved = newPositionOfMessage.get(oldPosition);
        if (moved == null) {
            deliveriesDropped++;
        }
        return moved;
    }
}
