package dev.cairn.storage.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Damages a closed journal the way disks and power cuts do: flips a byte, zeroes the end of a
 * record (a torn write), truncates a cycle file. Records are found by their exact frame bytes
 * ({@code RecordCodec.encode} is deterministic), so no knowledge of Chronicle's file layout is
 * needed. Use only while no journal has the directory open.
 */
public final class JournalCorruptor {
    private JournalCorruptor() {}

    /** Flips every bit of the byte at {@code offsetInFrame} of the record whose frame is given. */
    public static void flipByte(Path journalDir, byte[] frame, int offsetInFrame) throws IOException {
        Location at = locate(journalDir, frame);
        try (RandomAccessFile file = new RandomAccessFile(at.file.toFile(), "rw")) {
            file.seek(at.offset + offsetInFrame);
            int value = file.read();
            file.seek(at.offset + offsetInFrame);
            file.write(value ^ 0xFF);
        }
    }

    /** Zeroes the frame from {@code fromOffsetInFrame} to its end: pages that never reached disk. */
    public static void tear(Path journalDir, byte[] frame, int fromOffsetInFrame) throws IOException {
        Location at = locate(journalDir, frame);
        try (RandomAccessFile file = new RandomAccessFile(at.file.toFile(), "rw")) {
            file.seek(at.offset + fromOffsetInFrame);
            file.write(new byte[frame.length - fromOffsetInFrame]);
        }
    }

    /** Cuts the cycle file holding the record just after the first {@code keepBytes} of its frame. */
    public static void truncateInside(Path journalDir, byte[] frame, int keepBytes) throws IOException {
        Location at = locate(journalDir, frame);
        try (FileChannel channel = FileChannel.open(at.file, StandardOpenOption.WRITE)) {
            channel.truncate(at.offset + keepBytes);
        }
    }

    /** The cycle files of a journal, oldest first. */
    public static List<Path> cycleFiles(Path journalDir) throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4"))
                    .sorted()
                    .toList();
        }
    }

    private record Location(Path file, long offset) {}

    private static Location locate(Path journalDir, byte[] frame) throws IOException {
        List<Location> found = new ArrayList<>();
        for (Path file : cycleFiles(journalDir)) {
            byte[] content = Files.readAllBytes(file);
            for (int i = indexOf(content, frame, 0); i >= 0; i = indexOf(content, frame, i + 1)) {
                found.add(new Location(file, i));
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected the frame exactly once in the journal, found " + found.size());
        }
        return found.get(0);
    }

    private static int indexOf(byte[] content, byte[] frame, int from) {
        outer:
        for (int i = from; i <= content.length - frame.length; i++) {
            for (int j = 0; j < frame.length; j++) {
                if (content[i + j] != frame[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
