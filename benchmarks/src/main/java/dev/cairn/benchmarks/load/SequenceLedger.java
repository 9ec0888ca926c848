package dev.cairn.benchmarks.load;

/**
 * What one receiver has seen of one publisher's sequence numbers (0, 1, 2, ...): how many
 * distinct messages arrived, how many were duplicates, how many arrived after a higher number.
 * It remembers the last {@link #WINDOW_SIZE} numbers below the highest seen in a ring of bits,
 * so memory is fixed however long the run. A message older than that window cannot be told
 * apart from a duplicate; it is counted as out of order and as distinct ({@link #unverifiable}
 * says how often that happened; with a window this large it means a reorder of > 65,536).
 *
 * <p>Lost = sent − distinct, computed once the sender's count is final.
 *
 * <p>Thread safety: none; the owner serialises calls.
 */
final class SequenceLedger {
    static final int WINDOW_SIZE = 65_536;

    /** How one arrival was classified. */
    enum Arrival {
        IN_ORDER,
        OUT_OF_ORDER,
        DUPLICATE
    }

    private final long[] seenBits = new long[WINDOW_SIZE / 64];
    private long highest = -1;
    private long distinct;
    private long duplicates;
    private long outOfOrder;
    private long unverifiable;

    Arrival record(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        if (sequence > highest) {
            advanceTo(sequence);
            distinct++;
            return Arrival.IN_ORDER;
        }
        if (sequence <= highest - WINDOW_SIZE) {
            unverifiable++;
            outOfOrder++;
            distinct++;
            return Arrival.OUT_OF_ORDER;
        }
        if (isSeen(sequence)) {
            duplicates++;
            return Arrival.DUPLICATE;
        }
        markSeen(sequence);
        outOfOrder++;
        distinct++;
        return Arrival.OUT_OF_ORDER;
    }

    long distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long unverifiable() {
        return unverifiable;
    }

    /** Messages never seen, given that the publisher sent {@code sentCount} (sequences 0..sent-1). */
    long lost(long sentCount) {
        return Math.max(0, sentCount - distinct);
    }

    private void advanceTo(long sequence) {
        // Slots between the old highest and the new one now stand for numbers not yet seen.
        long firstCleared = Math.max(highest + 1, sequence - WINDOW_SIZE + 1);
        for (long s = firstCleared; s < sequence; s++) {
            clearSeen(s);
        }
        markSeen(sequence);
        highest = sequence;
    }

    private boolean isSeen(long sequence) {
        int bit = (int) (sequence % WINDOW_SIZE);
        return (seenBits[bit >>> 6] & (1L << bit)) != 0;
    }

    private void markSeen(long sequence) {
        int bit = (int) (sequence % WINDOW_SIZE);
        seenBits[bit >>> 6] |= 1L << bit;
    }

    private void clearSeen(long sequence) {
        int bit = (int) (sequence % WINDOW_SIZE);
        seenBits[bit >>> 6] &= ~(1L << bit);
    }
}
