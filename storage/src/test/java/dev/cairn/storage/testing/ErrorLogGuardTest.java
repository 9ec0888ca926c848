package dev.cairn.storage.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ErrorLogGuardTest {
    @Test
    @ExpectedErrorLog("guard self-test")
    void anErrorLoggedThroughSlf4jIsCaptured() {
        // Act
        LoggerFactory.getLogger(ErrorLogGuardTest.class).error("guard self-test: {}", "captured");
        LoggerFactory.getLogger(ErrorLogGuardTest.class).warn("a warning is not an error");

        // Assert
        List<String> captured = ErrorLogGuard.takeCaptured();
        assertEquals(1, captured.size(), captured.toString());
        assertTrue(
                captured.get(0)
                        .contains("ERROR dev.cairn.storage.testing.ErrorLogGuardTest - guard self-test: captured"),
                captured.get(0));
    }

    @Test
    void onlyLinesMatchingNoExpectedSubstringAreUnexpected() {
        List<String> lines =
                List.of("[cairn-core] ERROR a.B - journal is corrupt at 42", "[main] ERROR c.D - something else broke");

        assertEquals(
                List.of("[main] ERROR c.D - something else broke"),
                ErrorLogGuard.unexpected(lines, List.of("journal is corrupt")));
        assertEquals(lines, ErrorLogGuard.unexpected(lines, List.of()));
        assertEquals(List.of(), ErrorLogGuard.unexpected(lines, List.of("ERROR")));
    }
}
