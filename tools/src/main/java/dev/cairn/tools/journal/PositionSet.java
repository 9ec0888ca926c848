package dev.cairn.tools.journal;

import java.util.Arrays;

/**
 * A set of journal positions added in increasing order (as a journal scan meets them), stored as
 * a sorted {@code long[]}: 8 bytes a message instead of a boxed hash entry, and lookups by binary
 * search. Confined to one thread.
 */
public final class PositionSet {
    private long[] positions = new long[1024];
    private int size;

    /** Adds a position greater than every one added before. */
    public void add(long position) {
        if (size > 0 && position <= positions[size - 1]) {
            throw new IllegalArgumentException("positions must be added in increasing order");
        }
        if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
        }
        positions[size++] = position;
    }

    public boolean contains(long position) {
        return Arrays.binarySearch(positions, 0, size, position) >= 0;
    }

    public int size() {
        return size;
    }
}
