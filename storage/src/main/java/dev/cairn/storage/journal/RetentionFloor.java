package dev.cairn.storage.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file {@code <journal>/retention-floor}: the position below which retention may have deleted
 * records. Text: {@code CAIRN-RETENTION-FLOOR 1\n<position>\n}. Written to a temporary file, forced,
 * renamed over the old one, then the directory is forced, so it is durable before any cycle file
 * is deleted. Chronicle ignores files without the {@code .cq4} suffix.
 */
final class RetentionFloor {
    static final String FILE_NAME = "retention-floor";
    private static final String HEADER = "CAIRN-RETENTION-FLOOR 1";

    private RetentionFloor() {}

    static long read(Path journalDirectory) {
        Path file = journalDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Journal.NO_POSITION;
        }
        try {
            String[] lines = Files.readString(file, StandardCharsets.US_ASCII).split("\n");
            if (lines.length < 2 || !lines[0].equals(HEADER)) {
                throw new JournalFormatException(
                        file, file + " is not a retention floor file (no '" + HEADER + "' line)");
            }
            return Long.parseLong(lines[1].trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new JournalFormatException(file, file + " holds no position: " + e.getMessage(), e);
        }
    }

    static void write(Path journalDirectory, long position) {
        Path file = journalDirectory.resolve(FILE_NAME);
        Path temp = journalDirectory.resolve(FILE_NAME + ".tmp");
        byte[] content = (HEADER + "\n" + position + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ChronicleJournal.fsyncDirectory(journalDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
