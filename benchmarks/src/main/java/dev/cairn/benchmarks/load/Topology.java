package dev.cairn.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who publishes where and who receives what, for the four streaming scenarios. Topic names carry
 * a per-run prefix so that runs never see each other's sessions or retained state.
 *
 * @param publisherTopics   topic of publisher i
 * @param subscriberFilters filter of subscriber j
 * @param ledgerOfSubscriber which receiving side (ledger index) subscriber j belongs to
 * @param sourcesOfLedger   for each ledger, which publishers it should hear from
 * @param copiesPerMessage  how many receivers get each message
 */
record Topology(
        List<String> publisherTopics,
        List<String> subscriberFilters,
        int[] ledgerOfSubscriber,
        List<int[]> sourcesOfLedger,
        int copiesPerMessage) {

    static Topology of(Scenario scenario, int publishers, int subscribers, String prefix) {
        switch (scenario) {
            case PAIRWISE:
                return pairwise(publishers, prefix);
            case FAN_IN:
                return new Topology(
                        repeat(prefix + "/in", publishers),
                        List.of(prefix + "/in"),
                        new int[1],
                        List.of(range(publishers)),
                        1);
            case FAN_OUT:
                return fanOut(subscribers, prefix);
            case SHARED:
                return new Topology(
                        repeat(prefix + "/shared", publishers),
                        repeat("$share/g/" + prefix + "/shared", subscribers),
                        new int[subscribers],
                        List.of(range(publishers)),
                        1);
            default:
                throw new IllegalArgumentException(scenario + " is not a streaming scenario");
        }
    }

    int ledgerCount() {
        return sourcesOfLedger.size();
    }

    private static Topology pairwise(int count, String prefix) {
        List<String> topics = new ArrayList<>();
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            topics.add(prefix + "/p" + i);
            sources.add(new int[] {i});
        }
        return new Topology(topics, topics, range(count), sources, 1);
    }

    private static Topology fanOut(int subscribers, String prefix) {
        List<int[]> sources = new ArrayList<>();
        for (int j = 0; j < subscribers; j++) {
            sources.add(new int[] {0});
        }
        return new Topology(
                List.of(prefix + "/out"),
                repeat(prefix + "/out", subscribers),
                range(subscribers),
                sources,
                subscribers);
    }

    private static List<String> repeat(String value, int count) {
        String[] values = new String[count];
        Arrays.fill(values, value);
        return List.of(values);
    }

    private static int[] range(int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = i;
        }
        return values;
    }
}
