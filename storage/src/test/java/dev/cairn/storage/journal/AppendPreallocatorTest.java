package dev.cairn.storage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal: the zeros go past the last record, a step at a time, and a failure never reaches an append (ADR 0008). */
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
    void aFailedWriteNeverReachesTheAppendAndTheNextCycleFilePreallocatesAgain() throws Exception {
        File broken = fileOfRecords("broken.cq4", 5_000);
        File next = fileOfRecords("next.cq4", 5_000);
        AppendPreallocator.Opener closedForBroken = file -> {
            FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE);
            if (file.equals(broken)) {
                channel.close(); // every write now fails with ClosedChannelException, an IOException
            }
            return channel;
        };
        try (AppendPreallocator preallocator = new AppendPreallocator(closedForBroken)) {
            preallocator.startCycle(broken);
            preallocator.appended(5_000);
            preallocator.appended(6_000);
            assertEquals(5_000, broken.length(), "nothing written to the file whose writes fail");
            assertRecordsThenZeros(broken, 5_000);

            preallocator.startCycle(next);
            preallocator.appended(5_000);
            assertEquals(8_192 + STEP, next.length());
            assertRecordsThenZeros(next, 5_000);
        }
    }

    @Test
    void aCycleFileThatCannotBeOpenedIsLeftAsItIs() throws Exception {
        File file = fileOfRecords("cycle.cq4", 5_000);
        AppendPreallocator.Opener failing = f -> {
            throw new java.nio.file.AccessDeniedException(f.toString());
        };
        try (AppendPreallocator preallocator = startedAfter(new AppendPreallocator(failing), file, 5_000)) {
            assertEquals(5_000, file.length());
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
