package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@code --scrape-metrics-seconds} runs each Cairn broker twice, plain and scraped, next to
 * the others in every round, and {@code --offline-sessions} is passed on; a scrape's samples are
 * read by exact name.
 */
class ScrapeOptionsTest {
    @Test
    void scrapingAddsAScrapedTwinAfterEachCairnBrokerOnly() {
        SideBySide.Settings s = SideBySide.parse(new String[] {
            "--brokers",
            "mosquitto,cairn-fsync",
            "--scrape-metrics-seconds",
            "1",
            "--offline-sessions",
            "100000",
            "--work-dir",
            "unused"
        });

        assertEquals(
                List.of("mosquitto", "cairn-fsync", "cairn-fsync+scraped"),
                s.brokers().stream().map(b -> b.name()).toList());
        assertTrue(s.brokers().get(2).isCairn());
        assertEquals(1, s.scrapeMetricsSeconds());
        assertEquals(100_000, s.offlineSessions());
    }

    @Test
    void withoutTheOptionEachBrokerRunsOnce() {
        SideBySide.Settings s =
                SideBySide.parse(new String[] {"--brokers", "mosquitto,cairn-fsync", "--work-dir", "unused"});

        assertEquals(
                List.of("mosquitto", "cairn-fsync"),
                s.brokers().stream().map(b -> b.name()).toList());
        assertEquals(0, s.scrapeMetricsSeconds());
        assertEquals(0, s.offlineSessions());
    }

    @Test
    void aSampleIsFoundByItsExactNameAndAMissingOneIsNaN() {
        String text = "# HELP x\ncairn_core_figures_copy_seconds_count 12.0\n"
                + "cairn_core_figures_copy_seconds_sum 0.0006\ncairn_core_figures_copy_seconds_bucket{le=\"+Inf\"} 12.0\n";

        assertEquals(12.0, MetricsScraper.sample(text, "cairn_core_figures_copy_seconds_count"));
        assertEquals(0.0006, MetricsScraper.sample(text, "cairn_core_figures_copy_seconds_sum"));
        assertTrue(Double.isNaN(MetricsScraper.sample(text, "cairn_core_figures_copy_seconds")));
    }
}
