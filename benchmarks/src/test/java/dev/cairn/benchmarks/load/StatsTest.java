package dev.cairn.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
    }

    @Test
    void medianOfAnEvenCountAveragesTheMiddleTwo() {
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void medianSkipsMissingValuesAndIsNaNWhenNoneRemain() {
        assertEquals(2.0, Stats.median(Arrays.asList(null, 2.0, Double.NaN)));
        assertTrue(Double.isNaN(Stats.median(List.of())));
    }

    @Test
    void ratioIsCandidateOverBaselineAndNaNWithoutABaseline() {
        assertEquals(1.5, Stats.ratio(150_000, 100_000));
        assertTrue(Double.isNaN(Stats.ratio(1, 0)));
        assertTrue(Double.isNaN(Stats.ratio(Double.NaN, 1)));
    }

    @Test
    void summaryRowsShowMediansAndRatiosAgainstTheFirstBroker() {
        BenchmarkCase pairwise = BenchmarkCase.named("pairwise-qos1");
        ResultsTable table = new ResultsTable(List.of(pairwise), List.of("mosquitto", "cairn-fsync"));
        for (double rate : new double[] {90, 100, 300}) {
            table.add(pairwise, "mosquitto", result(rate));
        }
        table.add(pairwise, "cairn-fsync", result(150));
        table.add(pairwise, "cairn-fsync", RunResult.failed(Map.of(), "did not start"));

        assertEquals(100, table.median("pairwise-qos1", "mosquitto", Metric.DELIVERED_PER_SECOND));
        String markdown = table.toMarkdown();
        assertTrue(markdown.contains("| pairwise-qos1 | cairn-fsync | 1/2 | 150 delivered msgs/s | 1.50× |"), markdown);
        assertTrue(markdown.contains("pairwise-qos1 on cairn-fsync: did not start"), markdown);
    }

    @Test
    void resultsAreReplacedBetweenTheMarkersOnly() {
        String doc = "intro\n" + SideBySide.START_MARKER + "\nold\n" + SideBySide.END_MARKER + "\noutro\n";
        assertEquals(
                "intro\n" + SideBySide.START_MARKER + "\nnew\n" + SideBySide.END_MARKER + "\noutro\n",
                SideBySide.replaceResults(doc, "new\n"));
    }

    private static RunResult result(double rate) {
        return new RunResult(Map.of(), Map.of(Metric.DELIVERED_PER_SECOND, rate), null);
    }
}
