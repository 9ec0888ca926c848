package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tools.journal.Mqtt5Properties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Goal: the small pure pieces behave as documented: topic filters, property blocks, times, progress output. */
class HelpersTest {
    @Test
    void topicFiltersMatchLikeMqtt() {
        assertTrue(TopicMatcher.of("a/+/c").matches("a/b/c"));
        assertFalse(TopicMatcher.of("a/+/c").matches("a/b/c/d"));
        assertTrue(TopicMatcher.of("a/#").matches("a"), "# also matches the parent level [MQTT-4.7.1-2]");
        assertTrue(TopicMatcher.of("#").matches("a/b"));
        assertFalse(TopicMatcher.of("#").matches("$SYS/x"), "[MQTT-4.7.2-1]");
        assertTrue(TopicMatcher.of("$SYS/#").matches("$SYS/x"));
        assertTrue(TopicMatcher.of("+/+").matches("/x"), "an empty level is a level");
        assertThrows(IllegalArgumentException.class, () -> TopicMatcher.of("a/#/b"));
        assertThrows(IllegalArgumentException.class, () -> TopicMatcher.of("a+"));
    }

    @Test
    void propertyBlocksDecodeAndMalformedOnesAreRefused() {
        Mqtt5Properties p = Mqtt5Properties.decode(GoldenJournals.properties());
        assertEquals(1, p.payloadFormat());
        assertEquals("text/plain", p.contentType());
        assertEquals("plant/replies", p.responseTopic());
        assertEquals(List.of(Map.entry("site", "north"), Map.entry("unit", "celsius")), p.userProperties());
        assertEquals(Mqtt5Properties.EMPTY, Mqtt5Properties.decode(new byte[0]));
        // Message expiry 60, subscription id 300 (two-byte variable byte integer), topic alias 7.
        Mqtt5Properties q = Mqtt5Properties.decode(new byte[] {11, 0x02, 0, 0, 0, 60, 0x0B, (byte) 0xAC, 0x02, 0x23, 0, 7});
        assertEquals(60L, q.messageExpirySeconds());
        assertEquals(List.of(300), q.subscriptionIds());
        assertEquals(7, q.topicAlias());
        assertThrows(IllegalArgumentException.class, () -> Mqtt5Properties.decode(new byte[] {2, 0x11, 0}),
                "session expiry is not a PUBLISH property");
        assertThrows(IllegalArgumentException.class, () -> Mqtt5Properties.decode(new byte[] {5, 0x03, 0, 9}),
                "a string running past the end");
    }

    @Test
    void timesParseAsEpochMillisOrIso8601() {
        assertEquals(1_767_225_600_000L, TimeArgument.parse("1767225600000"));
        assertEquals(1_767_225_600_000L, TimeArgument.parse("2026-01-01T00:00:00Z"));
        assertEquals(1_767_225_600_000L, TimeArgument.parse("2026-01-01T01:00:00+01:00"));
        assertEquals(1_767_225_600_000L, TimeArgument.parse("2026-01-01T00:00"));
        assertEquals(1_767_225_600_000L, TimeArgument.parse("2026-01-01"));
        assertThrows(CommandLine.TypeConversionException.class, () -> TimeArgument.parse("yesterday"));
    }

    @Test
    void progressPrintsPlainLinesWithRateAndEtaOrABarInPlace() {
        StringWriter lines = new StringWriter();
        Progress plain = Progress.start("verify", 100, new PrintWriter(lines), Progress.Mode.LINES, 0);
        plain.advance(50);
        plain.finish();
        assertTrue(lines.toString().matches("verify: 50/100 \\(50%\\), \\S+/s, ETA \\S+\n"), lines.toString());

        StringWriter bar = new StringWriter();
        Progress terminal = Progress.start("verify", 100, new PrintWriter(bar), Progress.Mode.BAR, 0);
        terminal.advance(25);
        assertTrue(bar.toString().startsWith("\rverify [#######  "), bar.toString());
        assertTrue(bar.toString().contains("25/100 (25%)") && bar.toString().contains("ETA"), bar.toString());
        terminal.finish();

        StringWriter none = new StringWriter();
        Progress.start("x", 10, new PrintWriter(none), Progress.Mode.OFF, 0).advance(10);
        assertEquals("", none.toString());
    }

    @Test
    void everyCommandHasHelpWithExitCodes() {
        for (String command : List.of("dump", "verify", "stats", "rebuild-index", "repair", "replay")) {
            ToolRun help = ToolRun.run(command, "--help");
            assertEquals(ExitCode.OK, help.exitCode(), command);
            assertTrue(help.out().contains("--data-dir") && help.out().contains("Exit codes:")
                    && help.out().contains("3   data directory locked by a running broker"), help.out());
        }
        assertEquals(ExitCode.USAGE, ToolRun.run().exitCode(), "no subcommand");
        assertEquals(ExitCode.USAGE, ToolRun.run("verify").exitCode(), "--data-dir is required");
    }
}
