package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The index's memtables stay within the bound given at open (ARCHITECTURE.md, Invariants: nothing grows without
 * bound in memory) by flushing to SST files, and nothing is lost by those flushes.
 */
class IndexMemoryTest extends IndexTestBase {
    private static final long BOUND = RocksIndexStore.MEMTABLE_BYTES_MIN;
    /** RocksDB flushes once the memtables pass 7/8 of the bound; a batch may land while it runs. */
    private static final long BOUND_WITH_SLACK = BOUND + BOUND / 2;
    /** Enough queue entries to need several times the bound in memtables if nothing flushed. */
    private static final int MESSAGES = 40_000;

    private static final int BATCH = 500;
    private static final byte[] PAYLOAD = "p".repeat(100).getBytes(StandardCharsets.UTF_8);
    /** Every topic is "plant/line" and six digits: 16 bytes, so a message queues 116 bytes. */
    private static final long QUEUED_BYTES_PER_MESSAGE = 16 + PAYLOAD.length;

    @Test
    void memtablesStayWithinTheBoundWhileAnOfflineQueueGrows() {
        index.close();
        index = RocksIndexStore.open(indexDirectory(), BOUND);

        long highest = fillOfflineQueue();

        assertTrue(highest <= BOUND_WITH_SLACK, "memtables reached " + highest + " bytes, bound " + BOUND);
        assertEquals(new QueueDepth(MESSAGES, MESSAGES * QUEUED_BYTES_PER_MESSAGE), index.queueDepth("offline"));
        index.close();
        index = RocksIndexStore.open(indexDirectory(), BOUND);
        assertEquals(
                MESSAGES,
                index.queueScan("offline", -1, MESSAGES + 1).size(),
                "every queue entry survives the flushes and a reopen");
    }

    @Test
    void withTheDefaultBoundTheSameQueueStaysInMemtables() {
        long highest = fillOfflineQueue();

        // So the test above measures the bound: without it this workload exceeds it.
        assertTrue(highest > BOUND_WITH_SLACK, "memtables reached only " + highest + " bytes");
    }

    @Test
    void refusesABoundTooSmallToWorkWith() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RocksIndexStore.open(dir.resolve("other"), BOUND - 1));
        assertTrue(e.getMessage().contains("at least " + BOUND), e.getMessage());
    }

    /** Queues {@link #MESSAGES} messages for one offline session; returns the highest memtable size seen. */
    private long fillOfflineQueue() {
        apply(opened("offline"));
        long highest = 0;
        for (int sent = 0; sent < MESSAGES; sent += BATCH) {
            JournalRecord[] batch = new JournalRecord[BATCH];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = new MessageStored(
                        "pub",
                        String.format("plant/line%06d", sent + i),
                        1,
                        false,
                        new byte[0],
                        PAYLOAD,
                        1,
                        -1,
                        recipients("offline"));
            }
            apply(batch);
            highest = Math.max(highest, index.memtableBytes());
        }
        return highest;
    }
}
