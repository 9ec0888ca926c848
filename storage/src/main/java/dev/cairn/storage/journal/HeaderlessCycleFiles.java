package dev.cairn.storage.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.ValueIn;
import net.openhft.chronicle.wire.Wire;
import net.openhft.chronicle.wire.WireType;

/**
 * Cycle files whose Chronicle header was never finished. Chronicle creates a cycle file when the
 * first record of a new cycle is appended and sizes it (sparse); it then claims the file's first
 * header word ("not complete"), writes the header, writes the index of indexes (a metadata
 * document), and only then marks the first header complete. Records are appended only after
 * that. A process killed anywhere in between leaves an empty file, or a file whose first header
 * word is zero or still says "not complete", and Chronicle then waits for "the other writer" to
 * finish that header when it opens the queue (forever for zeros, about half a minute for an empty
 * file, and well past any start-up timeout for the other case). So the journal deals with such
 * files before Chronicle sees them.
 *
 * <p>Such a file is removable when it provably holds no record: it is empty, every byte is zero, or
 * the header is marked not complete and nothing but the header, metadata documents and zeros
 * follows ({@link #holdsNoRecord}). Anything else is not what a crash leaves, and is refused.
 */
final class HeaderlessCycleFiles {
    private static final int HEADER_BYTES = 4;
    /** Chronicle's header word: a document still being written. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** Chronicle's header word: a metadata document (not a record). */
    private static final int META_DATA = 0x4000_0000;

    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    /**
     * How far the documents written while a cycle file is created can reach: the header (about
     * 200 bytes) and the index of indexes (8 bytes per entry, at most 4,096 entries for the roll
     * cycles the journal uses). Generous, so that a crash never leaves a file this check refuses.
     */
    private static final int CREATION_BYTES_MAX = 1 << 20;

    private HeaderlessCycleFiles() {}

    /** The {@code .cq4} files in {@code directory} whose first header word was never completed, by name. */
    static List<Path> find(Path directory) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().endsWith(CycleFileNames.SUFFIX)
                        && Files.isRegularFile(file)
                        && headerUnfinished(file)) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal directory " + directory, e);
        }
        return found;
    }

    private static boolean headerUnfinished(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(HEADER_BYTES);
            if (header.length == 0) {
                return true; // Created but never sized: the kill came right after the file was made.
            }
            if (header.length < HEADER_BYTES) {
                return false; // Not a Chronicle file at all; Chronicle reports it.
            }
            int word = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return word == 0 || (word & NOT_COMPLETE) != 0;
        }
    }

    /**
     * Whether {@code file}, one that {@link #find} returned, provably holds no record: it is empty,
     * all of it is zero, or its first header is marked not complete and what follows is the header's
     * content, complete metadata documents (the index of indexes) or one still being written,
     * then zeros to the end. A record (a complete data document), or bytes past where the
     * creation's documents end, make it not removable.
     */
    static boolean holdsNoRecord(Path file) {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(CREATION_BYTES_MAX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal cycle file " + file, e);
        }
        if (start.length < HEADER_BYTES) {
            return start.length == 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
        int first = buffer.getInt(0);
        long contentEnd;
        if (first == 0) {
            contentEnd = 0;
        } else {
            contentEnd = endOfCreationDocuments(start, buffer);
            if (contentEnd < 0) {
                return false;
            }
        }
        return zeroFrom(file, start, contentEnd);
    }

    /**
     * The offset where the documents of an unfinished creation end, or -1 if a record follows the
     * header. A header whose content cannot be read was cut short, so nothing was written after
     * it: its end is bounded by the documents' maximum.
     */
    private static long endOfCreationDocuments(byte[] start, ByteBuffer buffer) {
        int position = headerContentEnd(start);
        if (position < 0) {
            return Math.min(start.length, CREATION_BYTES_MAX);
        }
        while (true) {
            position = align4(position);
            if (position + HEADER_BYTES > start.length) {
                return start.length;
            }
            int word = buffer.getInt(position);
            if (word == 0) {
                return position;
            }
            int length = word & LENGTH_MASK;
            if ((word & NOT_COMPLETE) != 0) {
                // A metadata document being written when the process died: its bytes end at its
                // length if known, else anywhere up to the bound.
                return length == 0 ? start.length : Math.min(start.length, (long) position + HEADER_BYTES + length);
            }
            if ((word & META_DATA) == 0) {
                return -1; // A complete record: this file is not what an interrupted creation leaves.
            }
            position += HEADER_BYTES + length;
            if (position < 0 || position > start.length) {
                return start.length;
            }
        }
    }

    /** The end of the first header's content (Chronicle's binary wire), or -1 if it does not parse. */
    private static int headerContentEnd(byte[] start) {
        try {
            Bytes<?> bytes = Bytes.wrapForRead(start);
            bytes.readPosition(HEADER_BYTES);
            Wire wire = WireType.BINARY_LIGHT.apply(bytes);
            StringBuilder event = new StringBuilder();
            ValueIn value = wire.readEventName(event);
            if (!"header".contentEquals(event)) {
                return -1;
            }
            value.skipValue();
            long end = bytes.readPosition();
            return end > HEADER_BYTES && end <= start.length ? (int) end : -1;
        } catch (RuntimeException e) {
            return -1; // Cut short by the kill: the bound applies.
        }
    }

    private static int align4(int position) {
        return (position + 3) & ~3;
    }

    /** Whether every byte of {@code file} from {@code offset} on is zero ({@code start} is its beginning). */
    private static boolean zeroFrom(Path file, byte[] start, long offset) {
        for (int i = (int) Math.min(offset, start.length); i < start.length; i++) {
            if (start[i] != 0) {
                return false;
            }
        }
        if (start.length < CREATION_BYTES_MAX) {
            return true;
        }
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(start.length);
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal cycle file " + file, e);
        }
    }
}
