package dev.cairn.broker.persistence;

import dev.cairn.storage.index.IndexStore;
import dev.cairn.storage.index.QueueEntry;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks one session's queue in the index in queue order, from after a key {@code (position,
 * copy)} on, reading it a page at a time: the one loop over a queue on disk, for the backlog's
 * refills and for recovery's in-flight head. Sees what the index has applied when each page is
 * read. Core thread only.
 */
final class QueueCursor implements Iterator<QueueEntry> {
    private final IndexStore index;
    private final String clientId;
    private final int pageSize;
    private long afterPosition;
    private int afterCopy;
    private List<QueueEntry> page = List.of();
    private int next;
    private boolean ended;

    /** {@code afterCopy -1}: from the position's first copy on; {@code afterPosition -1}: from the start. */
    QueueCursor(IndexStore index, String clientId, long afterPosition, int afterCopy, int pageSize) {
        this.index = index;
        this.clientId = clientId;
        this.afterPosition = afterPosition;
        this.afterCopy = afterCopy;
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        if (next < page.size()) {
            return true;
        }
        if (ended) {
            return false;
        }
        page = index.queueScan(clientId, afterPosition, afterCopy, pageSize);
        next = 0;
        ended = page.size() < pageSize;
        return !page.isEmpty();
    }

    @Override
    public QueueEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("end of the queue of " + clientId);
        }
        QueueEntry e = page.get(next++);
        afterPosition = e.position();
        afterCopy = e.copy();
        return e;
    }
}
