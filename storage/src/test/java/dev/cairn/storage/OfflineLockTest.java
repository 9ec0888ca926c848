package dev.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Goal: an offline tool and a store exclude each other on one data directory, both ways. */
class OfflineLockTest {
    @TempDir
    Path dir;

    @Test
    void aToolCannotLockAnOpenStoreAndAStoreCannotOpenALockedDirectory() {
        try (TempStore store = TempStore.open(dir)) {
            DataDirectoryInUseException e =
                    assertThrows(DataDirectoryInUseException.class, () -> OfflineLock.acquire(dir));
            assertTrue(e.getMessage().contains(OfflineLock.FILE_NAME), e.getMessage());
        }
        try (OfflineLock lock = OfflineLock.acquire(dir)) {
            assertThrows(StoreOpenException.class, () -> Store.open(StoreConfig.defaults(dir)));
        }
        try (TempStore again = TempStore.open(dir)) {
            assertTrue(again.store().tailReport() != null, "opens once the tool let go");
        }
    }
}
