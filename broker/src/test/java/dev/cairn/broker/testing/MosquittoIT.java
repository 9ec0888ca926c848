package dev.cairn.broker.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: what mosquitto logged is in its log file while it runs and after it is killed (before,
 * its stdout went to the file through the C library's buffer: nothing until 4 KiB or a clean
 * exit, and all of it lost to SIGKILL). Method: a real mosquitto; a socket connects; the log file
 * shows the connection while mosquitto runs, and still after {@link Mosquitto#close} killed it.
 */
class MosquittoIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void theLogFileHoldsEachLineAtOnceAndAfterAKill() throws Exception {
        Path log;
        try (Mosquitto mosquitto = Mosquitto.start(dir)) {
            log = mosquitto.logFile();
            awaitIn(log, "mosquitto version");
            try (Socket s = new Socket("127.0.0.1", mosquitto.port())) {
                awaitIn(log, "New connection from 127.0.0.1");
            }
            // Act: close() kills it (SIGKILL).
        }
        String after = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(after.contains("New connection from 127.0.0.1"), "kept after the kill:\n" + after);
    }

    private static void awaitIn(Path file, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)
                || !Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("mosquitto's log " + file + " did not show '" + text + "' within " + WAIT
                        + ":\n" + (Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)"));
            }
            Thread.sleep(20); // Polls the file; mosquitto tells nothing else.
        }
    }
}
