package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.RecordCodec;
import dev.cairn.storage.record.SessionOpened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the checked-in golden journals are what {@link GoldenJournals} says they are, and stay
 * small. Method: unpack the clean one and decode every document; the regeneration "test" runs
 * only when asked for with {@code -Dcairn.golden.regenerate=true}.
 */
class GoldenJournalsTest {
    @TempDir
    Path dir;

    @Test
    void cleanGoldenHoldsExactlyTheWorkloadTypesAndTimes() throws IOException {
        GoldenJournals.unpack(GoldenJournals.CLEAN, dir);
        List<JournalRecord> read = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir.resolve("journal"));
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                read.add(RecordCodec.decode(d.bytes()));
            }
        }
        List<JournalRecord> expected = GoldenJournals.workload();
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).type(), read.get(i).type(), "record " + i);
            if (expected.get(i) instanceof MessageStored) {
                assertEquals(expected.get(i), read.get(i), "record " + i);
            }
        }
    }

    /** Every format version's clean golden journal still decodes, and verify finds nothing wrong. */
    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void cleanGoldenOfEveryFormatVersionDecodesAndVerifies(int version) throws IOException {
        GoldenJournals.unpack(GoldenJournals.clean(version), dir);
        int documents = 0;
        try (JournalReader reader = JournalReader.open(dir.resolve("journal"));
                JournalReader.Cursor cursor = reader.cursor(-1)) {
            for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                assertEquals(version, d.bytes()[1], "format version byte of document " + documents);
                JournalRecord expected = GoldenJournals.workload().get(documents);
                JournalRecord record = RecordCodec.decode(d.bytes());
                assertEquals(expected.type(), record.type());
                if (record instanceof SessionOpened opened) {
                    // Owners are journaled from version 4 on; older sessions' owners are not known.
                    assertEquals(version >= 4 ? ((SessionOpened) expected).owner() : null, opened.owner());
                }
                documents++;
            }
        }
        assertEquals(GoldenJournals.workload().size(), documents);
        ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(0, verify.exitCode(), verify.toString());
    }

    /** The damaged goldens of every version are found damaged, each at its position. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "v1-torn-tail",
                "v1-flipped-byte",
                "v2-torn-tail",
                "v2-flipped-byte",
                "v3-torn-tail",
                "v3-flipped-byte",
                "v4-torn-tail",
                "v4-flipped-byte"
            })
    void damagedGoldensFailVerify(String name) throws IOException {
        GoldenJournals.unpack(name, dir);
        ToolRun verify = ToolRun.run("verify", "--data-dir", dir);
        assertEquals(1, verify.exitCode(), verify.toString());
        String expected = name.endsWith("torn-tail") ? "torn tail" : "corrupt record";
        assertTrue(verify.out().contains(expected), verify.toString());
    }

    @Test
    void goldenFilesStayUnderOneMegabyte() throws IOException {
        for (String name : List.of(
                GoldenJournals.CLEAN,
                GoldenJournals.TORN_TAIL,
                GoldenJournals.FLIPPED_BYTE,
                "v2-clean",
                "v2-torn-tail",
                "v2-flipped-byte",
                "v3-clean",
                "v3-torn-tail",
                "v3-flipped-byte",
                "v4-clean",
                "v4-torn-tail",
                "v4-flipped-byte")) {
            Path zip = Path.of("src/test/resources/golden", name + ".zip");
            assertTrue(Files.size(zip) < 1_000_000, name + " is " + Files.size(zip) + " bytes");
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "cairn.golden.regenerate", matches = "true")
    void regenerate() throws IOException {
        GoldenJournals.generate(Path.of("src/test/resources/golden"), dir);
    }
}
