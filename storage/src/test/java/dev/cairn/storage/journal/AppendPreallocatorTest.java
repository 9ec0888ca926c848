package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the zeros go past the last record, a step at a time; a failed write never throws into an
 * append, but a record that does not fit into the blocks written before it is refused (ADR 0008).
 */
class AppendPreallocatorTest {
    private static final int STEP = AppendPreallocator.STEP;
    private static final int LEAD = AppendPreallocator.LEAD;

    @TempDir
    Path dir;

    @Test
    void zerosStartAtThePageAfterTheLastRecordAndStayOneLeadAheadStepByStep() throws Exception {
        File file = fileOfRecords("cycle.cq4", 10_000);
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(), file, 10_000)) {
            long firstStepEnd = 12_288 + STEP;
            assertEquals(firstStepEnd, file.length(), "one step from the page boundary after the record");
            assertRecordsThenZeros(file, 10_000);

            preallocator.appended(firstStepEnd - LEAD);
            assertEquals(firstStepEnd, file.length(), "a whole lead still ahead: nothing written");

            preallocator.appended(firstStepEnd - LEAD + 1);
            assertEquals(firstStepEnd + STEP, file.length(), "less than a lead ahead: the next step");
            assertRecordsThenZeros(file, 10_000);
        }
    }

    @Test
    void aRecordLongerThanTheLeadIsNotZeroedOverAndTheZerosFollowIt() throws Exception {
        File file = fileOfRecords("cycle.cq4", 100);
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(), file, 100)) {
            // One append ran past every zero written so far: Chronicle wrote its bytes there.
            writeRecordBytes(file, 100, 3 * STEP);
            preallocator.appended(100 + 3 * STEP);

            assertEquals(4_096 + 3 * STEP + STEP, file.length());
            assertRecordsThenZeros(file, 100 + 3 * STEP);
        }
    }

    @Test
    void aFailedWriteNeverThrowsButRefusesRecordsBeyondTheWrittenBlocksUntilAWriteSucceeds() throws Exception {
        File file = fileOfRecords("cycle.cq4", 5_000);
        boolean[] full = {false};
        AppendPreallocator.Opener fullWhenAsked = f -> {
            FileChannel channel = FileChannel.open(f.toPath(), StandardOpenOption.WRITE);
            if (full[0]) {
                channel.close(); // every write now fails with ClosedChannelException, an IOException
            }
            return channel;
        };
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(fullWhenAsked), file, 5_000)) {
            long written = 8_192 + STEP;
            assertEquals(written, file.length());
            full[0] = true;
            // The channel is reopened (and fails) only after a failure: make the next step fail.
            preallocator.startCycle(file);
            preallocator.appended(5_000);
            assertTrue(preallocator.exhausted(), "a failed write marks the preallocator exhausted");
            assertFalse(preallocator.reserve(100), "nothing written ahead in this file: no room for a record");
            assertFalse(preallocator.retry());
            assertEquals(written, file.length(), "nothing written while writes fail");

            full[0] = false;
            assertTrue(preallocator.retry(), "writes succeed again");
            assertFalse(preallocator.exhausted());
            assertTrue(preallocator.reserve(100));
            assertRecordsThenZeros(file, 5_000);
        }
    }

    @Test
    void aRecordFitsOnlyIntoBlocksWrittenBeforeIt() throws Exception {
        File file = fileOfRecords("cycle.cq4", 5_000);
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(), file, 5_000)) {
            long written = file.length();
            // A record longer than what is written ahead: the blocks it needs are written first.
            assertTrue(preallocator.reserve(3 * STEP));
            assertTrue(
                    file.length() >= 5_000 + AppendPreallocator.CHRONICLE_OVERHEAD + 3 * STEP,
                    "written through " + file.length() + " before the record, was " + written);
            assertRecordsThenZeros(file, 5_000);
        }
    }

    @Test
    void aCycleFileThatCannotBeOpenedTakesNoRecordUntilItCan() throws Exception {
        File file = fileOfRecords("cycle.cq4", 5_000);
        boolean[] failing = {true};
        AppendPreallocator.Opener opener = f -> {
            if (failing[0]) {
                throw new java.nio.file.AccessDeniedException(f.toString());
            }
            return FileChannel.open(f.toPath(), StandardOpenOption.WRITE);
        };
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(opener), file, 5_000)) {
            assertEquals(5_000, file.length());
            assertTrue(preallocator.exhausted());
            assertFalse(preallocator.reserve(10));
            failing[0] = false;
            assertTrue(preallocator.reserve(10));
            assertEquals(8_192 + STEP, file.length());
        }
    }

    private static AppendPreallocator startedAfter(AppendPreallocator preallocator, File file, long end) {
        preallocator.startCycle(file);
        preallocator.appended(end);
        return preallocator;
    }

    /** A file whose first {@code length} bytes are non-zero, standing for appended records. */
    private File fileOfRecords(String name, int length) throws Exception {
        Path path = dir.resolve(name);
        byte[] records = new byte[length];
        Arrays.fill(records, (byte) 0x7F);
        Files.write(path, records);
        return path.toFile();
    }

    private static void writeRecordBytes(File file, long offset, int length) throws Exception {
        byte[] records = new byte[length];
        Arrays.fill(records, (byte) 0x7F);
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(records);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    private static void assertRecordsThenZeros(File file, int recordBytes) throws Exception {
        byte[] content = Files.readAllBytes(file.toPath());
        for (int i = 0; i < content.length; i++) {
            byte expected = i < recordBytes ? (byte) 0x7F : 0;
            if (content[i] != expected) {
                throw new AssertionError("byte " + i + " of " + file + " is " + content[i] + ", expected " + expected
                        + " (records end at " + recordBytes + ")");
            }
        }
    }
}
