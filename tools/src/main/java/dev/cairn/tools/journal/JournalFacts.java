package dev.cairn.tools.journal;

import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordDecodeException;
import dev.cairn.storage.record.RecordType;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.tools.Progress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass over the journal for verify: checks every document (frame, CRC, version, decode, via
 * {@link FrameClassifier}), that positions only grow, that delivery records refer to stored
 * messages, and that every ref of a {@code MessageRelocated} names a queue entry the journal made
 * and carries that entry's message (see {@link #checkRelocationRefs}); and remembers what the
 * index check needs: which positions hold messages, which clients opened sessions and with which
 * owner the last time, the retained
 * topics as of the index's applied position, and where each relocated queue entry reads its
 * message as of that position. Confined to the verifying thread.
 */
final class JournalFacts {
    /** Receives each problem found, with the position it concerns. */
    interface Problems {
        void report(long position, String message);
    }

    final PositionSet messagePositions = new PositionSet();
    final Set<String> openedClients = new HashSet<>();
    /**
     * Each client's last {@code SessionOpened} up to the applied position: the owner the index must
     * hold for its session, since only a {@code SessionOpened} sets it.
     */
    final Map<String, Opened> lastOpened = new HashMap<>();
    /** Retained topics after applying messages up to {@link #retainedAsOf}: topic to position. */
    final Map<String, Long> retained = new TreeMap<>();
    /**
     * Each queue entry a {@code MessageRelocated} up to the applied position names, with the
     * position of the last such record: where the entry reads its message if the index holds it
     * (applying a relocation skips an entry already gone, and nothing re-creates an entry).
     */
    final Map<QueueRef, Long> relocatedTo = new HashMap<>();

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
    /** Each queue entry any relocation names: the first relocation naming it, with its message's digest. */
    private final Map<QueueRef, FirstCopy> firstCopies = new LinkedHashMap<>();

    private record FirstCopy(long position, Digest message) {}

    /** A {@code SessionOpened} at {@code position} with its owner ({@code null}: not known). */
    record Opened(long position, SessionOwner owner) {}

    /** A message's content (what a relocated copy keeps of it), as a SHA-256 digest. */
    private record Digest(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Digest d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

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
        checkRelocationRefs(reader);
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
                relocated(position, (MessageRelocated) record);
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
                    SessionOpened opened = (SessionOpened) record;
                    openedClients.add(opened.clientId());
                    lastOpened.put(opened.clientId(), new Opened(position, opened.owner()));
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

    /**
     * A relocation copies an older message forward: each ref names a queue entry by the position
     * of the {@code MessageStored} that queued it, so that position is before the copy's; every
     * relocation naming one entry carries the same message (a copy of a copy is the same message).
     */
    private void relocated(long position, MessageRelocated r) {
        Digest digest = digest(r.message());
        for (QueueRef ref : r.refs()) {
            if (ref.queuePosition() >= position) {
                problems.report(
                        position,
                        "MessageRelocated names " + entry(ref) + ", which is not before the relocated copy at "
                                + position + " (a relocation copies an older message)");
            }
            FirstCopy first = firstCopies.putIfAbsent(ref, new FirstCopy(position, digest));
            if (first != null && !first.message().equals(digest)) {
                problems.report(
                        position,
                        "MessageRelocated names " + entry(ref) + ", but its message differs from the copy the"
                                + " relocation at " + first.position() + " made for that entry");
            }
            if (position <= retainedAsOf) {
                relocatedTo.put(ref, position);
            }
        }
    }

    /**
     * Every ref whose queue position is still in the journal names a queue entry that the
     * {@code MessageStored} there made (a recipient with the ref's client and copy), and the
     * relocated copies for it carry that message (all but the recipients and the inbound packet
     * id). Refs whose position retention has deleted are checked only against each other. Not
     * every ref needs an entry in the index: an entry acknowledged since is gone (docs/journal-format.md).
     */
    private void checkRelocationRefs(JournalReader reader) {
        for (Map.Entry<QueueRef, FirstCopy> e : firstCopies.entrySet()) {
            QueueRef ref = e.getKey();
            long copyAt = e.getValue().position();
            if (ref.queuePosition() < firstPosition || ref.queuePosition() >= copyAt) {
                continue; // Deleted by retention, or reported above.
            }
            JournalRecord original;
            String why;
            try {
                original = recordAt(reader, ref.queuePosition());
                why = original == null ? "no record" : "a " + original.type() + " record";
            } catch (RecordDecodeException ex) {
                original = null;
                why = "a document that does not decode (" + ex.getMessage() + ")";
            }
            if (!(original instanceof MessageStored stored)) {
                problems.report(
                        copyAt,
                        "MessageRelocated names " + entry(ref) + ", but position " + ref.queuePosition() + " holds "
                                + why + ", not a MessageStored");
                continue;
            }
            if (!hasRecipient(stored, ref)) {
                problems.report(
                        copyAt,
                        "MessageRelocated names " + entry(ref) + ", but the MessageStored at " + ref.queuePosition()
                                + " queued no such entry (its recipients: " + recipients(stored) + ")");
            } else if (!digest(stored).equals(e.getValue().message())) {
                problems.report(
                        copyAt,
                        "MessageRelocated at " + copyAt + " names " + entry(ref)
                                + ", but its message is not the one stored at " + ref.queuePosition()
                                + " (topic '" + stored.topic() + "')");
            }
        }
    }

    /** The decoded record at {@code position}, or null if the journal has no document there. */
    private static JournalRecord recordAt(JournalReader reader, long position) {
        try (JournalReader.Cursor cursor = reader.cursor(position)) {
            JournalReader.Document d = cursor.next();
            return d == null || d.position() != position ? null : RecordCodec.decode(d.bytes());
        }
    }

    private static boolean hasRecipient(MessageStored m, QueueRef ref) {
        for (Recipient r : m.recipients()) {
            if (r.clientId().equals(ref.clientId()) && r.copy() == ref.copy()) {
                return true;
            }
        }
        return false;
    }

    private static String recipients(MessageStored m) {
        StringBuilder s = new StringBuilder();
        for (Recipient r : m.recipients()) {
            s.append(s.length() == 0 ? "" : ", ")
                    .append('\'')
                    .append(r.clientId())
                    .append("' copy ")
                    .append(r.copy());
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    /** How problems name a queue entry: client, queue position and copy. */
    static String entry(QueueRef ref) {
        return "the queue entry of '" + ref.clientId() + "' at position " + ref.queuePosition() + ", copy "
                + ref.copy();
    }

    /** What a relocated copy keeps of a message: all but the recipients and the inbound packet id. */
    private static Digest digest(MessageStored m) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer fixed = ByteBuffer.allocate(4 + 1 + 8 + 8);
        fixed.putInt(m.qos())
                .put((byte) (m.retain() ? 1 : 0))
                .putLong(m.receivedAtMillis())
                .putLong(m.expiresAtMillis());
        sha.update(fixed.array());
        for (byte[] part : new byte[][] {
            m.publisherClientId().getBytes(StandardCharsets.UTF_8),
            m.topic().getBytes(StandardCharsets.UTF_8),
            m.properties(),
            m.payload()
        }) {
            sha.update(ByteBuffer.allocate(4).putInt(part.length).array());
            sha.update(part);
        }
        return new Digest(sha.digest());
    }
}
