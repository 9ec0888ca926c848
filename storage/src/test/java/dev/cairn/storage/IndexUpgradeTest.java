package dev.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.storage.index.OldIndexFormats;
import dev.cairn.storage.index.QueueDepth;
import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionOpened;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: an index written before message sizes were kept (format 2) is upgraded when the store
 * opens, with the sizes read from the journal, so the broker's byte limit sees the real queue.
 * Method: a store queues messages, its closed index is rewritten as format 2 wrote it, the store
 * opens again.
 */
class IndexUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void openingAnIndexOfFormat2AddsTheSizesFromTheJournal() throws Exception {
        List<JournalRecord> records = new ArrayList<>();
        records.add(new SessionOpened("a", false, 3600, 5, 1000, null));
        for (int i = 0; i < 5; i++) {
            records.add(message("t/" + i, "x".repeat(10 * i)));
        }
        long expectedBytes = 0;
        for (int i = 1; i < 5; i++) {
            expectedBytes += 3 + 10 * i; // The first one is acknowledged below.
        }
        try (TempStore store = TempStore.open(dir)) {
            List<PositionedRecord> written = store.commit(records);
            store.commit(List.of(new DeliveryAcknowledged("a", written.get(1).position())));
        }
        OldIndexFormats.rewriteAs(dir.resolve("index"), 2);

        try (TempStore reopened = TempStore.open(dir)) {
            assertEquals(
                    new QueueDepth(4, expectedBytes), reopened.store().index().queueDepth("a"));
            assertEquals(
                    new QueueDepth(4, expectedBytes),
                    reopened.store().recoveredState().sessions().get(0).queueDepth());
        }
    }

    private static MessageStored message(String topic, String payload) {
        return new MessageStored(
                "pub",
                topic,
                1,
                false,
                new byte[0],
                payload.getBytes(StandardCharsets.UTF_8),
                1,
                -1,
                List.of(new Recipient("a", 1, false, new int[0])));
    }
}
