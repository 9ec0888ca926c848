package dev.cairn.storage.journal;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordDecodeException;
import dev.cairn.storage.thread.ThreadOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal over Chronicle Queue: one Chronicle data document per record, holding the raw
 * frame of {@code docs/journal-format.md}. Only this package imports {@code net.openhft}.
 *
 * <p>Threads: append, sync and close belong to the owner thread, which is the first
 * thread that appends; ownership can be handed on with {@link #releaseOwnership()} (recovery
 * appends on the opening thread, then the core loop takes over). {@link #read} serialises its one shared tailer
 * on a lock, so any thread may call it while the owner appends. {@link #replayFrom} uses a tailer
 * of its own per call.
 */
public final class ChronicleJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final Path directory;
    private final SyncPolicy syncPolicy;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalClock clock;
    private final CycleFileNames cycleFileNames;
    private final Object readLock = new Object();
    private final ExcerptTailer readTailer;
    private ExcerptAppender appender;
    private final ThreadOwner owner = new ThreadOwner("journal");
    /** The cycle of the last append, whose file the syncer knows; owner thread only. */
    private int trackedCycle = Integer.MIN_VALUE;

    private volatile long lastAppendedPosition;
    private volatile long appendedBytes;
    private JournalSyncer syncer;
    private final AppendMappingAdvisor mappingAdvisor = new AppendMappingAdvisor();
    /** Writes the blocks ahead of the appends: never a store into an unallocated block (ADR 0008). */
    private final AppendPreallocator preallocator = new AppendPreallocator();
    /**
     * Free bytes the file system must have before a record may start a cycle file: Chronicle's
     * header and index pages, the record, and the first steps written ahead of it.
     */
    static final long NEW_CYCLE_FREE_BYTES_MIN = 8L << 20;
    /** The append that failed part way; from then on nothing is appended or synced. */
    private Throwable failure;
    /** Retention: records of cycles below this were deleted (or are about to be). */
    private volatile int deletedBelowCycle = Integer.MIN_VALUE;

    private volatile long retentionFloor;

    private ChronicleJournal(
            Path directory, SyncPolicy syncPolicy, JournalRollCycle rollCycle, LongSupplier epochMillis) {
        this.directory = directory;
        this.syncPolicy = syncPolicy;
        this.clock = new JournalClock(epochMillis);
        this.rollCycle = chronicleRollCycle(rollCycle);
        this.cycleFileNames = new CycleFileNames(this.rollCycle.format(), this.rollCycle.lengthInMillis());
        this.queue = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(this.rollCycle)
                .syncMode(SyncMode.NONE)
                .timeProvider(clock::millis)
                .build();
        int newestCycle = queue.lastCycle();
        if (newestCycle != Integer.MIN_VALUE) {
            clock.notBefore(newestCycle * (long) this.rollCycle.lengthInMillis() + this.rollCycle.defaultEpoch());
        }
        this.retentionFloor = RetentionFloor.read(directory);
        if (retentionFloor != NO_POSITION) {
            deletedBelowCycle = this.rollCycle.toCycle(retentionFloor);
        }
        this.readTailer = queue.createTailer();
        // The read tailer is shared by every reading thread under readLock, so Chronicle's
        // per-thread check would reject the second thread although access is serialised.
        this.readTailer.singleThreadedCheckDisabled(true);
        long last = queue.lastIndex();
        this.lastAppendedPosition = last < 0 ? NO_POSITION : last;
    }

    /**
     * Opens (or creates) the journal in {@code directory}. With {@code FSYNC}, everything already
     * in the files is forced to disk first: a previous process killed before its last sync may
     * have left records in the page cache only, and from now on they count as synced.
     */
    public static ChronicleJournal open(Path directory, SyncPolicy syncPolicy, JournalRollCycle rollCycle) {
        return open(directory, syncPolicy, rollCycle, System::currentTimeMillis);
    }

    /**
     * As {@link #open(Path, SyncPolicy, JournalRollCycle)}, with the clock that decides which cycle
     * an append goes to: the time seam that lets tests roll cycles without waiting.
     *
     * @param epochMillis wall-clock milliseconds since the epoch; called from the appending thread
     */
    public static ChronicleJournal open(
            Path directory, SyncPolicy syncPolicy, JournalRollCycle rollCycle, LongSupplier epochMillis) {
        boolean created = !Files.isDirectory(directory);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal directory " + directory, e);
        }
        removeHeaderlessCycleFiles(directory);
        ChronicleJournal journal = new ChronicleJournal(directory, syncPolicy, rollCycle, epochMillis);
        if (syncPolicy == SyncPolicy.FSYNC) {
            journal.forceExistingFiles(created);
        }
        journal.syncer = new JournalSyncer(
                directory, syncPolicy == SyncPolicy.FSYNC, journal.rollCycle::toCycle, journal.lastAppendedPosition);
        return journal;
    }

    /**
     * A process killed between creating a cycle file and completing its header leaves a file that
     * would make Chronicle wait on open for a writer that is gone ({@link HeaderlessCycleFiles}).
     * Such a file holds no record, so it is deleted (logged); one that might hold data is refused.
     */
    private static void removeHeaderlessCycleFiles(Path directory) {
        List<Path> headerless = HeaderlessCycleFiles.find(directory);
        if (headerless.isEmpty()) {
            return;
        }
        try {
            for (Path file : headerless) {
                if (!HeaderlessCycleFiles.holdsNoRecord(file)) {
                    throw new JournalFormatException(
                            file,
                            "journal cycle file " + file
                                    + " has no complete header but holds"
                                    + " more than Chronicle writes while creating a file, which is not what a crash leaves."
                                    + " Inspect it with cairn-tools dump and move it away (with the index) only once you know what"
                                    + " wrote it");
                }
                Files.delete(file);
                LOG.warn(
                        "deleted journal cycle file {}: it holds no record and no complete header (the process"
                                + " stopped while creating it, e.g. kill -9 or a power cut during a cycle roll)",
                        file);
            }
            fsyncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove an empty journal cycle file in " + directory, e);
        }
    }

    private static RollCycle chronicleRollCycle(JournalRollCycle rollCycle) {
        switch (rollCycle) {
            case FIVE_MINUTELY:
                return RollCycles.FIVE_MINUTELY;
            case HOURLY:
                return RollCycles.FAST_HOURLY;
            case DAILY:
                return RollCycles.FAST_DAILY;
            default:
                throw new IllegalArgumentException("unknown roll cycle " + rollCycle);
        }
    }

    @Override
    public long append(JournalRecord record) {
        assert owner.check();
        checkNotFailed();
        byte[] frame = RecordCodec.encode(record);
        if (appender == null) {
            appender = queue.createAppender();
        }
        // Held still, so the cycle checked here is the cycle Chronicle appends to.
        clock.pin();
        try {
            boolean newCycle = queue.cycle() != trackedCycle;
            checkSpaceFor(frame.length, newCycle);
            long endOffset = write(frame);
            long position = appender.lastIndexAppended();
            int cycle = appender.cycle();
            if (cycle != trackedCycle) {
                syncer.track(cycle, appender.currentFile());
                preallocator.startCycle(appender.currentFile());
                trackedCycle = cycle;
            }
            preallocator.appended(endOffset);
            lastAppendedPosition = position;
            appendedBytes += frame.length;
            if (mappingAdvisor.due(newCycle)) {
                mappingAdvisor.advise(appender.currentFile());
            }
            return position;
        } finally {
            clock.unpin();
        }
    }

    /**
     * Refuses a record whose blocks may not be allocatable, before Chronicle touches the file: a
     * store through the memory map into a block a full file system cannot allocate is a SIGBUS,
     * not an error. Within a cycle file the preallocator has written the blocks ahead; the first
     * record of a cycle file (and the first after open) goes into a file whose blocks nobody wrote
     * yet, so it needs {@link #NEW_CYCLE_FREE_BYTES_MIN} free on the file system.
     */
    private void checkSpaceFor(int frameBytes, boolean newCycle) {
        if (newCycle || !preallocator.started()) {
            long usable = usableBytes();
            if (usable < NEW_CYCLE_FREE_BYTES_MIN + frameBytes) {
                throw new JournalFullException("journal record of " + frameBytes + " bytes refused: it would start a"
                        + " cycle file in " + directory + ", which needs " + (NEW_CYCLE_FREE_BYTES_MIN + frameBytes)
                        + " bytes free, and the file system has " + usable);
            }
        } else if (!preallocator.reserve(frameBytes)) {
            throw new JournalFullException("journal record of " + frameBytes + " bytes refused: the blocks it would"
                    + " go to in " + appender.currentFile() + " cannot be written ahead (the file system of "
                    + directory + " is full)");
        }
    }

    /** Appends one frame; a failure part way poisons the journal ({@link JournalFailedException}). */
    private long write(byte[] frame) {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> bytes = dc.wire().bytes();
                bytes.write(frame);
                // Chronicle's bytes of a cycle file are addressed by file offset.
                return bytes.writePosition();
            } catch (Throwable t) {
                dc.rollbackOnClose();
                throw t;
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        }
    }

    private void checkNotFailed() {
        if (failure != null) {
            throw new JournalFailedException(failure);
        }
    }

    @Override
    public boolean spaceExhausted() {
        return preallocator.exhausted();
    }

    @Override
    public boolean retrySpace() {
        assert owner.check();
        return preallocator.retry();
    }

    @Override
    public boolean newCycleDue() {
        return queue.cycle() != trackedCycle;
    }

    @Override
    public long appendedBytes() {
        return appendedBytes;
    }

    @Override
    public long usableBytes() {
        return directory.toFile().getUsableSpace();
    }

    @Override
    public void sync() {
        assert owner.check();
        checkNotFailed();
        // fdatasync of every cycle file written since the last sync. On Linux it writes back
        // every dirty page of the file, those dirtied through the shared memory map included,
        // and Chronicle's header and index pages with them, so a separate msync of the
        // appended range (which measured as a second, equally expensive flush) adds nothing.
        // A new file's directory entry is fsynced too.
        syncer.syncThrough(lastAppendedPosition);
    }

    @Override
    public long syncedPosition() {
        return syncer.syncedPosition();
    }

    @Override
    public long lastAppendedPosition() {
        return lastAppendedPosition;
    }

    @Override
    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    @Override
    public void replayFrom(long positionExclusive, RecordConsumer consumer) {
        FrameWalker walker = new FrameWalker(consumer);
        scanDocuments(positionExclusive, walker::accept);
        if (!walker.tornTail().isEmpty()) {
            FrameWalker.BadDocument first = walker.tornTail().get(0);
            throw new JournalCorruptionException(
                    first.position(),
                    first.error().reason(),
                    "journal has a torn tail from position " + first.position() + " ("
                            + first.error().getMessage() + "); reopen the store to discard it");
        }
    }

    @Override
    public JournalRecord read(long position) {
        checkNotDeleted(position);
        byte[] document;
        synchronized (readLock) {
            if (!readTailer.moveToIndex(position)) {
                checkNotDeleted(position);
                throw new IllegalArgumentException("no journal record at position " + position);
            }
            try (DocumentContext dc = readTailer.readingDocument()) {
                if (!dc.isPresent() || dc.index() != position) {
                    throw new IllegalArgumentException("no journal record at position " + position);
                }
                document = copy(dc.wire().bytes());
            }
        }
        try {
            return RecordCodec.decode(document);
        } catch (RecordDecodeException e) {
            throw new JournalCorruptionException(position, e);
        }
    }

    /** Raw document sink for scans. */
    interface DocumentConsumer {
        void accept(long position, byte[] document);
    }

    /** Hands every data document after {@code positionExclusive} to {@code consumer}, raw. */
    void scanDocuments(long positionExclusive, DocumentConsumer consumer) {
        ExcerptTailer tailer = queue.createTailer();
        try {
            if (positionExclusive == NO_POSITION) {
                tailer.toStart();
            } else if (!tailer.moveToIndex(positionExclusive)) {
                checkNotDeleted(positionExclusive);
                throw new IllegalArgumentException("journal has no position " + positionExclusive
                        + " to replay after (last is " + lastAppendedPosition + ")");
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    if (dc.index() != positionExclusive) {
                        consumer.accept(dc.index(), copy(dc.wire().bytes()));
                    }
                }
            }
        } finally {
            tailer.close();
        }
    }

    private static byte[] copy(Bytes<?> bytes) {
        byte[] document = new byte[(int) bytes.readRemaining()];
        bytes.read(document);
        return document;
    }

    @Override
    public long firstPosition() {
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toStart();
            try (DocumentContext dc = tailer.readingDocument()) {
                return dc.isPresent() ? dc.index() : NO_POSITION;
            }
        }
    }

    @Override
    public List<CycleFile> cycleFiles() {
        List<CycleFile> files = new ArrayList<>();
        try (var listing = Files.list(directory)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                int cycle = cycleFileNames.cycleOf(file.getFileName().toString());
                if (cycle >= 0 && Files.isRegularFile(file)) {
                    files.add(new CycleFile(cycle, cycleStart(cycle), file, Files.size(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal directory " + directory, e);
        }
        files.sort(Comparator.comparingInt(CycleFile::cycle));
        return files;
    }

    @Override
    public int currentCycle() {
        return queue.cycle();
    }

    @Override
    public int cycleOf(long position) {
        return rollCycle.toCycle(position);
    }

    @Override
    public long cycleStart(int cycle) {
        return rollCycle.toIndex(cycle, 0);
    }

    @Override
    public long retentionFloor() {
        return retentionFloor;
    }

    @Override
    public List<CycleFile> deleteCyclesBefore(long position) {
        assert owner.check();
        if (position == NO_POSITION) {
            return List.of();
        }
        int limit = cycleOf(position);
        if (appender != null) {
            limit = Math.min(limit, appender.cycle());
        }
        if (lastAppendedPosition != NO_POSITION) {
            limit = Math.min(limit, cycleOf(lastAppendedPosition));
        }
        List<CycleFile> victims = new ArrayList<>();
        for (CycleFile file : cycleFiles()) {
            if (file.cycle() < limit) {
                victims.add(file);
            }
        }
        if (victims.isEmpty()) {
            return victims;
        }
        // Durable floor first: a crash during the deletions leaves a floor and some files, which
        // the next deletion removes; never deleted files without a floor.
        long floor = Math.max(retentionFloor, position);
        RetentionFloor.write(directory, floor);
        retentionFloor = floor;
        deletedBelowCycle = Math.max(deletedBelowCycle, limit);
        try {
            for (CycleFile victim : victims) {
                syncer.forget(victim.cycle());
                Files.deleteIfExists(victim.file());
            }
            fsyncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("retention could not delete journal files in " + directory, e);
        }
        queue.refreshDirectoryListing();
        return victims;
    }

    private void checkNotDeleted(long position) {
        if (position != NO_POSITION && cycleOf(position) < deletedBelowCycle) {
            throw new PositionDeletedException(position, firstPosition());
        }
    }

    /** Hands append/sync ownership on: the next thread that appends becomes the owner. */
    public void releaseOwnership() {
        assert owner.check();
        owner.release();
        if (appender != null) {
            appender.singleThreadedCheckReset();
        }
    }

    Path directory() {
        return directory;
    }

    private void forceExistingFiles(boolean created) {
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        channel.force(false);
                    }
                }
            }
            fsyncDirectory(directory);
            if (created) {
                fsyncDirectory(directory.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force journal files in " + directory, e);
        }
    }

    /** fsync of a directory: makes the names of files created or renamed in it durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() {
        syncer.close();
        preallocator.close();
        if (appender != null) {
            appender.singleThreadedCheckReset();
            appender.close();
        }
        synchronized (readLock) {
            readTailer.close();
        }
        queue.close();
    }
}
