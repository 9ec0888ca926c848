package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the retention floor file round-trips, and a damaged one is refused naming the file.
 * Method: write it, read it back, then overwrite it with what a damaged disk or a hand edit leaves.
 */
class RetentionFloorTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenFloorReadsBackAndNoFileMeansNoFloor() {
        assertEquals(Journal.NO_POSITION, RetentionFloor.read(dir));
        RetentionFloor.write(dir, 1234L);
        assertEquals(1234L, RetentionFloor.read(dir));
    }

    @Test
    void aFloorFileWithoutItsHeaderOrPositionIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve(RetentionFloor.FILE_NAME);
        Files.writeString(file, "something else\n12\n", StandardCharsets.US_ASCII);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> RetentionFloor.read(dir));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file + " is not a retention floor file"), e.getMessage());

        Files.writeString(file, "CAIRN-RETENTION-FLOOR 1\nlots\n", StandardCharsets.US_ASCII);
        e = assertThrows(JournalFormatException.class, () -> RetentionFloor.read(dir));
        assertTrue(e.getMessage().contains(file + " holds no position"), e.getMessage());
    }
}
