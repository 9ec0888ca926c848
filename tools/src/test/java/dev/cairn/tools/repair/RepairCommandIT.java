package dev.cairn.tools.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.journal.JournalCorruptor;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.GoldenJournals;
import dev.cairn.tools.LiveBroker;
import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: repair turns every damaged journal into one that verifies and that the broker starts on,
 * keeps a copy of what it removes, changes nothing on --dry-run, and refuses a locked directory.
 * Method: the damaged golden journals, and a journal made by the real broker with a byte flipped
 * inside an acknowledged message, after which the broker must deliver every other message.
 */
class RepairCommandIT {
    @TempDir
    Path dir;

    @Test
    void aTornTailGetsTheRecoveryMarkerAndACopy() throws IOException {
        GoldenJournals.unpack(GoldenJournals.TORN_TAIL, dir);

        ToolRun dry = ToolRun.run("repair", "--data-dir", dir, "--dry-run");
        assertEquals(ExitCode.PROBLEMS, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("would append TailDiscarded("), dry.out());
        assertEquals(List.of(), files("journal-broken-"), "a dry run changes nothing");
        assertEquals(ExitCode.PROBLEMS, ToolRun.run("verify", "--data-dir", dir).exitCode());

        ToolRun run = ToolRun.run("repair", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        List<Path> copies = files("journal-broken-");
        assertEquals(1, copies.size());
        assertTrue(new String(Files.readAllBytes(copies.get(0)), StandardCharsets.ISO_8859_1)
                .startsWith("CAIRN-BROKEN-TAIL 1\n"));
        ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("discarded by recovery 1"), verify.out());
        assertEquals(ExitCode.OK, ToolRun.run("repair", "--data-dir", dir).exitCode(), "nothing left to repair");
    }

    @Test
    void midJournalCorruptionIsRewrittenWithoutTheBadRecord() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir);
        ToolRun dry = ToolRun.run("repair", "--data-dir", dir, "--dry-run");
        assertEquals(ExitCode.PROBLEMS, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("would write a new journal without the 1 bad document(s)"), dry.out());
        assertEquals(List.of(), files("journal."));

        ToolRun run = ToolRun.run("repair", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("15 records kept, 1 documents removed"), run.out());
        assertEquals(1, files("journal.old-").size());
        Path removed = files("journal-removed-").get(0);
        assertEquals(JournalRewriter.REMOVED_FILE_HEADER.length() + 8 + 4 + 99, Files.size(removed));
        ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("5 queue entries"), "one queued message fewer: " + verify.out());
    }

    @Test
    void discardOldKeepsOnlyTheCopyOfRemovedDocuments() throws IOException {
        GoldenJournals.unpack(GoldenJournals.FLIPPED_BYTE, dir);
        ToolRun run = ToolRun.run("repair", "--data-dir", dir, "--discard-old");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertEquals(List.of(), files("journal.old-"));
        assertEquals(List.of(), files("index.old-"));
        assertEquals(1, files("journal-removed-").size());
    }

    @Test
    void aBrokerJournalWithAFlippedByteIsRepairedAndTheBrokerDeliversEveryOtherMessage() throws Exception {
        // Arrange: a persistent subscriber is offline while five QoS 1 messages are acknowledged.
        try (LiveBroker broker = LiveBroker.start(dir)) {
            MqttClient dashboard = broker.connect("dashboard", true, 3600, new LiveBroker.Inbox());
            dashboard.subscribe(new MqttSubscription[] {new MqttSubscription("plant/#", 1)}, null);
            dashboard.disconnect();
            MqttClient sensor = broker.connect("sensor", true, 0, null);
            for (int i = 0; i < 5; i++) {
                LiveBroker.publish(sensor, "plant/line1/temperature", "t" + i, 1, false, null);
            }
        }
        byte[] third = messageDocuments(dir.resolve("journal")).get(2);
        JournalCorruptor.flipByte(dir.resolve("journal"), third, 20);
        ToolRun before = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.PROBLEMS, before.exitCode(), before.toString());

        // Act
        ToolRun repair = ToolRun.run("repair", "--data-dir", dir);

        // Assert: clean, and the broker resumes the session with the four other messages.
        assertEquals(ExitCode.OK, repair.exitCode(), repair.toString());
        assertTrue(repair.out().contains("lost: the queue entry of 'dashboard'"), repair.out());
        ToolRun after = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(ExitCode.OK, after.exitCode(), after.toString());
        try (LiveBroker broker = LiveBroker.start(dir)) {
            LiveBroker.Inbox inbox = new LiveBroker.Inbox();
            broker.connect("dashboard", false, 3600, inbox);
            List<String> received = new ArrayList<>();
            for (LiveBroker.Inbox.Received r = inbox.poll(5_000); r != null; r = inbox.poll(500)) {
                received.add(r.text());
            }
            assertEquals(List.of("t0", "t1", "t3", "t4"), received);
        }
    }

    @Test
    void refusesWithExitCode3WhileABrokerHoldsTheLock() throws Exception {
        try (LiveBroker broker = LiveBroker.start(dir)) {
            ToolRun run = ToolRun.run("repair", "--data-dir", dir, "--dry-run");
            assertEquals(ExitCode.LOCKED, run.exitCode(), run.toString());
            assertTrue(run.err().contains("cairn.lock") && run.err().contains("stop the broker first"), run.err());
        }
    }

    private static List<byte[]> messageDocuments(Path journal) {
        List<byte[]> documents = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal);
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                if (RecordCodec.decode(d.bytes()).type() == RecordType.MESSAGE_STORED) {
                    documents.add(d.bytes());
                }
            }
        }
        return documents;
    }

    private List<Path> files(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }
}
