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
import java.util.TreeMap;
import java.util.function.LongToIntFunction;

/**
 * Makes journal records durable and keeps the synced position. Under {@code FSYNC} a sync is one
 * {@code fdatasync} of every cycle file that may hold unsynced records (the pages written through
 * the memory map included, see ADR 0004), plus the directory when a cycle file is new; under
 * {@code PROCESS} it only advances the position, since the page cache survives the process.
 *
 * <p>Threads: everything but {@link #syncedPosition} runs on the journal's owner thread (ADR 0005
 * explains why the sync is not on a thread of its own); the position is volatile so monitoring
 * and tests may read it from anywhere.
 */
final class JournalSyncer implements AutoCloseable {
    private final Path directory;
    private final boolean force;
    private final LongToIntFunction cycleOf;
    /** Cycle files that may hold unsynced records, by cycle. */
    private final TreeMap<Integer, File> unsyncedCycles = new TreeMap<>();
    /** Open channels of the files in {@link #unsyncedCycles}. */
    private final Map<Integer, FileChannel> channels = new HashMap<>();

    private volatile long syncedPosition;

    JournalSyncer(Path directory, boolean force, LongToIntFunction cycleOf, long syncedPosition) {
        this.directory = directory;
        this.force = force;
        this.cycleOf = cycleOf;
        this.syncedPosition = syncedPosition;
    }

    long syncedPosition() {
        return syncedPosition;
    }

    /** Records of {@code cycle} are being appended to {@code file}. */
    void track(int cycle, File file) {
        if (force) {
            unsyncedCycles.put(cycle, file);
        }
    }

    /** Makes everything up to {@code position} durable before returning. */
    void syncThrough(long position) {
        if (position <= syncedPosition) {
            return;
        }
        if (force) {
            forceCycleFilesThrough(cycleOf.applyAsInt(position));
        }
        syncedPosition = position;
    }

    /** A deleted cycle file needs no more syncs. */
    void forget(int cycle) {
        unsyncedCycles.remove(cycle);
        FileChannel channel = channels.remove(cycle);
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    private void forceCycleFilesThrough(int lastCycle) {
        try {
            boolean newFile = false;
            for (Map.Entry<Integer, File> e :
                    unsyncedCycles.headMap(lastCycle, true).entrySet()) {
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
        Iterator<Integer> done =
                unsyncedCycles.headMap(lastCycle, false).keySet().iterator();
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

    @Override
    public void close() {
        channels.values().forEach(JournalSyncer::closeQuietly);
        channels.clear();
        unsyncedCycles.clear();
    }
}
