package dev.cairn.storage.index;

import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionOpened;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RocksDB index in a temporary directory, opened before and closed after each test, and
 * records applied to it at fresh, increasing journal positions, as the broker applies its turns.
 */
abstract class IndexTestBase {
    @TempDir
    Path dir;
    /** The index under test; a test that reopens it assigns the new one here, to be closed after. */
    RocksIndexStore index;

    private long nextPosition = 100;

    @BeforeEach
    void openIndex() {
        index = RocksIndexStore.open(indexDirectory());
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    Path indexDirectory() {
        return dir.resolve("index");
    }

    /** A persistent (expiry 1 h) MQTT 5 session opening without clean start. */
    static SessionOpened opened(String clientId) {
        return new SessionOpened(clientId, false, 3600, 5, 1000, null);
    }

    /** QoS 1 recipients, no subscription ids. */
    static List<Recipient> recipients(String... clientIds) {
        List<Recipient> list = new ArrayList<>();
        for (String clientId : clientIds) {
            list.add(new Recipient(clientId, 1, false, new int[0]));
        }
        return list;
    }

    /** Applies records as one batch at fresh positions; returns the last position. */
    long apply(JournalRecord... records) {
        List<PositionedRecord> batch = positioned(records);
        index.apply(batch);
        return batch.get(batch.size() - 1).position();
    }

    /** The records at fresh positions, not applied. */
    List<PositionedRecord> positioned(JournalRecord... records) {
        List<PositionedRecord> batch = new ArrayList<>();
        for (JournalRecord record : records) {
            batch.add(new PositionedRecord(nextPosition++, record));
        }
        return batch;
    }
}
