package dev.cairn.storage.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the bytes of the current format version never change by accident, and readers keep
 * reading every older version. Method: checked-in hex frames (one per line, {@code TYPE hex}):
 * version 4 frames are compared with what the writer produces today and decoded back; version 1
 * to 3 frames (no longer written) must still decode to the same records; broken frames
 * ({@code REASON hex}) must fail with exactly their reason. The current version's file is written
 * by {@link #regenerate} with {@code -Dcairn.golden.regenerate=true}, once, when a version is new.
 */
class GoldenFramesTest {

    @Test
    void version4FramesAreByteForByteStableAndStillDecode() throws IOException {
        List<String[]> lines = read("golden/v4-records.hex");
        List<JournalRecord> samples = SampleRecords.allV4();
        assertEquals(samples.size(), lines.size(), "one golden line per sample record");
        for (int i = 0; i < samples.size(); i++) {
            byte[] golden = HexFormat.of().parseHex(lines.get(i)[1]);
            assertEquals(samples.get(i).type().name(), lines.get(i)[0]);
            assertEquals(
                    lines.get(i)[1],
                    HexFormat.of().formatHex(RecordCodec.encode(samples.get(i))),
                    "writer output changed for " + samples.get(i).type() + ": that needs a version bump");
            assertEquals(samples.get(i), RecordCodec.decode(golden));
        }
    }

    /** Frames of versions no longer written still decode to the same records. */
    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2, 3})
    void olderVersionFramesStillDecode(int version) throws IOException {
        List<String[]> lines = read("golden/v" + version + "-records.hex");
        List<JournalRecord> samples = switch (version) {
            case 1 -> SampleRecords.all();
            case 2 -> SampleRecords.allV2();
            default -> SampleRecords.allV3();
        };
        assertEquals(samples.size(), lines.size(), "one golden line per sample record");
        for (int i = 0; i < samples.size(); i++) {
            byte[] golden = HexFormat.of().parseHex(lines.get(i)[1]);
            assertEquals(version, golden[1], "a version " + version + " frame");
            assertEquals(samples.get(i).type().name(), lines.get(i)[0]);
            assertEquals(samples.get(i), RecordCodec.decode(golden));
        }
    }

    /** Writes {@code v<CURRENT_VERSION>-records.hex}; never run for a released version. */
    @Test
    @EnabledIfSystemProperty(named = "cairn.golden.regenerate", matches = "true")
    void regenerate() throws IOException {
        int version = RecordCodec.CURRENT_VERSION;
        StringBuilder out = new StringBuilder("# Format version " + version + " frames of SampleRecords.allV" + version
                + "(), in order. Never edit: add a new file for a new version.\n");
        for (JournalRecord record : SampleRecords.allV4()) {
            out.append(record.type().name())
                    .append(' ')
                    .append(HexFormat.of().formatHex(RecordCodec.encode(record)))
                    .append('\n');
        }
        Files.writeString(
                Path.of("src/test/resources/golden/v" + version + "-records.hex"),
                out.toString(),
                StandardCharsets.US_ASCII);
    }

    @Test
    void brokenVersion1FramesFailWithTheirReason() throws IOException {
        List<String[]> lines = read("golden/v1-broken.hex");
        assertEquals(8, lines.size());
        for (String[] line : lines) {
            byte[] frame = HexFormat.of().parseHex(line[1]);
            RecordDecodeException e = assertThrows(RecordDecodeException.class, () -> RecordCodec.decode(frame));
            assertEquals(line[0], e.reason().name(), line[1]);
        }
    }

    private static List<String[]> read(String resource) throws IOException {
        InputStream in = GoldenFramesTest.class.getClassLoader().getResourceAsStream(resource);
        assertNotNull(in, resource);
        List<String[]> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.trim().split(" ", 2));
                }
            }
        }
        return lines;
    }
}
