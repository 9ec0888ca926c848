package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SampleRecords;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.Subscribed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the tools' read-only view of the index shows what the store applied, also while the
 * store still has the index open. Method: apply a session, a subscription, a retained message and
 * queued messages, then read them through IndexReader before and after closing the store.
 */
class IndexReaderTest {
    @TempDir
    Path dir;

    @Test
    void showsSessionsQueuesAndRetainedMessagesReadOnly() {
        RocksIndexStore store = RocksIndexStore.open(dir);
        {
            List<PositionedRecord> records = new ArrayList<>();
            records.add(new PositionedRecord(10, new SessionOpened("a", false, 60, 5, 1, null)));
            records.add(new PositionedRecord(11, new Subscribed("a", "t/#", 1, 0)));
            Recipient a = new Recipient("a", 1, false, new int[0]);
            records.add(new PositionedRecord(12, SampleRecords.message("p", "t/1", 1, List.of(a))));
            records.add(new PositionedRecord(
                    13,
                    new MessageStored("p", "t/r", 1, true, new byte[0], SampleRecords.bytes("r"), 5, -1, List.of(a))));
            store.apply(records);
            try (IndexReader whileOpen = IndexReader.openReadOnly(dir)) {
                assertEquals(-1, whileOpen.appliedPosition(), "nothing flushed yet: the WAL is off");
            }
            store.close();
            try (IndexReader reader = IndexReader.openReadOnly(dir)) {
                assertEquals(13, reader.appliedPosition());
                assertEquals(1, reader.sessions().size());
                assertEquals(
                        Map.of("a", new QueueDepth(2, ("t/1" + "payload of t/1" + "t/r" + "r").length())),
                        reader.queueDepths());
                List<Long> positions = new ArrayList<>();
                reader.forEachQueueEntry((client, entry) -> positions.add(entry.position()));
                assertEquals(List.of(12L, 13L), positions);
                assertEquals(1, reader.retained().size());
                assertEquals(1, reader.subscriptions().get("a").size());
                assertEquals(IndexReader.supportedIndexFormat(), reader.indexFormat());
            }
        }
    }

    @Test
    void aMissingIndexIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IndexReader.openReadOnly(dir.resolve("none")));
    }
}
