package dev.cairn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.CairnVersion;
import dev.cairn.tools.journal.PropertiesJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Goal: the small pure pieces behave as documented: topic filters, property blocks, times, progress output. */
class HelpersTest {
    @Test
    void topicFiltersMatchLikeMqtt() {
        TopicArgument topics = new TopicArgument();
        assertTrue(TopicArgument.matches(topics.convert("a/+/c"), "a/b/c"));
        assertFalse(TopicArgument.matches(topics.convert("a/+/c"), "a/b/c/d"));
        assertTrue(TopicArgument.matches(topics.convert("a/#"), "a"), "# also matches the parent level [MQTT-4.7.1-2]");
        assertTrue(TopicArgument.matches(topics.convert("#"), "a/b"));
        assertFalse(TopicArgument.matches(topics.convert("#"), "$SYS/x"), "[MQTT-4.7.2-1]");
        assertTrue(TopicArgument.matches(topics.convert("$SYS/#"), "$SYS/x"));
        assertTrue(TopicArgument.matches(topics.convert("+/+"), "/x"), "an empty level is a level");
        assertTrue(TopicArgument.matches(topics.convert("$share/g/a/#"), "a/b"), "a shared filter: its filter part");
        assertFalse(
                TopicArgument.matches(topics.convert("#"), ""), "a stored topic that is no topic name matches nothing");
        assertThrows(CommandLine.TypeConversionException.class, () -> topics.convert("a/#/b"));
        assertThrows(CommandLine.TypeConversionException.class, () -> topics.convert("a+"));
        assertThrows(CommandLine.TypeConversionException.class, () -> topics.convert(""));
        assertThrows(CommandLine.TypeConversionException.class, () -> topics.convert("$share/g"));
    }

    @Test
    void propertyBlocksPrintAsJsonAndMalformedOnesAreRefused() {
        assertEquals(
                "{\"payloadFormat\":1,\"contentType\":\"text/plain\",\"responseTopic\":\"plant/replies\","
                        + "\"correlationData\":\"Y29yci00Mg==\",\"userProperties\":[[\"site\",\"north\"],[\"unit\",\"celsius\"]]}",
                PropertiesJson.decode(GoldenJournals.properties()));
        assertEquals("{}", PropertiesJson.decode(new byte[0]));
        // Message expiry 60, subscription id 300 (two-byte variable byte integer), topic alias 7.
        assertEquals(
                "{\"messageExpirySeconds\":60,\"subscriptionIds\":[300],\"topicAlias\":7}",
                PropertiesJson.decode(new byte[] {11, 0x02, 0, 0, 0, 60, 0x0B, (byte) 0xAC, 0x02, 0x23, 0, 7}));
        assertThrows(
                IllegalArgumentException.class,
                () -> PropertiesJson.decode(new byte[] {2, 0x11, 0}),
                "session expiry is not a PUBLISH property");
        assertThrows(
                IllegalArgumentException.class,
                () -> PropertiesJson.decode(new byte[] {5, 0x03, 0, 9}),
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
            assertTrue(
                    help.out().contains("--data-dir")
                            && help.out().contains("Exit codes:")
                            && help.out().contains("3   data directory locked by a running broker"),
                    help.out());
        }
        assertEquals(ExitCode.USAGE, ToolRun.run().exitCode(), "no subcommand");
        assertEquals(ExitCode.USAGE, ToolRun.run("verify").exitCode(), "--data-dir is required");
    }

    @Test
    void versionIsTheProjectVersionTheBrokerReports() {
        ToolRun version = ToolRun.run("--version");
        assertEquals(ExitCode.OK, version.exitCode(), version.toString());
        // CairnVersionTest (protocol/) checks CairnVersion against the POM; the broker prints "Cairn " + the same.
        assertEquals("cairn-tools " + CairnVersion.get(), version.out().strip());
    }
}
