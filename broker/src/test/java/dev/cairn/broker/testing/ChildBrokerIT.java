package dev.cairn.broker.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.testing.ErrorLogGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildBrokerIT {
    @TempDir
    Path tmp;

    @Test
    void theChildsErrorLogLinesReachTheTestsErrorLogGuardAtClose() throws Exception {
        // Arrange: a real child broker; once it is gone, an ERROR line in its log (as a failing
        // child would write it).
        String line = "2026-11-26T00:00:00.000+0000 [cairn-core] ERROR dev.cairn.Probe - probe failure";
        try (ChildBroker child = ChildBroker.start(tmp.resolve("data"), tmp, Map.of())) {
            child.kill9();
            Files.writeString(child.logFile(), line + "\n", StandardOpenOption.APPEND);
            ErrorLogGuard.takeCaptured();

            // Act: close (the try block's end).
        }

        // Assert: the guard saw it (taking it here keeps this test itself from failing on it).
        List<String> captured = ErrorLogGuard.takeCaptured();
        assertEquals(1, captured.size(), captured.toString());
        assertTrue(captured.get(0).endsWith(line), captured.get(0));
    }
}
