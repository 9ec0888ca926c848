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
 * with zeros, under {@code durability = fsync} (ADR 0008). Chronicle grows a cycle file as a
 * sparse file and writes it through a memory map, so every turn's records land in blocks the file
 * system has not allocated yet, and every {@code fdatasync} then writes the block allocation (the
 * inode and its extents) as well as the data: on the benchmark machine 227 µs against 136 µs for
 * the same write into blocks written before. Writing zeros ahead, a step at a time, moves that
 * cost to one allocation per step; the next sync makes the zeros durable with the turn's records.
 *
 * <p>Safety: it writes only at or after the end of the last append, where Chronicle has written
 * nothing (a cycle file is zero past its last record, which is also what recovery reads as its
 * end), and it runs on the journal's owner thread, the only thread that appends, so no append can
 * be writing there at the same time. Zeros over zeros change no content; the page cache is shared
 * by the channel's writes and the memory map. A failed write (a full disk, say) is logged and
 * preallocation stops until the next cycle file: it changes speed, never what is written or
 * when it is durable.
 */
final class AppendPreallocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendPreallocator.class);
    /** Bytes zeroed at a time (a page per write), then written by the next sync. */
    static final int STEP = 1 << 20;
    /** Zeroed bytes kept ahead of the end of the last append. */
    static final int LEAD = 1 << 20;
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
        try {
            channel = opener.open(file);
        } catch (IOException e) {
            failed(e);
        }
    }

    /** The last append to the current cycle file ended at byte {@code endOffset}. */
    void appended(long endOffset) {
        if (channel == null || endOffset + LEAD <= writtenThrough) {
            return;
        }
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(PAGE);
        }
        try {
            // Aligned to the page, so each write covers whole blocks; the bytes between the end of
            // the append and the page boundary share a block that the append has allocated.
            long next = Math.max(writtenThrough, roundUpToPage(endOffset));
            while (next < endOffset + LEAD) {
                writePages(next);
                next += STEP;
                writtenThrough = next;
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /**
     * Writes {@link #STEP} bytes of zeros from {@code offset}, one page per write. A larger write
     * makes the page cache hold the range in large folios (ext4 on recent kernels sizes a buffered
     * write's folios by the write), and writeback writes a dirty folio whole: every sync would then
     * write tens or hundreds of KiB around the few appended bytes (1 GB/s to the device for 12 MB/s
     * of records in the QoS 1 benchmark, against 90 MB/s without preallocation).
     */
    private void writePages(long offset) throws IOException {
        for (long page = offset; page < offset + STEP; page += PAGE) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros, page + zeros.position());
            }
        }
    }

    private void failed(IOException e) {
        LOG.warn("cannot preallocate journal file {} past its last record ({}); appends go on into unallocated"
                + " blocks, each sync a little slower, until the next cycle file", file, e.toString());
        closeChannel();
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the preallocation channel of journal file {} failed ({}); nothing to lose, the zeros"
                    + " are in the page cache and the next sync writes them", file, e.toString());
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
