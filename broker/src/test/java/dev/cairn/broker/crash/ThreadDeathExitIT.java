package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a broker whose core thread dies ends its process with exit status 70 within a bounded
 * time, its port closed, instead of staying up with the port open and nothing answering (which no
 * supervisor restarts). Method: a real broker in a child JVM; the test truncates the journal's
 * cycle file under it, as an operator's mistake could, so the next append through the memory map
 * faults (SIGBUS, thrown by the JVM as an InternalError on the core thread).
 */
class ThreadDeathExitIT {
    private static final Duration EXIT_BOUND = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @ExpectedErrorLog({"core loop failed", "a thread the broker cannot run without failed"})
    void aCoreThreadKilledByAFaultInTheJournalEndsTheProcessWithExitStatus70() throws Exception {
        Path data = dir.resolve("data");
        try (ChildBroker broker = ChildBroker.start(data, dir, Map.of())) {
            try (RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5)) {
                client.send(new Packet.Connect(
                        ProtocolVersion.MQTT_5, "pub", true, 60, null, null, null, Properties.EMPTY));
                assertEquals(
                        ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
                client.send(publish(1, "before"));
                assertEquals(
                        ReasonCode.NO_MATCHING_SUBSCRIBERS,
                        client.receive(Packet.PubAck.class).reason());

                // Act: the cycle file loses its pages under the memory map; the next append faults.
                truncateCycleFiles(data.resolve("journal"));
                client.send(publish(2, "after"));

                // Assert: the process ends by itself, non-zero (70), and nothing listens any more.
                int status = broker.awaitExit(EXIT_BOUND);
                assertEquals(70, status, broker.log());
                assertTrue(broker.log().contains("core loop failed"), broker.log());
                assertThrows(
                        IOException.class,
                        () -> new Socket(broker.host(), broker.port()).close(),
                        "the port is closed");
            }
        }
    }

    private static Packet.Publish publish(int packetId, String payload) {
        return new Packet.Publish(
                "t",
                QoS.AT_LEAST_ONCE,
                false,
                false,
                packetId,
                Properties.EMPTY,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static void truncateCycleFiles(Path journal) throws IOException {
        List<Path> cycles;
        try (var files = Files.list(journal)) {
            cycles = files.filter(f -> f.getFileName().toString().endsWith(".cq4"))
                    .toList();
        }
        assertNotEquals(0, cycles.size(), "no cycle file in " + journal);
        for (Path cycle : cycles) {
            try (FileChannel channel = FileChannel.open(cycle, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
        }
    }
}
