package dev.cairn.storage.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongToIntFunction;

/**
 * Makes journal records durable and publishes the synced position, either on the caller's thread
 * ({@link #syncNow}) or on a background thread ({@link #request}), so the appending thread keeps
 * working while the disk flushes. Under {@code FSYNC} a sync is one {@code fdatasync} of every
 * cycle file that may hold unsynced records (the mapped pages included, see ADR 0004), plus the
 * directory when a cycle file is new; under {@code PROCESS} it only advances the position, since
 * the page cache survives the process.
 *
 * <p>Threads: {@link #track} and {@link #request} are called by the journal's owner thread; the
 * owner publishes an appended record's position (a volatile write) only after tracking its cycle
 * file, so the syncer that reads the position also sees the file. The flush itself runs under a
 * lock, so a blocking {@link #syncNow} and the background thread never force concurrently and the
 * synced position only grows. One background sync is in flight at a time; requests arriving
 * meanwhile are covered by the next one, which syncs everything appended by then (group commit).
 */
final class JournalSyncer implements AutoCloseable {
    private final Path directory;
    private final boolean force;
    private final LongToIntFunction cycleOf;
    /** Cycle files that may hold unsynced records, by cycle; written by the owner, trimmed by syncs. */
    private final ConcurrentSkipListMap<Integer, File> unsyncedCycles = new ConcurrentSkipListMap<>();
    /** Open channels of the files in {@link #unsyncedCycles}; guarded by {@link #flushLock}. */
    private final Map<Integer, FileChannel> channels = new HashMap<>();
    private final Object flushLock = new Object();
    private volatile long syncedPosition;
    private volatile long requestedPosition;
    private volatile boolean parked;
    private volatile boolean closing;
    private volatile RuntimeException failure;
    private volatile Runnable listener = () -> { };
    private Thread thread;

    JournalSyncer(Path directory, boolean force, LongToIntFunction cycleOf, long syncedPosition) {
        this.directory = directory;
        this.force = force;
        this.cycleOf = cycleOf;
        this.syncedPosition = syncedPosition;
        this.requestedPosition = syncedPosition;
    }

    long syncedPosition() {
        return syncedPosition;
    }

    /** Runs after every background sync that advanced the position (or failed), on the syncer thread. */
    void onSynced(Runnable listener) {
        this.listener = listener;
    }

    /** Owner thread: records of {@code cycle} are being appended to {@code file}. */
    void track(int cycle, File file) {
        if (force) {
            unsyncedCycles.put(cycle, file);
        }
    }

    /**
     * Owner thread: makes everything up to {@code position} durable in the background. Under
     * {@code PROCESS} the position is durable on return.
     *
     * @throws IllegalStateException if an earlier background sync failed: nothing after the last
     *     synced position may be acknowledged, and a file whose flush failed cannot be trusted to
     *     flush again (the kernel may have dropped the dirty pages)
     */
    void request(long position) {
        throwIfFailed();
        if (position <= syncedPosition) {
            return;
        }
        if (!force) {
            syncedPosition = position;
            return;
        }
        requestedPosition = position;
        if (thread == null) {
            thread = new Thread(this::run, "cairn-journal-sync");
            thread.setDaemon(true);
            thread.start();
        } else if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Makes everything up to {@code position} durable before returning; any thread. */
    void syncNow(long position) {
        throwIfFailed();
        synchronized (flushLock) {
            flushThrough(position);
        }
    }

    private void throwIfFailed() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("a journal sync failed in " + directory + "; records after position "
                    + syncedPosition + " are not durable and the journal cannot sync again", failed);
        }
    }

    /** Owner thread: a deleted cycle file needs no more syncs. */
    void forget(int cycle) {
        synchronized (flushLock) {
            unsyncedCycles.remove(cycle);
            FileChannel channel = channels.remove(cycle);
            if (channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private void run() {
        while (!closing) {
            long target = requestedPosition;
            if (target > syncedPosition) {
                try {
                    synchronized (flushLock) {
                        flushThrough(target);
                    }
                } catch (RuntimeException e) {
                    failure = e;
                    listener.run();
                    return;
                }
                listener.run();
                continue;
            }
            parked = true;
            if (requestedPosition <= syncedPosition && !closing) {
                LockSupport.park(this);
            }
            parked = false;
        }
    }

    /** Under {@link #flushLock}. */
    private void flushThrough(long position) {
        if (position <= syncedPosition) {
            return;
        }
        if (force) {
            forceCycleFilesThrough(cycleOf.applyAsInt(position));
        }
        syncedPosition = position;
    }

    private void forceCycleFilesThrough(int lastCycle) {
        try {
            boolean newFile = false;
            for (Map.Entry<Integer, File> e : unsyncedCycles.headMap(lastCycle, true).entrySet()) {
                FileChannel channel = channels.get(e.getKey());
                if (channel == null) {
                    channel = FileChannel.open(e.getValue().toPath(), StandardOpenOption.READ);
                    channels.put(e.getKey(), channel);
                    // A cycle file not seen before may have just been created: its directory
                    // entry is durable only once the directory is fsynced.
                    newFile = true;
                }
                channel.force(false);
            }
            if (newFile) {
                ChronicleJournal.fsyncDirectory(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal sync failed in " + directory, e);
        }
        // Every record of an earlier cycle precedes the synced position: those files are done.
        Iterator<Integer> done = unsyncedCycles.headMap(lastCycle, false).keySet().iterator();
        while (done.hasNext()) {
            FileChannel channel = channels.remove(done.next());
            if (channel != null) {
                closeQuietly(channel);
            }
            done.remove();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only channel kept only for force(); nothing to lose on close.
        }
    }

    /** Stops the background thread (after its current sync) and closes the channels. */
    @Override
    public void close() {
        closing = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (flushLock) {
            channels.values().forEach(JournalSyncer::closeQuietly);
            channels.clear();
            unsyncedCycles.clear();
        }
    }
}
