package dev.cairn.tools.journal;

import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.RecordType;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.tools.Progress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass over the journal for verify: checks every document (frame, CRC, version, decode, via
 * {@link FrameClassifier}), that positions only grow, and that delivery records refer to stored
 * messages; and remembers what the index check needs: which positions hold messages, which
 * clients opened sessions, and the retained topics as of the index's applied position.
 * Confined to the verifying thread.
 */
final class JournalFacts {
    /** Receives each problem found, with the position it concerns. */
    interface Problems {
        void report(long position, String message);
    }

    final PositionSet messagePositions = new PositionSet();
    final Set<String> openedClients = new HashSet<>();
    /** Retained topics after applying messages up to {@link #retainedAsOf}: topic to position. */
    final Map<String, Long> retained = new TreeMap<>();

    final Map<RecordType, long[]> byType = new EnumMap<>(RecordType.class);
    final Map<Integer, Long> byVersion = new TreeMap<>();
    final Map<FrameClassifier.Verdict, Long> byVerdict = new EnumMap<>(FrameClassifier.Verdict.class);
    long firstPosition = Journal.NO_POSITION;
    /** Where retention deleted the journal below, or NO_POSITION: facts before it are gone. */
    long retentionFloor = Journal.NO_POSITION;

    long lastPosition = Journal.NO_POSITION;
    long documents;

    private final long retainedAsOf;
    private final Problems problems;
    private final Map<String, Long> pendingRetained = new HashMap<>();

    /** @param retainedAsOf the index's applied position: retained state is computed up to it */
    JournalFacts(long retainedAsOf, Problems problems) {
        this.retainedAsOf = retainedAsOf;
        this.problems = problems;
    }

    void scan(JournalReader reader, Progress progress) {
        FrameClassifier classifier = new FrameClassifier(this::accept);
        retentionFloor = reader.retentionFloor();
        try (JournalReader.Cursor cursor = reader.cursor(Journal.NO_POSITION)) {
            long previous = Journal.NO_POSITION;
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                if (previous != Journal.NO_POSITION && d.position() <= previous) {
                    problems.report(d.position(), "position does not grow: it follows position " + previous);
                }
                previous = d.position();
                documents++;
                if (firstPosition == Journal.NO_POSITION) {
                    firstPosition = d.position();
                }
                lastPosition = d.position();
                classifier.accept(d);
                progress.advance(1);
            }
        }
        classifier.finish();
        retained.putAll(pendingRetained);
        retained.values().removeIf(p -> p < 0);
    }

    private void accept(FrameClassifier.Classified c) {
        byVerdict.merge(c.verdict(), 1L, Long::sum);
        switch (c.verdict()) {
            case GOOD:
                byVersion.merge(c.bytes()[1] & 0xFF, 1L, Long::sum);
                good(c.position(), c.record(), c.bytes().length);
                break;
            case CORRUPT:
                problems.report(
                        c.position(),
                        "corrupt record (" + c.error().getMessage() + "), followed by valid"
                                + " records: the broker refuses to start or fails reading it; run repair");
                break;
            case TORN:
                problems.report(
                        c.position(),
                        "torn tail (" + c.error().getMessage() + "), not discarded yet:"
                                + " the broker discards it at its next start, or run repair");
                break;
            case DISCARDED:
                break; // Recovery already discarded it with a TailDiscarded marker; not a problem.
            default:
                throw new IllegalStateException("unknown verdict " + c.verdict());
        }
    }

    private void good(long position, JournalRecord record, int bytes) {
        long[] countAndBytes = byType.computeIfAbsent(record.type(), t -> new long[2]);
        countAndBytes[0]++;
        countAndBytes[1] += bytes;
        switch (record.type()) {
            case MESSAGE_RELOCATED:
                messagePositions.add(position); // The copy's message is read from here.
                break;
            case MESSAGE_STORED: {
                MessageStored m = (MessageStored) record;
                messagePositions.add(position);
                if (m.retain() && position <= retainedAsOf) {
                    pendingRetained.put(m.topic(), m.clearsRetained() ? -1L : position);
                }
                break;
            }
            case SESSION_OPENED:
                if (position <= retainedAsOf) {
                    openedClients.add(((SessionOpened) record).clientId());
                }
                break;
            case DELIVERY_SENT:
                checkReference(position, ((DeliverySent) record).position(), record);
                break;
            case DELIVERY_RELEASED:
                checkReference(position, ((DeliveryReleased) record).position(), record);
                break;
            case DELIVERY_ACKNOWLEDGED:
                checkReference(position, ((DeliveryAcknowledged) record).position(), record);
                break;
            default:
                break;
        }
    }

    private void checkReference(long position, long target, JournalRecord record) {
        if (target >= firstPosition && !messagePositions.contains(target)) {
            problems.report(
                    position,
                    record.type() + " refers to position " + target
                            + ", which is not a MessageStored record in the journal");
        }
    }
}
