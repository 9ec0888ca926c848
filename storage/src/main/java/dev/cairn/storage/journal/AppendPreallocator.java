package dev.cairn.storage.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bytes just past the end of the appended records of the current cycle file written,
 * with zeros (ADR 0008), for two reasons. Allocation: Chronicle writes a cycle file through a
 * memory map, and a store into a page whose block the file system cannot allocate (a full disk)
 * is not an error a write call returns but a SIGBUS, which the JVM turns into an
 * {@code InternalError} somewhere in the append. Blocks written here with {@code pwrite} are
 * allocated before an append reaches them, and a full disk is an {@link IOException} here, before
 * the append: {@link #reserve} says whether the next record fits into written blocks, and the
 * journal refuses the record when it does not. Speed, under {@code durability = fsync}: blocks
 * that are already allocated make each {@code fdatasync} write data only, not the inode's new
 * extents (227 µs against 136 µs per sync on the benchmark machine).
 *
 * <p>Safety: it writes only at or after the end of the last append, where Chronicle has written
 * nothing (a cycle file is zero past its last record, which is also what recovery reads as its
 * end), and it runs on the journal's owner thread, the only thread that appends, so no append can
 * be writing there at the same time. Zeros over zeros change no content; the page cache is shared
 * by the channel's writes and the memory map. A failed write (a full disk, say) makes the
 * preallocator {@link #exhausted}: a WARN says so once, the journal takes only records that fit
 * into the blocks already written, and {@link #retry} (the next append, or the broker's periodic
 * check) tries again until a write succeeds.
 */
final class AppendPreallocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendPreallocator.class);
    /** Bytes zeroed at a time (a page per write), then written by the next sync. */
    static final int STEP = 1 << 20;
    /** Zeroed bytes kept ahead of the end of the last append. */
    static final int LEAD = 1 << 20;
    /**
     * Bytes Chronicle may write before a record's frame: the document header, and an index array
     * it starts at the write position every indexCount x indexSpacing records (4,096 entries of 8
     * bytes for the hourly and daily cycles, 2,048 for five-minutely), with its own header.
     */
    static final int CHRONICLE_OVERHEAD = 64 * 1024;

    private static final int PAGE = 4096;

    /** Opens a cycle file for the zeros; a seam for tests of the failure path. */
    interface Opener {
        FileChannel open(File file) throws IOException;
    }

    private final Opener opener;
    private ByteBuffer zeros;
    private File file;
    private FileChannel channel;
    /** Offset below which the current file is written (records, then zeros). */
    private long writtenThrough;
    /** End of the last append to the current file. */
    private long appendedThrough;
    /** The last attempt to write ahead failed; cleared by the first one that succeeds. */
    private boolean exhausted;

    AppendPreallocator() {
        this(file -> FileChannel.open(file.toPath(), StandardOpenOption.WRITE));
    }

    AppendPreallocator(Opener opener) {
        this.opener = opener;
    }

    /** Appends now go to {@code file}, a cycle file Chronicle has created. */
    void startCycle(File file) {
        closeChannel();
        this.file = file;
        this.writtenThrough = 0;
        this.appendedThrough = 0;
    }

    /** Whether {@link #startCycle} named a file. */
    boolean started() {
        return file != null;
    }

    /**
     * The last append to the current cycle file ended at byte {@code endOffset}: keeps at least
     * {@link #LEAD} written bytes ahead of it when it can. A failure only marks {@link #exhausted};
     * the record is in blocks written before it.
     */
    void appended(long endOffset) {
        appendedThrough = Math.max(appendedThrough, endOffset);
        writeAheadThrough(endOffset + LEAD);
    }

    /**
     * Whether a record of {@code frameBytes} appended now lands in written blocks: writes ahead
     * as far as it needs (and a lead beyond, if it can) and answers false when the blocks for the
     * record itself cannot be written, e.g. the disk is full. Then the record must not be appended.
     */
    boolean reserve(int frameBytes) {
        long needed = appendedThrough + CHRONICLE_OVERHEAD + frameBytes;
        if (needed > writtenThrough || exhausted) {
            writeAheadThrough(Math.max(needed, appendedThrough + LEAD));
        }
        return needed <= writtenThrough;
    }

    /** The last attempt to write ahead failed; appends that need new blocks are refused until one succeeds. */
    boolean exhausted() {
        return exhausted;
    }

    /** Tries to write the lead again after a failure; returns whether the preallocator is no longer exhausted. */
    boolean retry() {
        if (exhausted && file != null) {
            writeAheadThrough(appendedThrough + LEAD);
        }
        return !exhausted;
    }

    private void writeAheadThrough(long target) {
        if (target <= writtenThrough && !exhausted) {
            return;
        }
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(PAGE);
        }
        try {
            if (channel == null) {
                channel = opener.open(file);
            }
            // Aligned to the page, so each write covers whole blocks; the bytes between the end of
            // the append and the page boundary share a block that the append has allocated.
            long next = Math.max(writtenThrough, roundUpToPage(appendedThrough));
            while (next < target) {
                writePages(next);
                next += STEP;
            }
            if (exhausted) {
                exhausted = false;
                LOG.info(
                        "journal file {} can be written ahead of its records again: the journal takes new records",
                        file);
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /**
     * Writes {@link #STEP} bytes of zeros from {@code offset}, one page per write, and moves
     * {@link #writtenThrough} with each page, so a failure midway keeps what was written. A larger
     * write makes the page cache hold the range in large folios (ext4 on recent kernels sizes a
     * buffered write's folios by the write), and writeback writes a dirty folio whole: every sync
     * would then write tens or hundreds of KiB around the few appended bytes (1 GB/s to the device
     * for 12 MB/s of records in the QoS 1 benchmark, against 90 MB/s without preallocation).
     */
    private void writePages(long offset) throws IOException {
        for (long page = offset; page < offset + STEP; page += PAGE) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros, page + zeros.position());
            }
            writtenThrough = Math.max(writtenThrough, page + PAGE);
        }
    }

    private void failed(IOException e) {
        if (!exhausted) {
            exhausted = true;
            LOG.warn(
                    "cannot write journal file {} ahead of its records ({}): the disk is probably full. The journal"
                            + " appends only what fits into the {} bytes written ahead and refuses the rest, so no append"
                            + " ever lands in a block the file system has not allocated; it tries again until a write"
                            + " succeeds",
                    file,
                    e.toString(),
                    Math.max(0, writtenThrough - appendedThrough));
        }
        closeChannel();
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn(
                    "closing the preallocation channel of journal file {} failed ({}); nothing to lose, the zeros"
                            + " are in the page cache and the next sync writes them",
                    file,
                    e.toString());
        }
        channel = null;
    }

    private static long roundUpToPage(long offset) {
        return (offset + PAGE - 1) & -PAGE;
    }

    @Override
    public void close() {
        closeChannel();
    }
}
